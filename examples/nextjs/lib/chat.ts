// The chat route of Nova, as one function from a Request to a streamed Response. Web APIs
// only, so the same file runs in a Supabase Edge Function (Deno), a Next.js route on the
// Node and on the Edge runtime, and a Worker. Kept byte-identical in
// examples/supabase-edge-function/supabase/functions/_shared/chat.ts and
// examples/nextjs/lib/chat.ts (the runtimes suite checks).
//
// POST { chatId, message } with `Authorization: Bearer <the user's access token>`:
//   1. verify the token with Supabase Auth (admin.auth.getUser)            401 if Auth
//      refuses it; 503 auth_unavailable if Auth cannot answer (unreachable, 5xx)
//   2. the chat and its history, read AS THE USER (anon key + their token): RLS is the
//      ownership check, so a stranger's chat id reads as no chat            404
//   3. the system prompt: buildSystemPrompt (one RPC, service role key)    500 + step
//   4. the user's message stored (as the user), before the LLM is called: never lost
//   5. the LLM's reply streamed to the client as plain text, as it arrives
//   6. after a complete reply, in the background: the reply stored (service role: users
//      cannot write assistant turns) and the memory update (updateSharedMemories). A reply
//      cut off mid-stream stores nothing more and changes no memory.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { loadNova, type ChatMessage, type Nova, type TranscriptTurn } from 'nova-layers';
import { NovaStepError, buildSystemPrompt, fallbackName, updateSharedMemories } from 'nova-layers/supabase';

export interface ChatEnv {
  supabaseUrl: string;
  /** The anon key: the user's own reads and writes, under RLS. */
  anonKey: string;
  /** The service role key: the prompt context, the assistant's turns, the memory update. */
  serviceRoleKey: string;
  /** An OpenAI-compatible API base, e.g. https://api.openai.com/v1 */
  llmBaseUrl: string;
  llmApiKey: string;
  llmModel: string;
  /** The model of the memory step (default: llmModel). */
  memoryModel?: string;
}

/**
 * The settings from environment variables (read per request: nothing is inlined into a
 * bundle, and the keys stay on the server): SUPABASE_URL, SUPABASE_ANON_KEY,
 * SUPABASE_SERVICE_ROLE_KEY, LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, optional LLM_MEMORY_MODEL.
 */
export function chatEnvFrom(get: (name: string) => string | undefined): ChatEnv {
  const required = (name: string): string => {
    const value = get(name);
    if (!value) throw new Error(`chat: the ${name} environment variable is not set`);
    return value;
  };
  return {
    supabaseUrl: required('SUPABASE_URL'),
    anonKey: required('SUPABASE_ANON_KEY'),
    serviceRoleKey: required('SUPABASE_SERVICE_ROLE_KEY'),
    llmBaseUrl: required('LLM_BASE_URL'),
    llmApiKey: required('LLM_API_KEY'),
    llmModel: required('LLM_MODEL'),
    memoryModel: get('LLM_MEMORY_MODEL') || undefined,
  };
}

/** Where background work goes: EdgeRuntime.waitUntil, Next's after(), a Worker's ctx.waitUntil (it never rejects). */
export type Background = (work: Promise<unknown>) => void;

const HISTORY_TURNS = 40;

// One engine per isolate / server process, retried after a failed load.
let novaPromise: Promise<Nova> | undefined;
function getNova(): Promise<Nova> {
  novaPromise ??= loadNova().catch((e) => {
    novaPromise = undefined;
    throw e;
  });
  return novaPromise;
}

// supabase-js wants a WebSocket class at createClient even when realtime is never used;
// Node 20 has none (Node 22, Deno, workerd and the Edge runtime do). These clients never
// subscribe, so a transport that refuses is enough.
class NoRealtime {
  constructor() {
    throw new Error('this server-side client does not use realtime');
  }
}

function client(env: ChatEnv, key: string, userToken?: string): SupabaseClient {
  return createClient(env.supabaseUrl, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: userToken ? { headers: { Authorization: `Bearer ${userToken}` } } : {},
    ...(typeof WebSocket === 'undefined' ? { realtime: { transport: NoRealtime as never } } : {}),
  });
}

