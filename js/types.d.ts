// The contract's shapes (schema/nova-contract.schema.json) as TypeScript types.
// Field names are the database's (snake_case). Offsets in the JS API are UTF-16 indices.

export type Uuid = string;
/** ISO-8601 date-time with a time zone, e.g. "2026-11-25T21:41:34Z". */
export type Timestamp = string;

export type SetupMode = 'pending' | 'self_written' | 'quiz_generated';
/** The contract's $defs/memory_category (tests/rules checks these unions against it). */
export type MemoryCategory =
  | 'important_date' | 'emotional_need' | 'preference' | 'pattern'
  | 'growth_moment' | 'gift_idea' | 'general';
/** The contract's $defs/insight_category. */
export type InsightCategory =
  | 'emotional_need' | 'communication' | 'conflict_style' | 'appreciation'
  | 'strength' | 'growth_area' | 'gift_relevant';

/** A user_profiles row (the columns the prompt uses). */
export interface UserProfile {
  name: string;
  tone?: string | null;
  interests?: string[] | null;
  emotional_patterns?: string | null;
  communication_style?: string | null;
  memory_summary?: Record<string, unknown> | null;
  setup_mode?: SetupMode;
  version?: number | null;
}

export interface Partnership {
  id: Uuid;
  status: 'pending' | 'active' | 'dissolved';
  partner_user_id?: Uuid | null;
}

/** The partner: the linked partner's user_profiles row or the AI-built partner_profiles row. */
export interface Reference {
  source: 'partner_account' | 'ai_generated';
  user_id?: Uuid | null;
  name: string;
  traits?: string[] | null;
  relational_tendencies?: string[] | null;
  important_truths?: string[] | null;
  ai_notes?: string | null;
  tone?: string | null;
  interests?: string[] | null;
  emotional_patterns?: string | null;
  communication_style?: string | null;
  memory_summary?: Record<string, unknown> | null;
}

/** A detection_config row. */
export interface DetectionConfig {
  partner_names?: string[] | null;
  custom_keywords?: {
    strong?: string[] | null;
    medium?: string[] | null;
    weak?: string[] | null;
  } | null;
  relationship_threshold?: number | null;
}

/** What nova.detector() compiles: a detection config plus the reference's name (a strong
 * term right after partner_names). */
export interface DetectorConfig extends DetectionConfig {
  reference_name?: string | null;
}

/** A compiled detector: its configuration's terms built once, for many messages. */
export interface Detector {
  /** Scores one message (match offsets are UTF-16 indices into it). Throws NovaError on an
   * error result (a message over 1 MiB of UTF-8), Error once freed. */
  detect(message: string): Detection;
  /** Releases its wasm memory now (else the garbage collector does, eventually). */
  free(): void;
}

export interface Memory {
  id: Uuid;
  category: MemoryCategory;
  about_user?: Uuid | null;
  content: string;
  /** 0 ... 1 */
  confidence: number;
  updated_at: Timestamp;
  is_active?: boolean;
}

export interface Insight {
  id: Uuid;
  category: InsightCategory;
  about_user?: Uuid | null;
  title: string;
  content: string;
  updated_at: Timestamp;
  is_active?: boolean;
}

/** Everything the prompt is built from. Absent members count as null / empty. */
export interface Context {
  user_id: Uuid;
  user?: UserProfile | null;
  fallback_name?: string | null;
  partnership?: Partnership | null;
  reference?: Reference | null;
  detection?: DetectionConfig | null;
  memories?: Memory[] | null;
  insights?: Insight[] | null;
  chat_memory_summary?: string | null;
}

/** What the database function nova_prompt_context(p_user_id) returns. */
export interface PromptContext extends Context {
  user: UserProfile | null;
  partnership: Partnership | null;
  reference: Reference | null;
  detection: DetectionConfig | null;
  memories: Memory[];
  insights: Insight[];
}

