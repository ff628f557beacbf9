/* @ts-self-types="./wasi.d.ts" */
// nova-layers/wasi — the WASI build of the engine (dist/nova-wasi.wasm: clang + wasi-libc,
// a reactor module) behind the same API as the main entry. For WASI hosts: Node's
// node:wasi, or anywhere else with the built-in stub (the engine does no I/O; its libc
// only links the fd_* calls, it never makes them).
import { NovaError, createEngine } from './engine.js';

export { NovaError };

const WASI_MODULE = 'wasi_snapshot_preview1';
const ERRNO_NOSYS = 52;

/**
 * Minimal wasi_snapshot_preview1 imports for this module: answer "nothing there" to the
 * calls libc might make, and trap on proc_exit (the engine never exits).
 */
function stubImports(module, getMemory) {
  const fns = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== WASI_MODULE || imp.kind !== 'function') continue;
    switch (imp.name) {
      case 'proc_exit':
        fns.proc_exit = (code) => {
          throw new Error(`nova-wasi: proc_exit(${code})`);
        };
        break;
      case 'args_sizes_get':
      case 'environ_sizes_get':
        fns[imp.name] = (countPtr, sizePtr) => {
          const view = new DataView(getMemory().buffer);
          view.setUint32(countPtr, 0, true);
          view.setUint32(sizePtr, 0, true);
          return 0;
        };
        break;
      case 'args_get':
      case 'environ_get':
        fns[imp.name] = () => 0;
        break;
      default:
        fns[imp.name] = () => ERRNO_NOSYS;
    }
  }
  return { [WASI_MODULE]: fns };
}

async function readDefaultWasm() {
  const url = new URL('../dist/nova-wasi.wasm', import.meta.url);
  if (url.protocol === 'file:') {
    if (typeof globalThis.Deno !== 'undefined') return globalThis.Deno.readFile(url);
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`nova-wasi: fetching ${url} failed: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Instantiates the WASI engine.
 * @param {object} [opts]
 * @param {WebAssembly.Module} [opts.module] precompiled dist/nova-wasi.wasm
 * @param {BufferSource} [opts.bytes] the bytes of dist/nova-wasi.wasm
 * @param {{ wasiImport: object, initialize(instance: WebAssembly.Instance): void }} [opts.wasi]
 *   a WASI host object such as `new WASI({ version: 'preview1' })` from node:wasi; without
 *   it the built-in stub is used and _initialize is called directly.
 */
export async function loadNovaWasi(opts = {}) {
  let module = opts.module;
  if (module === undefined) module = await WebAssembly.compile(opts.bytes ?? (await readDefaultWasm()));
  if (!(module instanceof WebAssembly.Module)) {
    throw new TypeError('loadNovaWasi: opts.module must be a WebAssembly.Module (dist/nova-wasi.wasm)');
  }
  let instance;
  const memory = () => instance.exports.memory;
  if (opts.wasi) {
    instance = await WebAssembly.instantiate(module, { [WASI_MODULE]: opts.wasi.wasiImport });
    opts.wasi.initialize(instance);
  } else {
    instance = await WebAssembly.instantiate(module, stubImports(module, memory));
    instance.exports._initialize();
  }
  const x = instance.exports;
  let view = new Uint8Array(x.memory.buffer);
  return createEngine({
    // A grown memory detaches the old buffer: make a new view only when that happened.
    heap: () => (view.buffer === x.memory.buffer ? view : (view = new Uint8Array(x.memory.buffer))),
    memory: x.memory,
    alloc: x.nova_alloc,
    free: x.nova_free,
    detectorCacheNew: x.nova_detector_cache_new,
    assembleCached: x.nova_assemble_cached,
    detectCached: x.nova_detect_cached,
    memoryPrompt: x.nova_memory_prompt,
    memoryOps: x.nova_memory_ops,
    detectorNew: x.nova_detector_new,
    detectorDetect: x.nova_detector_detect,
    detectorFree: x.nova_detector_free,
    version: x.nova_version,
    statusName: x.nova_status_name,
  });
}
