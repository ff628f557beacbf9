// nova-layers/supabase: route glue between a Supabase client and the engine.
import type { AssembleRequest, AssembleResult, Nova, Options, PromptContext } from './types.js';

/** The part of a supabase-js client this module uses. */
export interface RpcClient {
  rpc(fn: string, args?: Record<string, unknown>): PromiseLike<{ data: any; error: any }>;
}

/** Calls nova_prompt_context(p_user_id) (service role only). Throws on an RPC error. */
export declare function loadPromptContext(supabase: RpcClient, userId: string): Promise<PromptContext>;

/** full_name, else the email's local part, else "there". */
export declare function fallbackName(
  authUser: { email?: string | null; user_metadata?: { full_name?: unknown } } | null | undefined,
): string;

export interface RouteInput {
  chatMemorySummary?: string | null;
  fallbackName?: string | null;
  options?: Options;
}

/** The assemble request from the database context plus what the route knows. */
export declare function buildAssembleRequest(
  context: PromptContext,
  message: string,
  extra?: RouteInput,
): AssembleRequest;

/** Loads the context and assembles the prompt. */
export declare function assemblePrompt(
  nova: Nova,
  supabase: RpcClient,
  input: RouteInput & { userId: string; message: string },
): Promise<AssembleResult>;
