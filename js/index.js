/* @ts-self-types="./index.d.ts" */
// nova-layers — the package's main entry for Node >= 20, Deno 2, browsers and bundlers
// (export conditions "node", "deno", "browser", "default"): the Emscripten build with its
// wasm embedded (dist/nova.mjs), so `await loadNova()` needs no file, fetch or permission.
// Edge runtimes get js/edge.js through the "workerd" and "edge-light" conditions.
import createNovaModule from '../dist/nova.mjs';
import { NovaError } from './engine.js';
import { instantiate } from './load.js';

export { NovaError };

/**
 * Instantiates the engine. Call it once and keep the result: each call makes a new
 * instance with its own memory.
 * @param {{ module?: WebAssembly.Module }} [opts]
 *   module: the precompiled nova-layers/nova.wasm, from any realm; without it the wasm
 *   embedded in dist/nova.mjs is compiled.
 */
export async function loadNova(opts = {}) {
  return instantiate(createNovaModule, opts.module);
}
