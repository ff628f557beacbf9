// The chat route as a Cloudflare Worker (run by the runtimes suite under workerd, with
// `wrangler dev --local`): the examples' chat.ts with the Worker's env and ctx.waitUntil.
// `import … from 'nova-layers'` in chat.ts resolves to the package's "workerd" entry.
import { chatEnvFrom, handleChat } from './chat';

export default {
  fetch(req: Request, env: Record<string, string>, ctx: { waitUntil(work: Promise<unknown>): void }): Promise<Response> {
    return handleChat(req, chatEnvFrom((name) => env[name]), (work) => ctx.waitUntil(work));
  },
};
