/* @ts-self-types="./engine.d.ts" */
// engine — the JS side of the C API (include/nova.h), shared by the Emscripten loader
// (index.js) and the WASI loader (wasi.js): requests go in as JSON text in wasm memory,
// results come back as JSON text the caller owns. Everything placed in the wasm heap is
// freed before a call returns, whatever happens.

/** An error result of the engine ({"error":{code,message,path}}), thrown by the object methods. */
export class NovaError extends Error {
  /**
   * @param {string} code    stable code: "invalid_json", "wrong_type", "invalid_value", ...
   * @param {string} message human-readable description
   * @param {string} path    where in the request, e.g. "context.memories[3].confidence"
   */
  constructor(code, message, path) {
    super(message);
    this.name = 'NovaError';
    this.code = code;
    this.path = path;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

// JSON.stringify writes a lone surrogate as a \uD8xx-\uDFxx escape, which the engine
// (rightly) refuses as invalid UTF-16. Chat text can hold one (an emoji cut in half), so
// such strings are sent with U+FFFD instead; a paired surrogate is written raw and never
// matches this test. The byte-offset conversion counts a lone surrogate as U+FFFD too.
const LONE_SURROGATE_ESCAPE = /\\ud[89a-f]/i;

function wellFormed(s) {
  if (typeof s.toWellFormed === 'function') return s.toWellFormed();
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function requestText(request) {
  const text = JSON.stringify(request);
  if (text === undefined) return '';
  if (!LONE_SURROGATE_ESCAPE.test(text)) return text;
  return JSON.stringify(request, (_key, value) => (typeof value === 'string' ? wellFormed(value) : value));
}

/**
 * Maps UTF-8 byte offsets into `str` to UTF-16 indices (JS string indices), in one pass
 * over the string up to the largest offset. An offset past the end maps to str.length.
 */
export function byteOffsetsToIndices(str, offsets) {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const map = new Map();
  let bytes = 0;
  let i = 0;
  let k = 0;
  while (k < wanted.length) {
    // An offset that falls inside a character (never produced by the engine) maps to the
    // index after it, so a match never starts or ends inside a surrogate pair.
    while (k < wanted.length && wanted[k] <= bytes) map.set(wanted[k++], i);
    if (i >= str.length) break;
    const c = str.charCodeAt(i);
    if (c < 0x80) {
      bytes += 1;
      i += 1;
    } else if (c < 0x800) {
      bytes += 2;
      i += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length &&
               (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 2;
    } else {
      bytes += 3; // rest of the BMP, and a lone surrogate sent as U+FFFD
      i += 1;
    }
  }
  while (k < wanted.length) map.set(wanted[k++], str.length);
  return map;
}

/** Rewrites a detection object's match offsets from bytes to UTF-16 indices of `message`. */
function convertDetection(detection, message) {
  if (!detection || !Array.isArray(detection.matches) || detection.matches.length === 0) return;
  if (typeof message !== 'string') return;
  const map = byteOffsetsToIndices(message, detection.matches.flatMap((m) => [m.start, m.end]));
  for (const m of detection.matches) {
    m.start = map.get(m.start);
    m.end = map.get(m.end);
  }
}

// The C function behind each raw export, for messages.
const C_NAMES = {
  assemble: 'nova_assemble',
  detect: 'nova_detect',
  memoryPrompt: 'nova_memory_prompt',
  memoryOps: 'nova_memory_ops',
};

function throwIfError(result) {
  if (result && typeof result === 'object' && result.error && typeof result.error === 'object') {
    const e = result.error;
    throw new NovaError(String(e.code), String(e.message), String(e.path ?? ''));
  }
}

/**
 * Builds the public API over the raw exports of one instance.
 * @param {object} raw
 * @param {() => Uint8Array} raw.heap  the current view of wasm memory (it can grow)
 * @param {(n: number) => number} raw.alloc  nova_alloc
 * @param {(p: number) => void} raw.free      nova_free
 * @param {(req: number, len: number, out: number, outLen: number) => number} raw.assemble
 * @param {(req: number, len: number, out: number, outLen: number) => number} raw.detect
 * @param {(req: number, len: number, out: number, outLen: number) => number} raw.memoryPrompt
 * @param {(req: number, len: number, out: number, outLen: number) => number} raw.memoryOps
 * @param {() => number} raw.version           nova_version
 * @param {(s: number) => number} raw.statusName nova_status_name
 * @param {WebAssembly.Memory | (() => WebAssembly.Memory)} raw.memory
 */
export function createEngine(raw) {
  const cString = (ptr) => {
    const heap = raw.heap();
    let end = ptr;
    while (heap[end] !== 0) end++;
    return decoder.decode(heap.subarray(ptr, end));
  };

  // One call of an engine function (assemble, detect, memoryPrompt, memoryOps) on JSON text;
  // returns the result JSON text.
  function call(fn, text) {
    const bytes = encoder.encode(text);
    // One block: 8 bytes for the two out-parameters (char **result, size_t *result_len),
    // then the request bytes.
    const block = raw.alloc(8 + bytes.length) >>> 0;
    if (block === 0) {
      return '{"error":{"code":"out_of_memory","message":"could not place the request in wasm memory","path":""}}';
    }
    try {
      raw.heap().set(bytes, block + 8);
      const status = raw[fn](block + 8, bytes.length, block, block + 4);
      const view = new DataView(raw.heap().buffer);
      const out = view.getUint32(block, true);
      const outLen = view.getUint32(block + 4, true);
      if (out === 0) {
        // The engine had no memory left to describe the failure in (nova.h).
        const code = cString(raw.statusName(status) >>> 0);
        return JSON.stringify({ error: { code, message: `${C_NAMES[fn]} failed without a result`, path: '' } });
      }
      try {
        return decoder.decode(raw.heap().subarray(out, out + outLen));
      } finally {
        raw.free(out);
      }
    } finally {
      raw.free(block);
    }
  }

  const version = cString(raw.version() >>> 0);

  return {
    version,
    assemble(request) {
      const result = JSON.parse(call('assemble', requestText(request)));
      throwIfError(result);
      convertDetection(result.detection, request.message);
      return result;
    },
    detect(request) {
      const result = JSON.parse(call('detect', requestText(request)));
      throwIfError(result);
      convertDetection(result, request.message);
      return result;
    },
    memoryPrompt(request) {
      const result = JSON.parse(call('memoryPrompt', requestText(request)));
      throwIfError(result);
      return result;
    },
    memoryOps(request) {
      const result = JSON.parse(call('memoryOps', requestText(request)));
      throwIfError(result);
      return result;
    },
    assembleJSON(text) {
      return call('assemble', String(text));
    },
    detectJSON(text) {
      return call('detect', String(text));
    },
    memoryPromptJSON(text) {
      return call('memoryPrompt', String(text));
    },
    memoryOpsJSON(text) {
      return call('memoryOps', String(text));
    },
    get memory() {
      return typeof raw.memory === 'function' ? raw.memory() : raw.memory;
    },
  };
}
