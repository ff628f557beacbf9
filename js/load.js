// load — instantiates the Emscripten build behind the engine API. Shared by the two entries
// of `nova-layers`: js/index.js (dist/nova.mjs, the wasm embedded) and js/edge.js
// (dist/nova-glue.mjs, always given the precompiled dist/nova.wasm).
import { createEngine } from './engine.js';

/**
 * True for a WebAssembly.Module from any realm. A bundler or host (Next.js, edge-runtime,
 * vm contexts) may compile the module in another realm than the one this code runs in,
 * where `instanceof WebAssembly.Module` is false although the object is one.
 */
export function isWasmModule(value) {
  return value instanceof WebAssembly.Module ||
    Object.prototype.toString.call(value) === '[object WebAssembly.Module]';
}

function describe(value) {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return Object.prototype.toString.call(value).slice(8, -1);
}

// What to do about a failure, when the message says more than the error itself.
function hint(error) {
  const text = String(error?.message ?? error);
  if (/disallow|code generation|not allowed|embedder/i.test(text)) {
    return ' (this runtime refuses to compile WebAssembly from bytes: import \'nova-layers\' ' +
      'through a bundler that applies the "workerd" or "edge-light" export condition, or pass ' +
      'loadNova({ module }) the precompiled nova-layers/nova.wasm)';
  }
  return '';
}

/**
 * @param {(moduleArg: object) => Promise<any>} createModule the Emscripten factory
 * @param {WebAssembly.Module | undefined} module the precompiled module, or undefined for
 *   the factory's embedded wasm
 * @returns {Promise<import('./types.js').Nova>}
 */
export async function instantiate(createModule, module) {
  const moduleArg = {};
  let failed = null;
  if (module !== undefined) {
    if (!isWasmModule(module)) {
      throw new TypeError(`loadNova: opts.module must be a WebAssembly.Module (nova-layers/nova.wasm), got ${describe(module)}`);
    }
    // Emscripten's hook: instantiate the given module with the glue's imports. 3.1.6 does
    // not reject its ready promise when this fails, so the failure is raced in here.
    failed = new Promise((_resolve, reject) => {
      moduleArg.instantiateWasm = (imports, receiveInstance) => {
        // catch(), not then(_, reject): a module that instantiates but lacks the glue's
        // exports makes receiveInstance throw, and that must reject too.
        WebAssembly.instantiate(module, imports)
          .then((instance) => receiveInstance(instance, module))
          .catch(reject);
        return {};
      };
    });
  }
  let M;
  try {
    const ready = createModule(moduleArg);
    M = await (failed ? Promise.race([ready, failed]) : ready);
  } catch (error) {
    const what = module === undefined ? 'the embedded engine' : 'the given module';
    throw new Error(`loadNova: instantiating ${what} failed: ${error?.message ?? error}${hint(error)}`,
      { cause: error });
  }
  return createEngine({
    heap: () => M.HEAPU8,
    memory: M.memory, // wasm/post.js
    alloc: M._nova_alloc,
    free: M._nova_free,
    detectorCacheNew: M._nova_detector_cache_new,
    assembleCached: M._nova_assemble_cached,
    detectCached: M._nova_detect_cached,
    memoryPrompt: M._nova_memory_prompt,
    memoryOps: M._nova_memory_ops,
    detectorNew: M._nova_detector_new,
    detectorDetect: M._nova_detector_detect,
    detectorFree: M._nova_detector_free,
    version: M._nova_version,
    statusName: M._nova_status_name,
  });
}
