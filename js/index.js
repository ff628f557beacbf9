/* @ts-self-types="./index.d.ts" */
// nova-layers — the package's main entry: the Emscripten build of the engine
// (dist/nova.mjs, wasm embedded) behind a plain-object API. Runs unchanged in Node >= 20,
// Deno 2 and browsers; runtimes that refuse to compile wasm from bytes (Vercel Edge,
// Cloudflare Workers) pass the precompiled dist/nova.wasm as `module`.
import createNovaModule from '../dist/nova.mjs';
import { NovaError, createEngine } from './engine.js';

export { NovaError };

/**
 * Instantiates the engine. Call it once and keep the result: each call makes a new
 * instance with its own memory.
 * @param {{ module?: WebAssembly.Module }} [opts]
 *   module: the precompiled dist/nova.wasm (`import wasm from 'nova-layers/nova.wasm?module'`);
 *   without it the wasm embedded in dist/nova.mjs is compiled.
 */
export async function loadNova(opts = {}) {
  const moduleArg = {};
  let failed = null;
  if (opts.module !== undefined) {
    const mod = opts.module;
    if (!(mod instanceof WebAssembly.Module)) {
      throw new TypeError('loadNova: opts.module must be a WebAssembly.Module (dist/nova.wasm)');
    }
    // Emscripten's hook: instantiate the given module with the glue's imports. 3.1.6 does
    // not reject its ready promise when this fails, so the failure is raced in here.
    failed = new Promise((_resolve, reject) => {
      moduleArg.instantiateWasm = (imports, receiveInstance) => {
        // catch(), not then(_, reject): a module that instantiates but lacks the glue's
        // exports makes receiveInstance throw, and that must reject too.
        WebAssembly.instantiate(mod, imports)
          .then((instance) => receiveInstance(instance, mod))
          .catch(reject);
        return {};
      };
    });
  }
  const ready = createNovaModule(moduleArg);
  const M = await (failed ? Promise.race([ready, failed]) : ready);
  const memory = Object.values(M.asm).find((v) => v instanceof WebAssembly.Memory);
  return createEngine({
    heap: () => M.HEAPU8,
    memory,
    alloc: M._nova_alloc,
    free: M._nova_free,
    assemble: M._nova_assemble,
    detect: M._nova_detect,
    version: M._nova_version,
    statusName: M._nova_status_name,
  });
}
