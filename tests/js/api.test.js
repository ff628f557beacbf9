// The JS API of the main entry (Emscripten build): results, errors, offsets, module path.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { engineMessage } from '../../js/engine.js';
import { NovaError, loadNova } from '../../js/index.js';
import { ROOT, native, withMemory } from './helpers.js';
import { makeRequest, routeParts, small } from './requests.js';

let nova;
beforeAll(async () => {
  nova = await loadNova();
});

const utf8Length = (s) => new TextEncoder().encode(s).length;

describe('loadNova', () => {
  it('reports the version of nova.h and package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const header = readFileSync(join(ROOT, 'include/nova.h'), 'utf8');
    expect(nova.version).toBe(/NOVA_VERSION_STRING "([^"]+)"/.exec(header)[1]);
    expect(nova.version).toBe(pkg.version);
  });

  it('exposes the instance memory', () => {
    expect(nova.memory).toBeInstanceOf(WebAssembly.Memory);
    expect(nova.memory.buffer.byteLength).toBeGreaterThan(0);
  });

  it('gives independent instances', async () => {
    const other = await loadNova();
    expect(other.memory).not.toBe(nova.memory);
    expect(other.assembleJSON(JSON.stringify(small()))).toBe(nova.assembleJSON(JSON.stringify(small())));
  });

  it('accepts a precompiled WebAssembly.Module (dist/nova.wasm)', async () => {
    const module = new WebAssembly.Module(readFileSync(join(ROOT, 'dist/nova.wasm')));
    const viaModule = await loadNova({ module });
    const text = JSON.stringify(makeRequest({ memories: 20, insights: 4 }));
    expect(viaModule.assembleJSON(text)).toBe(nova.assembleJSON(text));
    expect(viaModule.assemble(small())).toEqual(nova.assemble(small()));
  });

  it('accepts a module compiled in another realm (what Next.js and edge-runtime hand over)', async () => {
    const bytes = readFileSync(join(ROOT, 'dist/nova.wasm'));
    const foreign = runInNewContext('new WebAssembly.Module(bytes)', { bytes });
    expect(foreign instanceof WebAssembly.Module).toBe(false);
    const viaForeign = await loadNova({ module: foreign });
    const text = JSON.stringify(makeRequest({ memories: 20, insights: 4 }));
    expect(viaForeign.assembleJSON(text)).toBe(nova.assembleJSON(text));
  });

  it('rejects a module that is not a WebAssembly.Module, saying what it got', async () => {
    await expect(loadNova({ module: readFileSync(join(ROOT, 'dist/nova.wasm')) }))
      .rejects.toThrow(/must be a WebAssembly.Module .*got Uint8Array/);
    await expect(loadNova({ module: null })).rejects.toThrow(TypeError);
  });

  it('rejects (does not hang) when the module does not fit the glue', async () => {
    const wasi = new WebAssembly.Module(readFileSync(join(ROOT, 'dist/nova-wasi.wasm')));
    await expect(loadNova({ module: wasi })).rejects.toThrow(/instantiating the given module failed/);
  });
});

// A runtime that refuses to compile wasm from bytes (workerd, Vercel Edge) makes the
// embedded load fail. That must reject loadNova() and do nothing else: no unhandled
// rejection killing the process, no 100 KB source line printed. Each case runs in a fresh
// Node process whose WebAssembly refuses the way such a runtime does.
describe('a failed embedded load', () => {
  const refuse = {
    'instantiate rejects': 'WebAssembly.instantiate = () => Promise.reject(new WebAssembly.CompileError("WebAssembly.instantiate(): Wasm code generation disallowed by embedder"));',
    'Module throws': 'WebAssembly.Module = function () { throw new WebAssembly.CompileError("WebAssembly.Module(): Wasm code generation disallowed by embedder"); };',
  };
  for (const [name, patch] of Object.entries(refuse)) {
    it(`${name}: loadNova() rejects with a hint, the process lives on`, () => {
      const script = `${patch}
        process.on('unhandledRejection', (e) => { console.log('UNHANDLED', String(e).slice(0, 200)); process.exit(4); });
        const { loadNova } = await import(${JSON.stringify(join(ROOT, 'js/index.js'))});
        try { await loadNova(); console.log('LOADED'); }
        catch (e) { console.log('REJECTED', e.message); }
        await new Promise((r) => setTimeout(r, 50));
        console.log('ALIVE');`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^REJECTED loadNova: instantiating the embedded engine failed: .*disallowed by embedder.*"workerd" or "edge-light".*\nALIVE\n$/s);
      expect(r.stderr).toBe('');
    });
  }
});

