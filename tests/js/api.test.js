// The JS API of the main entry (Emscripten build): results, errors, offsets, module path.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { NovaError, loadNova } from '../../js/index.js';
import { byteOffsetsToIndices } from '../../js/engine.js';
import { ROOT, withMemory } from './helpers.js';
import { makeRequest, small } from './requests.js';

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

describe('offsets: C bytes become UTF-16 indices', () => {
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

  it('byteOffsetsToIndices inverts UTF-8 lengths at every character boundary', () => {
    const s = 'a é 中 😀 𝒜 z\u00a0\u2028end';
    const boundaries = [];
    for (let i = 0; i <= s.length; i++) {
      const c = s.charCodeAt(i - 1);
      if (i > 0 && c >= 0xd800 && c <= 0xdbff) continue; // inside a pair
      boundaries.push(i);
    }
    const offsets = boundaries.map((i) => utf8Length(s.slice(0, i)));
    const map = byteOffsetsToIndices(s, offsets);
    boundaries.forEach((i, k) => expect(map.get(offsets[k])).toBe(i));
    expect(byteOffsetsToIndices(s, [10_000]).get(10_000)).toBe(s.length);
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
    expect({ code: e.code, message: e.message, path: e.path }).toEqual(raw.error);
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

  it('an engine error leaves the instance usable', () => {
    const before = nova.assembleJSON(JSON.stringify(small()));
    expect(() => nova.assemble(withMemory(0, { confidence: -1 }))).toThrow(NovaError);
    expect(nova.assembleJSON(JSON.stringify(small()))).toBe(before);
  });
});
