// Internal module shared by the two loaders; its public parts are re-exported by them.
import type { ErrorCode, Nova } from './types.js';

/**
 * An error result of the engine, thrown by assemble(), assembleContext(), detect(),
 * memoryPrompt() and memoryOps(). `message` is the engine's message after the path, when
 * there is one: "context.user_id: is required".
 */
export declare class NovaError extends Error {
  constructor(code: ErrorCode | string, message: string, path: string);
  readonly name: 'NovaError';
  /** Stable machine-readable code. */
  code: ErrorCode | string;
  /** Where in the request: "context.memories[3].confidence"; "" for the request as a whole. */
  path: string;
}

/** A NovaError's message without the path it starts with (the engine's own message). */
export declare function engineMessage(e: { message: string; path?: string }): string;


export interface RawEngine {
  heap(): Uint8Array;
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
  detectorCacheNew(): number;
  assembleCached(cache: number, request: number, length: number, result: number, resultLength: number): number;
  detectCached(cache: number, request: number, length: number, result: number, resultLength: number): number;
  memoryPrompt(request: number, length: number, result: number, resultLength: number): number;
  memoryOps(request: number, length: number, result: number, resultLength: number): number;
  detectorNew(config: number, length: number, detector: number, error: number, errorLength: number): number;
  detectorDetect(detector: number, message: number, length: number, flags: number, result: number, resultLength: number): number;
  detectorFree(detector: number): void;
  version(): number;
  statusName(status: number): number;
}

export declare function createEngine(raw: RawEngine): Nova;