describe('assemble', () => {
  it('returns the contract shape as a plain object', () => {
    const r = nova.assemble(small());
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(typeof r.prompt).toBe('string');
    expect(r.prompt.length).toBeGreaterThan(0);
    expect(r.layers.map((l) => l.name)).toEqual(
      ['core', 'main_user', 'reference', 'memory', 'insight', 'relationship']);
    expect(r.budget.max_chars).toBe(24000);
    expect(r.budget.used_chars).toBeLessThanOrEqual(24000);
    expect(r.detection.relationship).toBe(true);
  });

  it('equals JSON.parse of the raw C result when no offsets need converting', () => {
    const req = makeRequest({ message: 'plain ascii about Sam and our anniversary' });
    expect(nova.assemble(req)).toEqual(JSON.parse(nova.assembleJSON(JSON.stringify(req))));
  });

  it('is deterministic across calls', () => {
    const text = JSON.stringify(makeRequest({ memories: 60, insights: 12 }));
    const first = nova.assembleJSON(text);
    for (let i = 0; i < 5; i++) expect(nova.assembleJSON(text)).toBe(first);
  });

  it('puts the partner name and the user name in the prompt', () => {
    const r = nova.assemble(small());
    expect(r.prompt).toContain('Alex');
    expect(r.prompt).toContain('Sam');
  });
});

describe('detect', () => {
  it('returns the detection object alone', () => {
    const d = nova.detect(small());
    expect(Object.keys(d).sort()).toEqual(['matches', 'relationship', 'score', 'threshold']);
    expect(d.threshold).toBe(2);
    expect(d.score).toBeGreaterThanOrEqual(2);
  });

  it('agrees with assemble().detection', () => {
    const req = makeRequest({ message: '💬 Sammy’s birthday dinner — date night with Sam?' });
    expect(nova.detect(req)).toEqual(nova.assemble(req).detection);
  });
});

describe('offsets: UTF-16 indices computed by the engine', () => {
  const messages = [
    'Sam forgot our anniversary',
    'Ça va? Zoë said Sam forgot our anniversary',
    '😀😀 I talked to Sam about the anniversary 🎉 dinner',
    '𝒜𝒷𝒸 Sammy’s plan: date night, then Sam again',
    '我们 Sam 的 anniversary',
  ];
  for (const message of messages) {
    it(`maps matches in ${JSON.stringify(message)}`, () => {
      const req = makeRequest({ message });
      const raw = JSON.parse(nova.detectJSON(JSON.stringify(req)));
      const d = nova.detect(req);
      expect(d.matches.length).toBeGreaterThan(0);
      expect(d.matches.length).toBe(raw.matches.length);
      const bytes = new TextEncoder().encode(message);
      d.matches.forEach((m, i) => {
        const r = raw.matches[i];
        // The UTF-16 slice is exactly the bytes the engine pointed at.
        expect(message.slice(m.start, m.end)).toBe(new TextDecoder().decode(bytes.subarray(r.start, r.end)));
        expect(utf8Length(message.slice(0, m.start))).toBe(r.start);
        expect(utf8Length(message.slice(0, m.end))).toBe(r.end);
      });
      expect(nova.assemble(req).detection).toEqual(d);
    });
  }

  it('finds a partner name written in non-ASCII letters at the right index', () => {
    const req = makeRequest({ message: '🌍 Ångström and Zoë went out' });
    req.context.detection.partner_names = ['Zoë'];
    const d = nova.detect(req);
    const m = d.matches.find((x) => x.tier === 'strong' && req.message.slice(x.start, x.end) === 'Zoë');
    expect(m).toBeDefined();
    expect(m.start).toBe(req.message.indexOf('Zoë'));
  });

  it('sends a lone surrogate as U+FFFD and still maps offsets', () => {
    const message = 'broken \ud83d emoji, then Sam';
    const d = nova.detect(makeRequest({ message }));
    const m = d.matches.find((x) => message.slice(x.start, x.end) === 'Sam');
    expect(m).toBeDefined();
    expect(m.start).toBe(message.indexOf('Sam'));
  });

  it('leaves offsets in bytes when the caller asks for utf8', () => {
    const req = makeRequest({ message: '😀 Sam' });
    expect(nova.detect({ ...req, options: { offsets: 'utf8' } }).matches[0].start).toBe(5);
    expect(nova.detect(req).matches[0].start).toBe(3);
  });
});