const reply = (status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  Response.json({ error, ...extra }, { status, headers });

// Did Supabase Auth refuse the token (bad signature, expired, user or session gone)? It
// answers 401 or 403 then (supabase-js: AuthApiError; a gone session becomes
// AuthSessionMissingError). Anything else (AuthRetryableFetchError: unreachable or 5xx;
// AuthUnknownError: a body that is not Auth's) means Auth could not be asked.
function authRefused(error: { name?: string; status?: number }): boolean {
  if (error.name === 'AuthSessionMissingError') return true;
  return error.name === 'AuthApiError' && (error.status === 401 || error.status === 403);
}

type LlmMessage = { role: 'system' | 'user' | 'assistant'; content: string };

async function completions(env: ChatEnv, model: string, messages: LlmMessage[], stream: boolean): Promise<Response> {
  const res = await fetch(`${env.llmBaseUrl.replace(/\/$/, '')}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${env.llmApiKey}` },
    body: JSON.stringify({ model, messages, stream }),
  });
  if (!res.ok) throw new Error(`LLM answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

/** The text deltas of a Chat Completions SSE stream; throws if it ends without finishing. */
async function* deltas(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let finished = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') return;
      const choice = JSON.parse(data).choices?.[0];
      if (choice?.delta?.content) yield choice.delta.content;
      if (choice?.finish_reason) finished = true;
    }
  }
  if (!finished) throw new Error('the LLM stream ended before the reply was finished');
}

export async function handleChat(req: Request, env: ChatEnv, background: Background): Promise<Response> {
  if (req.method !== 'POST') return reply(405, 'method_not_allowed');
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1];
  if (!token) return reply(401, 'missing_token');

  // 1. Who is calling: Supabase Auth verifies the token (signature, expiry, user exists).
  const admin = client(env, env.serviceRoleKey);
  const { data: auth, error: authError } = await admin.auth.getUser(token);
  if (authError && !authRefused(authError)) {
    // Auth did not say no: it could not be asked (network, 5xx, rate limit). Telling the
    // client its token is invalid would sign a good user out; say "try again" instead.
    return reply(503, 'auth_unavailable', { message: authError.message }, { 'retry-after': '5' });
  }
  if (authError || !auth.user) return reply(401, 'invalid_token');
  const user = auth.user;

  const body = await req.json().catch(() => null);
  const chatId = body?.chatId;
  const message = body?.message;
  if (typeof chatId !== 'string' || typeof message !== 'string' || message.trim() === '') {
    return reply(400, 'expected { chatId: string, message: string }');
  }

  // 2. The chat and its history, as the user: RLS shows only their own chats.
  const asUser = client(env, env.anonKey, token);
  const { data: chat, error: chatError } = await asUser
    .from('chats').select('id, memory_summary').eq('id', chatId).maybeSingle();
  if (chatError) return reply(500, 'database', { message: chatError.message });
  if (!chat) return reply(404, 'chat_not_found');
  const { data: rows, error: historyError } = await asUser
    .from('messages').select('role, content').eq('chat_id', chatId)
    .order('created_at', { ascending: false }).order('id', { ascending: false }).limit(HISTORY_TURNS);
  if (historyError) return reply(500, 'database', { message: historyError.message });
  const history = (rows ?? []).reverse() as TranscriptTurn[];

  // 3. The layered system prompt: one RPC, one assemble.
  let nova: Nova;
  let system;
  try {
    nova = await getNova();
    system = await buildSystemPrompt({
      nova, admin, userId: user.id, message,
      fallbackName: fallbackName(user),
      chatMemorySummary: chat.memory_summary ?? null,
      options: { now: new Date().toISOString() },
    });
  } catch (e) {
    const step = e instanceof NovaStepError ? e.step : 'engine';
    return reply(500, 'prompt', { step, message: (e as Error).message });
  }

  // 4. The user's turn is stored before anything can fail on the LLM's side.
  const { error: saveError } = await asUser.from('messages').insert({ chat_id: chatId, role: 'user', content: message });
  if (saveError) return reply(500, 'database', { message: saveError.message });

  // 5. The reply, streamed.
  const messages: LlmMessage[] = [{ role: 'system', content: system.prompt }, ...history, { role: 'user', content: message }];
  let llm: Response;
  try {
    llm = await completions(env, env.llmModel, messages, true);
  } catch (e) {
    return reply(502, 'llm', { message: (e as Error).message });
  }

  // The whole reply once it is complete; null when it was cut off.
  let complete: (text: string | null) => void = () => {};
  const finished = new Promise<string | null>((resolve) => { complete = resolve; });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let text = '';
      try {
        for await (const piece of deltas(llm.body!)) {
          text += piece;
          controller.enqueue(encoder.encode(piece));
        }
        controller.close();
        complete(text);
      } catch (e) {
        console.error(`chat ${chatId}: the reply failed mid-stream: ${(e as Error).message}`);
        controller.error(e); // the client sees a broken stream; nothing more is stored
        complete(null);
      }
    },
  });

  // 6. After a complete reply: store it, then learn from the exchange.
  background(finished.then(async (text) => {
    if (text === null) return;
    const { error } = await admin.from('messages').insert({ chat_id: chatId, role: 'assistant', content: text });
    if (error) {
      console.error(`chat ${chatId}: storing the reply failed: ${error.message}`);
      return;
    }
    const report = await updateSharedMemories({
      nova, admin, userId: user.id, context: system.context,
      transcript: [...history, { role: 'user', content: message }, { role: 'assistant', content: text }],
      llm: async (prompt: ChatMessage[]) => {
        const res = await completions(env, env.memoryModel ?? env.llmModel, prompt, false);
        return (await res.json()).choices?.[0]?.message?.content ?? '';
      },
    });
    if (report.error) console.error(`chat ${chatId}: memory update: ${report.error.step}: ${report.error.message}`);
  }).catch((e) => console.error(`chat ${chatId}: background work failed: ${(e as Error).message}`)));

  return new Response(stream, {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-nova-relationship': String(system.detection.relationship),
    },
  });
}
