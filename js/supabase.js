/* @ts-self-types="./supabase.d.ts" */
// nova-layers/supabase — the route glue between Supabase and the engine, for a chat route
// on the server (Next.js route.ts, a Supabase Edge Function, a Worker):
//   buildSystemPrompt     one RPC (nova_prompt_context) for the whole prompt context, then
//                         one assemble: the system prompt of the reply;
//   updateSharedMemories  after the reply: the memory prompt, the caller's LLM, the checked
//                         operations, one RPC (nova_apply_memory_update, one transaction).
// `admin` is a supabase-js client created with the service role key (both functions are
// for the service role only); any object with supabase-js's rpc() will do. This module
// does not load the engine: the caller passes `nova` from loadNova().
import { engineMessage } from './engine.js';
import { NO_NAME } from './rules.js';

/** Which step of a route call failed. */
export class NovaStepError extends Error {
  /**
   * @param {'database' | 'contract' | 'engine'} step
   * @param {string} message
   * @param {unknown} [cause]
   */
  constructor(step, message, cause) {
    super(`${step}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'NovaStepError';
    this.step = step;
    // The engine's stable code and path, when the engine refused the request.
    if (isNovaError(cause)) {
      this.code = cause.code;
      this.path = cause.path;
    }
  }
}

// NovaError by shape: this module imports no loader (a bundle of the glue alone must not
// pull in the wasm: engine.js is only the JS side), and the instance may come from another
// copy of the package.
function isNovaError(e) {
  return e !== null && typeof e === 'object' && e.name === 'NovaError' && typeof e.code === 'string';
}

const errorText = (e) => (e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e));
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The engine refused: a refusal about the context means the database's answer does not fit
 * the contract (a schema drift between migrations and package); anything else (the
 * message, the options, the budget) is the engine's.
 */
function engineFailure(e, what) {
  if (!isNovaError(e)) return new NovaStepError('engine', `${what} failed: ${errorText(e)}`, e);
  // NovaError's message starts with its path ("context.x: ..."): said once, at the end.
  const where = e.path ? ` at ${e.path}` : '';
  const step = e.path === 'context' || e.path.startsWith('context.') ? 'contract' : 'engine';
  return new NovaStepError(step, `${what}: ${e.code}: ${engineMessage(e)}${where}`, e);
}

/**
 * One round trip: the user's whole prompt context (throws NovaStepError for a failed call).
 * With a supabase-js client the answer comes back as the response's text (`text`), never
 * parsed here: the engine reads it (assembleContext) and checks it is the context of this
 * user. The query builder's `fetch` (postgrest-js's PostgrestBuilder keeps the client's
 * fetch there and calls it once per attempt) is wrapped so that a successful body is kept
 * as text and the builder sees an empty one; errors and retries pass through unchanged,
 * so supabase-js reports them as always. Any other client with an rpc() gives `data`.
 */
async function loadContext(admin, userId) {
  let res;
  let text;
  try {
    const query = admin.rpc('nova_prompt_context', { p_user_id: userId });
    const fetchRpc = query?.fetch;
    if (typeof fetchRpc === 'function') {
      query.fetch = async (url, init) => {
        const reply = await fetchRpc(url, init);
        if (!reply.ok) return reply;
        text = await reply.text();
        return new Response(null, { status: reply.status, statusText: reply.statusText, headers: reply.headers });
      };
    }
    res = await query;
  } catch (e) {
    throw new NovaStepError('database', `nova_prompt_context failed: ${errorText(e)}`, e);
  }
  if (res?.error) {
    throw new NovaStepError('database', `nova_prompt_context failed: ${errorText(res.error)}`, res.error);
  }
  if (text !== undefined && text.trim() !== '') return { text };
  const data = res?.data ?? null;
  if (data === null) throw new NovaStepError('contract', 'nova_prompt_context returned null, not a context object');
  return { data };
}

// Misuse (the caller's bug, not a failure of a step) is a TypeError naming the argument,
// from both functions: no `step`, which says what failed at run time.
function requireArgs(fn, input, names) {
  const bad = (text) => new TypeError(`${fn}: ${text}`);
  if (!isObject(input)) throw bad('expected one object argument');
  if (typeof input.nova?.assemble !== 'function') throw bad('nova must be an engine from loadNova()');
  if (typeof input.admin?.rpc !== 'function') throw bad('admin must be a supabase-js client (service role)');
  if (typeof input.userId !== 'string' || input.userId === '') throw bad("userId must be the auth user's id");
  for (const n of names) if (input[n] === undefined) throw bad(`${n} is required`);
}

/**
 * The name to greet a user by when they have no profile row yet: the auth user's
 * full_name, else the local part of their email, else "there" (NO_NAME, the contract's
 * $defs/no_name: the engine reads it as no name).
 * @param {{ email?: string | null, user_metadata?: { full_name?: unknown } } | null | undefined} authUser
 */
export function fallbackName(authUser) {
  const full = authUser?.user_metadata?.full_name;
  if (typeof full === 'string' && full.trim() !== '') return full.trim();
  const email = authUser?.email;
  if (typeof email === 'string' && email.indexOf('@') > 0) return email.slice(0, email.indexOf('@'));
  return NO_NAME;
}

/**
 * The system prompt of one reply: nova_prompt_context (one RPC), then assemble. Returns
 * the assemble result plus `context`, the context the prompt was built from (pass it to
 * updateSharedMemories so the memory step sees the same rows). Throws NovaStepError with
 * `step` "database" (the RPC failed), "contract" (its answer is not a prompt context) or
 * "engine" (the engine refused the request: `code` and `path` say why), TypeError for
 * missing arguments.
 * @param {import('./supabase.d.ts').BuildSystemPromptInput} input
 */
export async function buildSystemPrompt(input) {
  requireArgs('buildSystemPrompt', input, ['message']);
  const loaded = await loadContext(input.admin, input.userId);
  const added = {
    chat_memory_summary: input.chatMemorySummary ?? null,
    fallback_name: input.fallbackName ?? null,
  };
  let result;
  try {
    if (loaded.text !== undefined) {
      result = input.nova.assembleContext(loaded.text, {
        message: input.message, chatMemorySummary: added.chat_memory_summary,
        fallbackName: added.fallback_name, forUser: input.userId, options: input.options,
      });
    } else {
      const request = { for_user: input.userId, context: { ...loaded.data, ...added }, message: input.message };
      if (input.options !== undefined) request.options = input.options;
      return { ...input.nova.assemble(request), context: request.context };
    }
  } catch (e) {
    throw engineFailure(e, 'assemble');
  }
  // The parsed context only when it is read (the memory step, after the reply): the
  // prompt itself never needed it.
  let context;
  return Object.defineProperty(result, 'context', {
    enumerable: true,
    configurable: true,
    get: () => (context ??= { ...JSON.parse(loaded.text), ...added }),
  });
}

const noReport = (rejected = []) => ({ applied: 0, rejected });
const failed = (step, message, rejected = []) => ({ applied: 0, rejected, error: { step, message } });
// A NovaStepError as a report (its message without the "step: " prefix).
const failedWith = (e) => failed(e.step, e.message.slice(e.step.length + 2));

/**
 * After a reply: what Nova should remember from it. One context load (or `context` from
 * buildSystemPrompt), the memory prompt, the caller's `llm(messages)` (skipped when the
 * prompt allows nothing to be learned), the checked operations, and one RPC,
 * nova_apply_memory_update, which applies the memory ops and the partner notes in one
 * transaction or nothing. Every failure of a step is in the report's `error`, with the
 * step ("database", "contract", "engine", "llm"), and nothing is half-applied; only a
 * caller's bug (a missing or wrong argument) rejects, with a TypeError.
 * @param {import('./supabase.d.ts').UpdateSharedMemoriesInput} input
 * @returns {Promise<import('./supabase.d.ts').MemoryUpdateReport>}
 */
export async function updateSharedMemories(input) {
  requireArgs('updateSharedMemories', input, ['transcript', 'llm']);
  if (typeof input.llm !== 'function') {
    throw new TypeError('updateSharedMemories: llm must be a function (messages) => Promise<string>');
  }
  if (typeof input.nova.memoryPrompt !== 'function' || typeof input.nova.memoryOps !== 'function') {
    throw new TypeError('updateSharedMemories: nova has no memoryPrompt/memoryOps (an engine of an older nova-layers?)');
  }
  if (input.context !== undefined && (!isObject(input.context) || input.context.user_id !== input.userId)) {
    throw new TypeError('updateSharedMemories: context is not the context of userId (pass the one buildSystemPrompt returned)');
  }
  const { nova, admin, userId, transcript, llm } = input;

  let context = input.context;
  if (context === undefined) {
    try {
      const loaded = await loadContext(admin, userId);
      context = loaded.text !== undefined ? JSON.parse(loaded.text) : loaded.data;
    } catch (e) {
      if (e instanceof NovaStepError) return failedWith(e);
      return failed('contract', `nova_prompt_context returned no JSON: ${errorText(e)}`);
    }
  }

  let prompt;
  try {
    prompt = nova.memoryPrompt({ for_user: userId, context, transcript });
  } catch (e) {
    return failedWith(engineFailure(e, 'memoryPrompt'));
  }
  if (!prompt.allowed?.memories && !prompt.allowed?.partner_notes) return noReport();

  let output;
  try {
    output = await llm(prompt.messages);
  } catch (e) {
    return failed('llm', errorText(e));
  }
  if (typeof output !== 'string') return failed('llm', `llm returned ${output === null ? 'null' : typeof output}, not a string`);

  let plan;
  try {
    plan = nova.memoryOps({ for_user: userId, context, llm_output: output });
  } catch (e) {
    return failedWith(engineFailure(e, 'memoryOps'));
  }
  const rejected = plan.rejected ?? [];
  if (plan.ops.length === 0 && plan.partner_notes.length === 0) return noReport(rejected);

  let res;
  try {
    res = await admin.rpc('nova_apply_memory_update', {
      p_user_id: userId,
      p_partnership_id: context.partnership?.id ?? null,
      p_ops: plan.ops,
      p_partner_notes: plan.partner_notes,
      p_partner_name: plan.partner_name ?? null,
    });
  } catch (e) {
    return failed('database', `nova_apply_memory_update failed: ${errorText(e)}`, rejected);
  }
  if (res?.error) return failed('database', `nova_apply_memory_update failed: ${errorText(res.error)}`, rejected);
  const data = res?.data;
  if (!isObject(data)) return failed('contract', 'nova_apply_memory_update returned no result object', rejected);
  if (data.ok !== true) {
    const err = isObject(data.error) ? data.error : {};
    const at = Number.isInteger(err.index) ? ` ${data.step} op ${err.index}` : ` ${data.step ?? 'update'}`;
    return failed('database', `nova_apply_memory_update refused${at}: ${err.code ?? 'refused'}: ${err.reason ?? ''}`.trim(), rejected);
  }
  const applied = (data.memories?.applied ?? 0) + (data.partner_notes?.applied ?? 0);
  return { applied, rejected };
}