// A request with this message and detection config (and no reference, when asked).
function withDetection(message, detection, { noReference = false } = {}) {
  const req = makeRequest({ message });
  req.context.detection = detection;
  if (noReference) req.context.reference = null;
  return req;
}

describe('detector', () => {
  const config = { partner_names: ['Sam', 'Zoë'], custom_keywords: { medium: ['date night'], weak: ['coffee'] }, relationship_threshold: 1.5 };
  const messages = [
    'Sam forgot our anniversary', '❤️Sam', '#️⃣Zoe and coffee', 'nothing at all', '',
    'broken \ud83d emoji, then Sam', '𝒜 date   night 😀 with ZOË', 'Samuel and coffeehouse',
  ];

  it('gives what detect() gives for the same terms, with UTF-16 offsets', () => {
    const det = nova.detector(config);
    try {
      for (const message of messages) {
        const viaRequest = nova.detect(withDetection(message, config, { noReference: true }));
        const d = det.detect(message);
        expect(d).toEqual(viaRequest);
        for (const m of d.matches) expect(message.slice(m.start, m.end).length).toBeGreaterThan(0);
      }
      expect(det.detect('Sam').threshold).toBe(1.5);
    } finally {
      det.free();
    }
  });

  it('counts reference_name as a strong term after the partner names', () => {
    const det = nova.detector({ reference_name: 'Robin' });
    expect(det.detect('robin called').matches).toEqual([{ term: 'Robin', tier: 'strong', start: 0, end: 5 }]);
    det.free();
  });

  it('refuses a bad configuration with the path in it, and messages that are not strings', () => {
    let caught;
    try {
      nova.detector({ custom_keywords: { strong: ['ok', 'x'.repeat(201)] } });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NovaError);
    expect(caught.code).toBe('limit_exceeded');
    expect(caught.path).toBe('custom_keywords.strong[1]');
    const det = nova.detector({});
    expect(() => det.detect(42)).toThrow(TypeError);
    det.free();
    det.free(); // twice is fine
    expect(() => det.detect('x')).toThrow(/freed/);
  });

  it('refuses a message over 1 MiB of UTF-8', () => {
    const det = nova.detector({});
    expect(() => det.detect('é'.repeat(524289))).toThrow(NovaError);
    expect(det.detect('é'.repeat(524288)).score).toBe(0);
    det.free();
  });
});

// The engine's detector cache (nova_assemble_cached, one per instance) is behind every
// assemble and detect call; what a test can see of it is that hits and misses give the
// uncached bytes (the native build, no cache) and that evictions free what they held.
describe('the detector cache behind assemble(), detect(), assembleContext() and the JSON calls', () => {
  const many = (tag, n = 40) => ({ partner_names: ['Sam'], custom_keywords: { medium: Array.from({ length: n }, (_, i) => `${tag}word${i}`) } });
  const uncached = (req) => JSON.parse(native('assemble', JSON.stringify({ ...req, options: { offsets: 'utf16' } })).json);

  it('gives the bytes of the uncached call, hit or miss, whichever API', () => {
    // 12 configurations > NOVA_DETECTOR_CACHE_SIZE (8): cycling them misses, repeating hits.
    const tags = Array.from({ length: 12 }, (_, i) => `t${i}`);
    const order = [...tags, ...tags, ...tags.slice(0, 3), ...tags.slice(0, 3), 't5', 't5', 't11'];
    for (const [i, tag] of order.entries()) {
      const req = withDetection(`😀 ${tag}word1 and Sam, ${tag}word2`, many(tag, i % 2 ? 40 : 3));
      const want = uncached(req);
      expect(want.detection.matches.map((m) => req.message.slice(m.start, m.end))).toEqual([`${tag}word1`, 'Sam', `${tag}word2`]);
      expect(nova.assemble(req)).toEqual(want);
      expect(nova.detect(req)).toEqual(want.detection);
      expect(JSON.parse(nova.assembleJSON(JSON.stringify({ ...req, options: { offsets: 'utf16' } })))).toEqual(want);
      const { context, input } = routeParts(req);
      expect(nova.assembleContext(JSON.stringify(context), input)).toEqual(want);
    }
  });

  it('keeps wasm memory bounded over many configurations (least recently used go)', () => {
    const run = (from, to) => {
      for (let i = from; i < to; i++) {
        const req = withDetection(`w${i}word3`, many(`w${i}`));
        nova.detect(req);
        const { context, input } = routeParts(req);
        nova.assembleContext(JSON.stringify(context), input);
      }
    };
    run(0, 50);
    const size = nova.memory.buffer.byteLength;
    run(50, 400);
    expect(nova.memory.buffer.byteLength).toBe(size);
  });

  it('reports a bad configuration with the request path, as without a cache', () => {
    const detection = many('z');
    detection.custom_keywords.medium[3] = 7;
    const req = withDetection('x', detection);
    expect(() => nova.detect(req)).toThrow(expect.objectContaining({ code: 'wrong_type', path: 'context.detection.custom_keywords.medium[3]' }));
  });
});

