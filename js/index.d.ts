// nova-layers: the engine, for every runtime. The "node", "deno", "browser" and "default"
// export conditions load js/index.js (wasm embedded), "workerd" and "edge-light" load
// js/edge.js (the bundler's precompiled nova.wasm); both have this API.
export * from './types.js';
export { NovaError } from './engine.js';
import type { Nova } from './types.js';

export interface LoadNovaOptions {
  /**
   * A precompiled nova-layers/nova.wasm, from any realm (a host or bundler may compile it
   * in another one). Without it the entry's own wasm is used: embedded in the main entry,
   * the bundler's compiled module in the edge entry.
   */
  module?: WebAssembly.Module;
}

/** Instantiates the engine. Call once and reuse the result. */
export declare function loadNova(opts?: LoadNovaOptions): Promise<Nova>;