export interface Options {
  /** 1 ... 1000000, default 24000 */
  max_chars?: number;
  /** default "auto": insights together with the relationship layer */
  insights?: 'auto' | 'always' | 'never';
  /** the reference time for dates in the prompt */
  now?: Timestamp;
  /** units of match offsets: "utf8" bytes (the JSON API's default) or "utf16"
   * (JS string indices: the object API's default) */
  offsets?: 'utf8' | 'utf16';
}

/** The assemble request; detect takes the same shape. */
export interface AssembleRequest {
  context: Context;
  /**
   * The user the request is for (nova_prompt_context's p_user_id). When given, the engine
   * refuses a context that is not that function's answer for this user: context.user_id
   * another id (invalid_value at context.user_id), a database member absent (missing_field).
   */
  for_user?: Uuid;
  message: string;
  options?: Options;
}

export interface Match {
  term: string;
  tier: 'strong' | 'medium' | 'weak';
  /** UTF-16 index into the request's message (the C API gives bytes unless asked for
   * options.offsets "utf16", which the object API does). */
  start: number;
  /** UTF-16 index just past the match. */
  end: number;
}

export interface Detection {
  score: number;
  threshold: number;
  relationship: boolean;
  matches: Match[];
}

export type LayerName = 'core' | 'main_user' | 'reference' | 'memory' | 'insight' | 'relationship';

export interface Layer {
  name: LayerName;
  included: boolean;
  chars: number;
  reason: string;
}

export interface AssembleResult {
  prompt: string;
  layers: Layer[];
  detection: Detection;
  budget: {
    max_chars: number;
    used_chars: number;
    dropped: { memories: number; insights: number; reference_items: number; memory_summary_lines: number };
  };
}

/** One turn of the conversation the memory update looks at. */
export interface TranscriptTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** The memory prompt request: the context (as for assemble) and the conversation. */
export interface MemoryPromptRequest {
  context: Context;
  /**
   * The user the request is for (nova_prompt_context's p_user_id). When given, the engine
   * refuses a context that is not that function's answer for this user: context.user_id
   * another id (invalid_value at context.user_id), a database member absent (missing_field).
   */
  for_user?: Uuid;
  transcript: TranscriptTurn[];
  /** only `now` is used (today's date in the prompt) */
  options?: Options;
}

/** A chat message for an OpenAI-compatible chat call. */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface MemoryPromptResult {
  /** [system, user]: the instructions with the known memories, then the transcript */
  messages: ChatMessage[];
  /** Which kinds of operation the prompt offered; both false: skip the model call. */
  allowed: { memories: boolean; partner_notes: boolean };
}

/** The memory ops request: the same context as for the prompt, and the model's answer. */
export interface MemoryOpsRequest {
  context: Context;
  /**
   * The user the request is for (nova_prompt_context's p_user_id). When given, the engine
   * refuses a context that is not that function's answer for this user: context.user_id
   * another id (invalid_value at context.user_id), a database member absent (missing_field).
   */
  for_user?: Uuid;
  /** the model's raw answer, at most 1 MiB of UTF-8 */
  llm_output: string;
  options?: Options;
}

export type MemoryOp =
  | { op: 'add'; category: MemoryCategory; about_user: Uuid | null; content: string; confidence: number }
  | { op: 'update'; id: Uuid; updated_at: Timestamp; content?: string; confidence?: number }
  | { op: 'deactivate'; id: Uuid; updated_at: Timestamp };

export type PartnerNoteField = 'traits' | 'relational_tendencies' | 'important_truths';

export interface PartnerNote {
  field: PartnerNoteField;
  content: string;
}

/** Why an operation of the model's answer was not kept (schema $defs/memory_rejection_reason). */
export type MemoryRejectionReason =
  | 'no_operations' | 'truncated_output' | 'not_an_object' | 'unknown_op' | 'not_allowed'
  | 'missing_field' | 'wrong_type' | 'unknown_category' | 'unknown_about' | 'partner_not_linked'
  | 'unknown_id' | 'duplicate_id' | 'unknown_field' | 'empty_content' | 'content_too_long'
  | 'no_change' | 'echo' | 'duplicate' | 'too_many_ops';

