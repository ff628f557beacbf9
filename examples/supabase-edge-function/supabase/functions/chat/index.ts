// Supabase Edge Function `chat`: Nova's chat route (../_shared/chat.ts) on Deno.serve.
// Deploy: supabase functions deploy chat   (deno.json beside this file is its import map)
// Secrets: supabase secrets set LLM_BASE_URL=https://api.openai.com/v1 LLM_API_KEY=... LLM_MODEL=...
// SUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY are set by the platform.
import { chatEnvFrom, handleChat } from '../_shared/chat.ts';

const env = chatEnvFrom((name) => Deno.env.get(name));

// On Supabase, EdgeRuntime.waitUntil keeps the worker alive for the background work after
// the response is sent; under plain Deno (local runs, tests) the server process stays up.
declare const EdgeRuntime: { waitUntil(work: Promise<unknown>): void } | undefined;
const background = (work: Promise<unknown>) => {
  if (typeof EdgeRuntime !== 'undefined') EdgeRuntime.waitUntil(work);
};

Deno.serve((req) => handleChat(req, env, background));
