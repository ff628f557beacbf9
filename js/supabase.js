/* @ts-self-types="./supabase.d.ts" */
// nova-layers/supabase — the route glue between Supabase and the engine: one RPC for the
// whole prompt context (the database function nova_prompt_context), then one assemble.
// Works with any client that has supabase-js's rpc() (server side, service role key: the
// function is for the service role only).

/**
 * Loads the prompt context of a user in one round trip.
 * @param {{ rpc(fn: string, args?: object): PromiseLike<{ data: any, error: any }> }} supabase
 * @param {string} userId the auth user's id
 * @returns {Promise<import('./types.js').PromptContext>}
 */
export async function loadPromptContext(supabase, userId) {
  const { data, error } = await supabase.rpc('nova_prompt_context', { p_user_id: userId });
  if (error) {
    const err = new Error(`nova_prompt_context failed: ${error.message ?? String(error)}`);
    err.cause = error;
    throw err;
  }
  if (data === null || typeof data !== 'object') {
    throw new Error('nova_prompt_context returned no context');
  }
  return data;
}

/**
 * The name to greet a user by when they have no profile row yet: the auth user's
 * full_name, else the local part of their email, else "there".
 * @param {{ email?: string | null, user_metadata?: { full_name?: unknown } } | null | undefined} authUser
 */
export function fallbackName(authUser) {
  const full = authUser?.user_metadata?.full_name;
  if (typeof full === 'string' && full.trim() !== '') return full.trim();
  const email = authUser?.email;
  if (typeof email === 'string' && email.includes('@') && email.indexOf('@') > 0) {
    return email.slice(0, email.indexOf('@'));
  }
  return 'there';
}

/**
 * Builds the assemble request from the database context and what the route knows.
 * @param {import('./types.js').PromptContext} context from loadPromptContext
 * @param {string} message the user's message
 * @param {{ chatMemorySummary?: string | null, fallbackName?: string | null,
 *           options?: import('./types.js').Options }} [extra]
 * @returns {import('./types.js').AssembleRequest}
 */
export function buildAssembleRequest(context, message, extra = {}) {
  const request = {
    context: {
      ...context,
      chat_memory_summary: extra.chatMemorySummary ?? null,
      fallback_name: extra.fallbackName ?? null,
    },
    message,
  };
  if (extra.options) request.options = extra.options;
  return request;
}

/**
 * The whole prompt step of the route: load the context, assemble, return the result.
 * @param {import('./types.js').Nova} nova from loadNova()
 * @param {{ rpc(fn: string, args?: object): PromiseLike<{ data: any, error: any }> }} supabase
 * @param {{ userId: string, message: string, chatMemorySummary?: string | null,
 *           fallbackName?: string | null, options?: import('./types.js').Options }} input
 */
export async function assemblePrompt(nova, supabase, input) {
  const context = await loadPromptContext(supabase, input.userId);
  return nova.assemble(buildAssembleRequest(context, input.message, input));
}
