// nova-layers/supabase: route glue between a Supabase client and the engine.
import type { AssembleResult, ChatMessage, Context, MemoryRejection, Nova, Options, TranscriptTurn } from './types.js';

/** The part of a supabase-js client this module uses (create it with the service role key). */
export interface RpcClient {
  rpc(fn: string, args?: Record<string, unknown>): PromiseLike<{ data: any; error: any }>;
}

/** Which step of a route call failed. */
export type RouteStep = 'database' | 'contract' | 'engine';

/** Thrown by buildSystemPrompt: the message starts with the step ("database: …"). */
export declare class NovaStepError extends Error {
  constructor(step: RouteStep, message: string, cause?: unknown);
  readonly name: 'NovaStepError';
  /**
   * "database": the RPC failed (network, PostgREST, permissions; `cause` is the error);
   * "contract": the database's answer is not a prompt context the engine accepts;
   * "engine": the engine refused the request (message, options, budget).
   */
  step: RouteStep;
  /** The engine's code ("over_budget", …) when the engine refused. */
  code?: string;
  /** Where in the request, when the engine refused ("context.memories[3].content"). */
  path?: string;
}

/** full_name, else the email's local part, else "there". */
export declare function fallbackName(
  authUser: { email?: string | null; user_metadata?: { full_name?: unknown } } | null | undefined,
): string;

export interface BuildSystemPromptInput {
  /** From loadNova(). */
  nova: Nova;
  /** A supabase-js client with the service role key: nova_prompt_context is for it only. */
  admin: RpcClient;
  /** The signed-in user's id (from the verified JWT, never from the request body). */
  userId: string;
  /** The user's new message. */
  message: string;
  /** The name for a user without a profile row: fallbackName(authUser). */
  fallbackName?: string | null;
  /** The chat's own memory_summary. */
  chatMemorySummary?: string | null;
  options?: Options;
}

/** The assemble result plus the context it was built from (for updateSharedMemories). */
export interface SystemPrompt extends AssembleResult {
  /** Parsed from the RPC's text when first read (the prompt itself never needs it). */
  context: Context;
}

/**
 * One RPC (nova_prompt_context), its answer as text straight into the engine
 * (assembleContext, with forUser: userId), no JSON.parse/stringify of the context.
 * Throws NovaStepError.
 */
export declare function buildSystemPrompt(input: BuildSystemPromptInput): Promise<SystemPrompt>;

export interface UpdateSharedMemoriesInput {
  /** From loadNova(): its memoryPrompt and memoryOps calls. */
  nova: Nova;
  admin: RpcClient;
  userId: string;
  /** The conversation so far, ending with the reply just given. */
  transcript: TranscriptTurn[];
  /** Your LLM call: the memory prompt's messages in, the model's text out. */
  llm: (messages: ChatMessage[]) => Promise<string>;
  /** The context buildSystemPrompt returned (saves the second load, same rows). */
  context?: Context;
}

export interface MemoryUpdateReport {
  /** Memory ops plus partner notes written (0 when nothing was, or on an error). */
  applied: number;
  /** What the engine refused or dropped from the model's output. */
  rejected: MemoryRejection[];
  /** Why nothing was applied; absent on success. */
  error?: { step: RouteStep | 'llm'; message: string };
}

/** After a reply: learn what is worth keeping. A failed step is the report's `error` (one transaction or nothing); only a wrong argument rejects (TypeError). */
export declare function updateSharedMemories(input: UpdateSharedMemoriesInput): Promise<MemoryUpdateReport>;
