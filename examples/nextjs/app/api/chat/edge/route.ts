// POST /api/chat/edge: the same route on the Edge runtime. Next 16 deprecates the Edge
// runtime (its build prints so) but still runs it; nothing here needs more than
// `runtime = 'edge'`: `import { loadNova } from 'nova-layers'` resolves to the package's
// edge entry (export condition "edge-light"), whose wasm Next compiles at build time.
import { after } from 'next/server';
import { chatEnvFrom, handleChat } from '../../../../lib/chat';

export const runtime = 'edge';

export function POST(req: Request): Promise<Response> {
  return handleChat(req, chatEnvFrom((name) => process.env[name]), (work) => after(work));
}
