/* @ts-self-types="./engine.d.ts" */
// engine — the JS side of the C API (include/nova.h), shared by the Emscripten loader
// (index.js) and the WASI loader (wasi.js): requests go in as JSON text in wasm memory,
// results come back as JSON text the caller owns. Everything placed in the wasm heap is
// freed before a call returns, whatever happens.

/** An error result of the engine ({"error":{code,message,path}}), thrown by the object methods. */
export class NovaError extends Error {
  /**
   * The message is the engine's, after the path when there is one ("context.user_id: is
   * required"), so an uncaught error says where; `code` and `path` are the fields.
   * @param {string} code    stable code: "invalid_json", "wrong_type", "invalid_value", ...
   * @param {string} message human-readable description (the engine's error message)
   * @param {string} path    where in the request, e.g. "context.memories[3].confidence"
   */
  constructor(code, message, path) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'NovaError';
    this.code = code;
    this.path = path;
  }
}

/**
 * A NovaError's message without the path it starts with, for a line that names the path
 * itself ("CODE: message (at PATH)"). By shape, so that a NovaError of another copy of the
 * package reads the same.
 * @param {{ message: string, path?: string }} e
 */
export function engineMessage(e) {
  return e.path && e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

// A lone surrogate in a string (an emoji cut in half) needs no care here: JSON.stringify
// writes it as a \uD8xx-\uDFxx escape and the engine reads that as U+FFFD (json_prescan.h),
// which is one UTF-16 unit like the surrogate, so match offsets still index the string.

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// The request text of the object API: match offsets in UTF-16 units (JS string indices),
// asked of the engine unless the caller chose; a malformed options member is sent as it is,
// for the engine to refuse with its path.
function requestText(request) {
  if (isPlainObject(request) && (request.options === undefined || (isPlainObject(request.options) && request.options.offsets === undefined))) {
    request = { ...request, options: { ...request.options, offsets: 'utf16' } };
  }
  const text = JSON.stringify(request);
  return text === undefined ? '' : text;
}

// The C function behind each raw export, for messages.
const C_NAMES = {
  assembleCached: 'nova_assemble_cached',
  detectCached: 'nova_detect_cached',
  detectorDetect: 'nova_detector_detect',
  memoryPrompt: 'nova_memory_prompt',
  memoryOps: 'nova_memory_ops',
};

// The request text of the memory calls (they report no offsets).
function plainText(request) {
  const text = JSON.stringify(request);
  return text === undefined ? '' : text;
}

// The *JSON calls take the request as JSON text; anything else is the caller's bug (an
// object would be sent as "[object Object]" and refused as bad JSON at byte 1).
function jsonText(fn, text) {
  if (typeof text !== 'string') {
    throw new TypeError(`${fn}: the request must be JSON text (a string), got ${text === null ? 'null' : typeof text}${isPlainObject(text) ? ' (use the object API, or JSON.stringify it)' : ''}`);
  }
  return text;
}

// `,"NAME":VALUE` as JSON.stringify writes a member of an object: nothing when VALUE has no
// JSON text (undefined, a function, a symbol), so assembleContext's request is the one
// assemble() would send for the same values (it stringifies the whole request).
function member(name, value) {
  const json = JSON.stringify(value);
  return json === undefined ? '' : `,"${name}":${json}`;
}

function isJsonSpace(b) {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

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
 * @param {() => number} raw.detectorCacheNew  nova_detector_cache_new
 * @param {(cache: number, req: number, len: number, out: number, outLen: number) => number} raw.assembleCached
 * @param {(cache: number, req: number, len: number, out: number, outLen: number) => number} raw.detectCached
 * @param {(req: number, len: number, out: number, outLen: number) => number} raw.memoryPrompt
 * @param {(req: number, len: number, out: number, outLen: number) => number} raw.memoryOps
 * @param {(cfg: number, len: number, det: number, err: number, errLen: number) => number} raw.detectorNew
 * @param {(det: number, msg: number, len: number, flags: number, out: number, outLen: number) => number} raw.detectorDetect
 * @param {(det: number) => void} raw.detectorFree
 * @param {() => number} raw.version           nova_version
 * @param {(s: number) => number} raw.statusName nova_status_name
 * @param {WebAssembly.Memory | (() => WebAssembly.Memory)} raw.memory
 */
export function createEngine(raw) {
  // Every assemble and detect of this instance goes through one detector cache
  // (nova.h): a configuration met again, a user's next message, has its terms compiled
  // already, whatever API the route calls (objects, assembleContext, the JSON calls).
  // The instance is single-threaded, as a cache must be. 0 (no memory for it): the calls
  // are the uncached ones.
  const cache = raw.detectorCacheNew() >>> 0;

  const cString = (ptr) => {
    const heap = raw.heap();
    let end = ptr;
    while (heap[end] !== 0) end++;
    return decoder.decode(heap.subarray(ptr, end));
  };

  const outOfMemory = '{"error":{"code":"out_of_memory","message":"could not place the input in wasm memory","path":""}}';

  // Reads and frees the result the engine wrote at the out-parameters in block.
  function take(fn, status, block) {
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
  }

  // One call of an entry point that takes a text (and, first, `lead` arguments) and gives
  // a result; returns the result JSON text. flags, when given, goes between the text and
  // the out-parameters.
  function call(fn, text, lead = [], flags = undefined) {
    // One block: 8 bytes for the two out-parameters (char **result, size_t *result_len),
    // then the text (a string or its UTF-8 bytes), at most 3 bytes per UTF-16 unit.
    // Up to 1 MiB of room, the text is encoded straight into wasm memory; a longer one is
    // encoded first, so the block is no larger than it.
    const bytes = text instanceof Uint8Array ? text : text.length > 349525 ? encoder.encode(text) : null;
    const cap = bytes ? bytes.length : text.length * 3;
    const block = raw.alloc(8 + cap) >>> 0;
    if (block === 0) return outOfMemory;
    try {
      let written = cap;
      if (bytes) raw.heap().set(bytes, block + 8);
      else written = encoder.encodeInto(text, raw.heap().subarray(block + 8, block + 8 + cap)).written;
      const args = [...lead, block + 8, written];
      if (flags !== undefined) args.push(flags);
      const status = raw[fn](...args, block, block + 4);
      return take(fn, status, block);
    } finally {
      raw.free(block);
    }
  }

  // nova_assemble / nova_detect on a request text, through the instance's cache.
  const assembleText = (text) => call('assembleCached', text, [cache]);
  const detectText = (text) => call('detectCached', text, [cache]);

  // assembleContext's request: {"context":CONTEXT,"message":...,"options":...} with the
  // route's two context members written into CONTEXT's object right after its opening
  // brace (so they are the context's members whatever follows: written before the closing
  // brace, a CONTEXT that is not one JSON value, "{...},"x":{}", had them land in "x");
  // CONTEXT (the RPC's text or bytes) is copied byte for byte into wasm memory, never
  // parsed or stringified here. A CONTEXT that does not start with "{" is sent as it is:
  // the engine then says what is wrong with it. Offsets in UTF-16 units unless asked
  // otherwise, as assemble() gives them. An error's byte offset is made one of CONTEXT's
  // own bytes (contextError), not of the request built here.
  function assembleContextText(context, input) {
    const bytes = context instanceof Uint8Array;
    if (typeof context !== 'string' && !bytes) {
      throw new TypeError('assembleContext: context must be the JSON text (string or UTF-8 bytes) of a prompt context');
    }
    if (!isPlainObject(input) || typeof input.message !== 'string') {
      throw new TypeError('assembleContext: input.message must be a string');
    }
    // A UTF-8 byte order mark (fetch's arrayBuffer() keeps one) is skipped, as the engine
    // skips one before a request; error offsets still count its 3 bytes.
    const bom = bytes ? context[0] === 0xef && context[1] === 0xbb && context[2] === 0xbf : context.charCodeAt(0) === 0xfeff;
    const body = !bom ? context : bytes ? context.subarray(3) : context.slice(1);
    const unit = bytes ? (i) => body[i] : (i) => body.charCodeAt(i); // JSON space and braces are ASCII
    let open = 0; // the context's first byte that is not white space
    while (open < body.length && isJsonSpace(unit(open))) open++;
    if (open === body.length) {
      return JSON.stringify({ error: { code: 'invalid_json', message: 'the context text is empty (no JSON value)', path: 'context' } });
    }
    let members = member('chat_memory_summary', input.chatMemorySummary) + member('fallback_name', input.fallbackName);
    if (members && unit(open) === 0x7b) {
      let next = open + 1;
      while (next < body.length && isJsonSpace(unit(next))) next++;
      members = next < body.length && unit(next) === 0x7d ? members.slice(1) : `${members.slice(1)},`; // "{}": no comma after ours
    } else {
      members = ''; // not an object: the engine says so
    }
    let options = input.options;
    if (options === undefined || (isPlainObject(options) && options.offsets === undefined)) options = { ...options, offsets: 'utf16' };
    const tail = `${member('for_user', input.forUser)},"message":${JSON.stringify(input.message)}${member('options', options)}}`;
    const head = '{"context":';
    const room = bytes ? body.length : 3 * body.length;
    const cap = head.length + room + 3 * (members.length + tail.length);
    const block = raw.alloc(8 + cap) >>> 0;
    if (block === 0) return outOfMemory;
    let result;
    // Request bytes [head.length, split) are the context's first bytes (to its "{"), the
    // glue's members come next, then [resume, stop) the rest of the context.
    let split;
    let resume;
    let stop;
    try {
      const heap = raw.heap();
      const at = block + 8;
      const limit = at + cap;
      let pos = at + encoder.encodeInto(head, heap.subarray(at, limit)).written;
      const copy = (from, to) => {
        if (bytes) {
          heap.set(body.subarray(from, to), pos);
          pos += to - from;
        } else {
          pos += encoder.encodeInto(from === 0 && to === body.length ? body : body.slice(from, to), heap.subarray(pos, limit)).written;
        }
      };
      const lead = members ? open + 1 : body.length; // through the "{" (spaces before it are ASCII)
      copy(0, lead);
      split = pos - at;
      pos += encoder.encodeInto(members, heap.subarray(pos, limit)).written;
      resume = pos - at;
      if (lead < body.length) copy(lead, body.length);
      stop = pos - at;
      pos += encoder.encodeInto(tail, heap.subarray(pos, limit)).written;
      const status = raw.assembleCached(cache, at, pos - at, block, block + 4);
      result = take('assembleCached', status, block);
    } finally {
      raw.free(block);
    }
    return result.startsWith('{"error"') ? contextError(result, context, { first: head.length, split, resume, stop }, bom ? 3 : 0) : result;
  }

  // An error of assembleContext's request, located in the caller's context text: a JSON
  // syntax error as the engine finds it in the context alone (the offset of its first bad
  // byte); another error's "(byte N)" as the offset in the context when N is one of its
  // bytes (request bytes [first, split) and [resume, stop), after a BOM of `bom` bytes),
  // and left out when N is in what the glue wrote (the path names that member).
  function contextError(result, context, { first, split, resume, stop }, bom) {
    const { error } = JSON.parse(result);
    if (error.code === 'invalid_json') {
      const alone = JSON.parse(assembleText(context)).error;
      if (alone?.code === 'invalid_json') {
        const path = !alone.path ? 'context' : `context${alone.path.startsWith('[') ? '' : '.'}${alone.path}`;
        return JSON.stringify({ error: { ...alone, path } });
      }
    }
    error.message = error.message.replace(/ \(byte (\d+)\)$/, (_, d) => {
      const n = Number(d);
      if (n >= first && n < split) return ` (byte ${n - first + bom})`;
      if (n >= resume && n < stop) return ` (byte ${n - first - (resume - split) + bom})`;
      return '';
    });
    return JSON.stringify({ error });
  }

  // nova_detector_new on a configuration text: the detector's pointer, or the error result.
  function newDetector(text) {
    const cap = text.length * 3;
    const block = raw.alloc(12 + cap) >>> 0;
    if (block === 0) return { error: JSON.parse(outOfMemory).error };
    try {
      const { written } = encoder.encodeInto(text, raw.heap().subarray(block + 12, block + 12 + cap));
      const status = raw.detectorNew(block + 12, written, block, block + 4, block + 8);
      const view = new DataView(raw.heap().buffer);
      const ptr = view.getUint32(block, true);
      if (status === 0) return { ptr };
      const err = view.getUint32(block + 4, true);
      if (err === 0) {
        return { error: { code: cString(raw.statusName(status) >>> 0), message: 'nova_detector_new failed without a result', path: '' } };
      }
      try {
        return JSON.parse(decoder.decode(raw.heap().subarray(err, err + view.getUint32(block + 8, true))));
      } finally {
        raw.free(err);
      }
    } finally {
      raw.free(block);
    }
  }

  const freeDetector = (ptr) => raw.detectorFree(ptr);
  // A detector dropped without free() is freed when the garbage collector takes it.
  const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(freeDetector) : null;

  const version = cString(raw.version() >>> 0);

  return {
    version,
    assemble(request) {
      const result = JSON.parse(assembleText(requestText(request)));
      throwIfError(result);
      return result;
    },
    detect(request) {
      const result = JSON.parse(detectText(requestText(request)));
      throwIfError(result);
      return result;
    },
    detector(config) {
      const made = newDetector(JSON.stringify(config) ?? '');
      throwIfError(made);
      const ptr = made.ptr;
      let live = true;
      const handle = {
        detect(message) {
          if (!live) throw new Error('nova: this detector was freed');
          if (typeof message !== 'string') throw new TypeError(`nova: detector.detect(message) takes a string, got ${typeof message}`);
          const result = JSON.parse(call('detectorDetect', message, [ptr], 1 /* NOVA_DETECT_UTF16 */));
          throwIfError(result);
          return result;
        },
        free() {
          if (!live) return;
          live = false;
          registry?.unregister(handle);
          freeDetector(ptr);
        },
      };
      registry?.register(handle, ptr, handle);
      return handle;
    },
    memoryPrompt(request) {
      const result = JSON.parse(call('memoryPrompt', plainText(request)));
      throwIfError(result);
      return result;
    },
    memoryOps(request) {
      const result = JSON.parse(call('memoryOps', plainText(request)));
      throwIfError(result);
      return result;
    },
    assembleContext(context, input) {
      const result = JSON.parse(assembleContextText(context, input));
      throwIfError(result);
      return result;
    },
    assembleJSON(text) {
      return assembleText(jsonText('assembleJSON', text));
    },
    detectJSON(text) {
      return detectText(jsonText('detectJSON', text));
    },
    memoryPromptJSON(text) {
      return call('memoryPrompt', jsonText('memoryPromptJSON', text));
    },
    memoryOpsJSON(text) {
      return call('memoryOps', jsonText('memoryOpsJSON', text));
    },
    get memory() {
      return typeof raw.memory === 'function' ? raw.memory() : raw.memory;
    },
  };
}
