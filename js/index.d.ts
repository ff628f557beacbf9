// nova-layers: the Emscripten build of the engine (Node >= 20, Deno 2, browsers, edge).
export * from './types.js';
export { NovaError } from './engine.js';
import type { Nova } from './types.js';

export interface LoadNovaOptions {
  /**
   * The precompiled dist/nova.wasm, for runtimes that refuse to compile wasm from bytes
   * (Vercel Edge, Cloudflare Workers): `import wasm from 'nova-layers/nova.wasm?module'`.
   * Without it the wasm embedded in the package's module is used.
   */
  module?: WebAssembly.Module;
}

/** Instantiates the engine. Call once and reuse the result. */
export declare function loadNova(opts?: LoadNovaOptions): Promise<Nova>;
