// POST /api/chat on the Node.js runtime (Next's default, and what Next 16 recommends).
// after(): the reply is stored and the memory update runs once the response is sent.
import { after } from 'next/server';
import { chatEnvFrom, handleChat } from '../../../lib/chat';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function POST(req: Request): Promise<Response> {
  return handleChat(req, chatEnvFrom((name) => process.env[name]), (work) => after(work));
}
