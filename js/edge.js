/* @ts-self-types="./index.d.ts" */
// nova-layers for edge runtimes, through the "workerd" (Cloudflare Workers, wrangler) and
// "edge-light" (Vercel Edge, the Next.js Edge runtime with webpack or Turbopack) export
// conditions. These runtimes refuse to compile wasm from bytes, so the wasm comes as a
// module their bundler compiles ahead of time: `import … from '….wasm?module'` gives a
// WebAssembly.Module in all of them (wrangler's CompiledWasm rule, Next.js's and Vercel's
// edge wasm bindings). The glue beside it (dist/nova-glue.mjs) carries no second copy.
import wasm from '../dist/nova.wasm?module';
import createNovaModule from '../dist/nova-glue.mjs';
import { NovaError } from './engine.js';
import { instantiate } from './load.js';

export { NovaError };

/**
 * Instantiates the engine from the bundled nova.wasm (or `opts.module`, from any realm).
 * Call it once and keep the result.
 * @param {{ module?: WebAssembly.Module }} [opts]
 */
export async function loadNova(opts = {}) {
  return instantiate(createNovaModule, opts.module ?? wasm);
}