export interface MemoryRejection {
  /** the operation's position in the answer's "operations"; null: the answer as a whole */
  index: number | null;
  reason: MemoryRejectionReason;
}

export interface MemoryOpsResult {
  /** for nova_apply_memory_ops, with real ids and updated_at as the context had it */
  ops: MemoryOp[];
  /** for nova_apply_partner_notes */
  partner_notes: PartnerNote[];
  /** the name an AI-built profile is created with; null when partner notes are not offered */
  partner_name: string | null;
  rejected: MemoryRejection[];
}

export type ErrorCode =
  | 'invalid_json' | 'wrong_type' | 'invalid_value' | 'missing_field'
  | 'limit_exceeded' | 'over_budget' | 'out_of_memory' | 'bad_argument';

/** The engine's error result. */
export interface ErrorResult {
  error: { code: ErrorCode; message: string; path: string };
}

/** What assembleContext adds to the context: the rest of the assemble request. */
export interface AssembleContextInput {
  /** The user's message. */
  message: string;
  /** Written into the context as chat_memory_summary (left out when undefined). */
  chatMemorySummary?: string | null;
  /** Written into the context as fallback_name (left out when undefined). */
  fallbackName?: string | null;
  /** Sent as the request's for_user: the context must be nova_prompt_context(forUser)'s
   * answer (context.user_id equal to it, every database member present). */
  forUser?: Uuid;
  options?: Options;
}

/** One instance of the engine. Reuse it: every call is independent (no state kept). */
export interface Nova {
  /** The engine's version, "MAJOR.MINOR.PATCH". */
  readonly version: string;
  /** Builds the layered system prompt. Throws NovaError on an error result. */
  assemble(request: AssembleRequest): AssembleResult;
  /**
   * assemble() from the prompt context's JSON text: the body of the nova_prompt_context
   * RPC as a string or its UTF-8 bytes, copied into the engine as it is (never parsed or
   * stringified in JS), with chat_memory_summary and fallback_name written into it. The
   * same result as assemble() on the same request; throws NovaError on an error result
   * (a context that is not an object is reported by the engine; an empty one is
   * invalid_json at "context"), TypeError when context is not text or input.message not a
   * string. Byte offsets in its errors count the context text's UTF-8 bytes (from 0, a
   * BOM included), never the request built around it: a syntax error names the first byte
   * that cannot continue the JSON, or the context's length when it ends too early.
   */
  assembleContext(context: string | Uint8Array, input: AssembleContextInput): AssembleResult;
  /** Scores the message for relationship talk. Throws NovaError on an error result. */
  detect(request: AssembleRequest): Detection;
  /** Compiles a detector for many messages. Throws NovaError for a bad configuration
   * (path relative to it, e.g. "custom_keywords.strong[3]"). */
  detector(config: DetectorConfig): Detector;
  /**
   * The C API as is: request JSON text in, result JSON text out (assemble result or
   * {"error":...}), byte offsets in matches. Never throws for an error result; a request
   * that is not a string is a TypeError (the same for the other *JSON calls).
   */
  assembleJSON(requestJson: string): string;
  /** As assembleJSON, for detect. */
  detectJSON(requestJson: string): string;
  /** The memory update's extraction prompt. Throws NovaError on an error result. */
  memoryPrompt(request: MemoryPromptRequest): MemoryPromptResult;
  /**
   * The model's answer to the memory prompt, checked: the operations to apply and the
   * rejected ones. Throws NovaError only for a bad request (rejections are a result).
   */
  memoryOps(request: MemoryOpsRequest): MemoryOpsResult;
  /** As assembleJSON, for memoryPrompt. */
  memoryPromptJSON(requestJson: string): string;
  /** As assembleJSON, for memoryOps. */
  memoryOpsJSON(requestJson: string): string;
  /** The instance's wasm memory (for monitoring its size). */
  readonly memory: WebAssembly.Memory;
}
