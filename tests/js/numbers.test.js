// memory_summary numbers (review finding 9), on both WebAssembly builds: each is shown as
// JavaScript's String(x) shows it (the shortest text that reads back as the same double),
// and one beyond the double range is refused at its path. The native CLI's bytes for the
// same requests are in identity.test.js (own cases "summary numbers ...").
import { expect, it } from 'vitest';
import { describeEachLoader } from './helpers.js';
import { USER_ID } from './requests.js';

// xorshift64*: the same doubles every run, so a failure is reproducible.
let state = 0x9e3779b97f4a7c15n;
const mask = (1n << 64n) - 1n;
function nextBits() {
  state ^= state >> 12n;
  state ^= (state << 25n) & mask;
  state ^= state >> 27n;
  return (state * 0x2545f4914f6cdd1dn) & mask;
}
const view = new DataView(new ArrayBuffer(8));
function anyDouble() {
  for (;;) {
    view.setBigUint64(0, nextBits());
    const x = view.getFloat64(0);
    if (Number.isFinite(x)) return x;
  }
}

// 40 lines of 20 numbers: the most one memory_summary shows (README "Rendering rules").
function batch(n) {
  const xs = [];
  for (let i = 0; i < n; i++) {
    const r = i % 4;
    xs.push(r === 0 ? anyDouble() : r === 1 ? Number((Math.random() * 1000).toFixed(i % 7)) : r === 2 ? 2 ** ((i % 2098) - 1074) : -anyDouble());
  }
  return xs;
}

function requestText(summaryText) {
  return `{"context":{"user_id":"${USER_ID}","user":{"name":"Maya","memory_summary":${summaryText}}},"message":"hi"}`;
}

describeEachLoader('memory_summary numbers', (engine) => {
  it('shows every finite number as String(x) does', () => {
    for (let round = 0; round < 5; round++) {
      const xs = batch(800);
      const summary = {};
      for (let line = 0; line < 40; line++) summary[`k${String(line).padStart(2, '0')}`] = xs.slice(line * 20, line * 20 + 20);
      const r = engine().assemble(JSON.parse(requestText(JSON.stringify(summary))));
      const lines = r.prompt.split('\n').filter((l) => /^- k\d\d: /.test(l));
      expect(lines.length).toBe(40);
      for (const [line, text] of lines.entries()) {
        const want = xs.slice(line * 20, line * 20 + 20).map((x) => String(Object.is(x, -0) ? 0 : x)).join(', ');
        expect(text).toBe(`- k${String(line).padStart(2, '0')}: ${want}`);
      }
    }
  });

  it("the review's values", () => {
    const r = JSON.parse(engine().assembleJSON(requestText('{"e":1e308,"t":4.9e-324,"u":1e-400,"z":-0.0}')));
    expect(r.prompt).toContain('- e: 1e+308\n- t: 5e-324\n- u: 0\n- z: 0\n');
  });

  it('refuses a number beyond the double range, naming where it is', () => {
    for (const [summary, path] of [
      ['{"a":1e400}', 'context.user.memory_summary.a'],
      ['{"ok":1,"b":[0,{"c":-1e400}]}', 'context.user.memory_summary.b[1].c'],
    ]) {
      const r = JSON.parse(engine().assembleJSON(requestText(summary)));
      expect(r.error).toMatchObject({ code: 'invalid_value', path });
      expect(r.error.message).toContain('beyond the range of a double');
    }
  });
}, ['emscripten', 'wasi, node:wasi']);