describe('errors', () => {
  const expectNovaError = (fn, code, path) => {
    let caught;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NovaError);
    expect(caught).toBeInstanceOf(Error);
    expect(caught.name).toBe('NovaError');
    expect(caught.code).toBe(code);
    expect(caught.path).toBe(path);
    expect(typeof caught.message).toBe('string');
    expect(caught.message.length).toBeGreaterThan(0);
    return caught;
  };

  it('carries the C error result', () => {
    const req = withMemory(1, { confidence: 2 });
    const e = expectNovaError(() => nova.assemble(req), 'invalid_value', 'context.memories[1].confidence');
    const raw = JSON.parse(nova.assembleJSON(JSON.stringify(req)));
    expect({ code: e.code, message: e.message, path: e.path })
      .toEqual({ ...raw.error, message: `${raw.error.path}: ${raw.error.message}` });
  });

  it('says where in its message (an uncaught one prints "NovaError: context.user_id: ...")', () => {
    const e = expectNovaError(() => nova.assemble({ context: {}, message: 'x' }), 'missing_field', 'context.user_id');
    expect(e.message).toBe('context.user_id: is required');
    expect(String(e)).toBe('NovaError: context.user_id: is required');
    expect(engineMessage(e)).toBe('is required'); // the engine's message, as the C result has it
    // no path (the request as a whole): the engine's message alone
    const whole = expectNovaError(() => nova.assemble(null), 'wrong_type', '');
    expect(whole.message).toBe(JSON.parse(nova.assembleJSON('null')).error.message);
    expect(engineMessage(whole)).toBe(whole.message);
  });

  it('missing message', () => {
    expectNovaError(() => nova.assemble({ context: small().context }), 'missing_field', 'message');
  });

  it('wrong type', () => {
    expectNovaError(() => nova.detect({ ...small(), message: 42 }), 'wrong_type', 'message');
  });

  it('bad enum deep in the context', () => {
    expectNovaError(() => nova.assemble(withMemory(2, { category: 'nope' })), 'invalid_value',
      'context.memories[2].category');
  });

  it('not an object / undefined', () => {
    expect(() => nova.assemble(null)).toThrow(NovaError);
    expect(() => nova.assemble(undefined)).toThrow(NovaError);
  });

  it('over budget', () => {
    expectNovaError(() => nova.assemble({ ...small(), options: { max_chars: 1 } }), 'over_budget', 'options.max_chars');
  });

  it('raw calls return the error JSON instead of throwing', () => {
    const raw = JSON.parse(nova.assembleJSON('{"context": '));
    expect(raw.error.code).toBe('invalid_json');
    expect(JSON.parse(nova.detectJSON('')).error.code).toBe('invalid_json');
  });

  it('raw calls: a request that is not text is a TypeError, not "bad JSON at byte 1"', () => {
    for (const fn of ['assembleJSON', 'detectJSON', 'memoryPromptJSON', 'memoryOpsJSON']) {
      for (const bad of [small(), null, undefined, 42, new TextEncoder().encode('{}')]) {
        expect(() => nova[fn](bad)).toThrow(TypeError);
      }
      expect(() => nova[fn](small())).toThrow(new RegExp(`^${fn}: the request must be JSON text`));
    }
  });

  it('invalid JSON: the byte offset is the first byte that cannot continue the text', () => {
    for (const [text, at] of [['{"a":1,,}', 7], ['{"a":1,}', 7], ['[1,2', 4], ['{"context": x}', 12], ['{"a" 1}', 5], ['\ufeff{"a": x}', 9]]) {
      expect(JSON.parse(nova.assembleJSON(text)).error.message).toBe(`not well-formed JSON (byte ${at})`);
    }
  });

  it('an engine error leaves the instance usable', () => {
    const before = nova.assembleJSON(JSON.stringify(small()));
    expect(() => nova.assemble(withMemory(0, { confidence: -1 }))).toThrow(NovaError);
    expect(nova.assembleJSON(JSON.stringify(small()))).toBe(before);
  });
});
