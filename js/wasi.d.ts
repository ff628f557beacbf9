// nova-layers/wasi: the WASI build of the engine (dist/nova-wasi.wasm).
export * from './types.js';
export { NovaError } from './engine.js';
import type { Nova } from './types.js';

/** A WASI host object, e.g. `new WASI({ version: 'preview1' })` from node:wasi. */
export interface WasiHost {
  wasiImport: Record<string, unknown>;
  initialize(instance: WebAssembly.Instance): void;
}

export interface LoadNovaWasiOptions {
  /** The precompiled dist/nova-wasi.wasm. */
  module?: WebAssembly.Module;
  /** The bytes of dist/nova-wasi.wasm (default: read next to the package). */
  bytes?: BufferSource;
  /** A WASI host; without it a built-in stub of the few imports is used. */
  wasi?: WasiHost;
}

/** Instantiates the WASI engine. Call once and reuse the result. */
export declare function loadNovaWasi(opts?: LoadNovaWasiOptions): Promise<Nova>;
