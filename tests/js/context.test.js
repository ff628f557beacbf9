// nova.assembleContext: the text path from the RPC's response to the prompt. The context's
// JSON text (or its UTF-8 bytes) goes into the engine as it is, with the route's two
// context members written in; the result must be exactly what assemble() gives for the
// same request, on every golden fixture and through both wasm builds.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NovaError, loadNova } from '../../js/index.js';
import { loadNovaWasi } from '../../js/wasi.js';
import { join } from 'node:path';
import { ROOT, goldenCases } from './helpers.js';
import { makeRequest } from './requests.js';

let nova;
let wasi;
beforeAll(async () => {
  nova = await loadNova();
  wasi = await loadNovaWasi({ bytes: readFileSync(join(ROOT, 'dist/nova-wasi.wasm')) });
});

/** The context without the route's members, and those members as assembleContext takes them. */
function split(request) {
  const { chat_memory_summary, fallback_name, ...context } = request.context;
  const input = { message: request.message };
  if (chat_memory_summary !== undefined) input.chatMemorySummary = chat_memory_summary;
  if (fallback_name !== undefined) input.fallbackName = fallback_name;
  if (request.options !== undefined) input.options = request.options;
  return { context, input };
}

describe('assembleContext', () => {
  const cases = goldenCases().map((c) => ({ name: c.name, request: JSON.parse(c.text) }));
  cases.push({ name: 'multibyte message', request: makeRequest({ message: 'Ça va 😀 Sam? 我们 Sammy’s anniversary' }) });

  it.each(cases)('gives what assemble() gives: $name', ({ request }) => {
    const want = nova.assemble(request);
    const { context, input } = split(request);
    expect(nova.assembleContext(JSON.stringify(context), input)).toEqual(want);
    // the RPC's bytes, pretty-printed as PostgREST may send them, with trailing space
    const bytes = new TextEncoder().encode(`${JSON.stringify(context, null, 2)}\n `);
    expect(nova.assembleContext(bytes, input)).toEqual(want);
    expect(wasi.assembleContext(bytes, input)).toEqual(want);
  });

  it('converts match offsets to UTF-16 indices of the message', () => {
    const request = makeRequest({ message: '😀😀 my partner Sam' });
    const { context, input } = split(request);
    const { detection } = nova.assembleContext(JSON.stringify(context), input);
    const sam = detection.matches.find((m) => m.term === 'Sam');
    expect(input.message.slice(sam.start, sam.end)).toBe('Sam');
  });

  it('writes the members into an empty context object and into one with members', () => {
    const empty = nova.assembleJSON('{"context":{"fallback_name":"Bo"},"message":"x"}');
    expect(() => nova.assembleContext(' { } ', { message: 'x', fallbackName: 'Bo' })).toThrow(
      expect.objectContaining({ code: JSON.parse(empty).error.code, path: 'context.user_id' }));
    const { context } = split(makeRequest());
    const r = nova.assembleContext(JSON.stringify(context), { message: 'hi', fallbackName: 'Bo', chatMemorySummary: 'We spoke about "trips".' });
    expect(r.prompt).toContain('Summary of this conversation so far: We spoke about "trips".');
  });

  it("writes the members into the context's own object, even when the text goes on after it", () => {
    const { context } = split(makeRequest());
    const input = { message: 'hi', fallbackName: 'Bo', chatMemorySummary: 'We spoke about trips.' };
    const want = nova.assembleContext(JSON.stringify(context), input);
    expect(want.prompt).toContain('Summary of this conversation so far: We spoke about trips.');
    // Not one JSON value: what follows the context's object is the request's (unknown
    // members are ignored); the glue's members stay the context's (written before the last
    // "}", they were the unknown member's and the summary was lost).
    for (const text of [`${JSON.stringify(context)},"zz":{}`, `\n  ${JSON.stringify(context)} ,"zz":{"a":{}}`]) {
      for (const engine of [nova, wasi]) {
        expect(engine.assembleContext(text, input)).toEqual(want);
        expect(engine.assembleContext(new TextEncoder().encode(text), input)).toEqual(want);
      }
    }
  });

  it('leaves out the members not given (a context that has them itself keeps them)', () => {
    const request = makeRequest();
    const want = nova.assemble(request);
    expect(nova.assembleContext(JSON.stringify(request.context), { message: request.message, options: request.options })).toEqual(want);
    // given twice: refused as a duplicated member, not silently merged
    expect(() => nova.assembleContext(JSON.stringify(request.context), { message: request.message, chatMemorySummary: 'x' }))
      .toThrow(expect.objectContaining({ code: 'invalid_value', path: 'context.chat_memory_summary' }));
  });

  it('a member without JSON text (a function, a symbol) is left out, as assemble() leaves it out', () => {
    const { context, input } = split(makeRequest());
    const text = JSON.stringify(context);
    for (const odd of [{ fallbackName: () => 'Bo' }, { chatMemorySummary: Symbol('x') }, { options: () => ({}) }, { forUser: () => context.user_id }]) {
      const { forUser, ...rest } = { ...input, ...odd };
      const request = { for_user: forUser, context: { ...context, chat_memory_summary: rest.chatMemorySummary, fallback_name: rest.fallbackName }, message: rest.message, options: rest.options };
      // (it was invalid_json at the request, "not well-formed JSON", from `"fallback_name":undefined`)
      expect(nova.assembleContext(text, { ...input, ...odd })).toEqual(nova.assemble(request));
    }
  });

  it('lets the engine say what is wrong with a context that is not an object', () => {
    for (const [text, code] of [['null', 'wrong_type'], ['[]', 'wrong_type'], ['{"user_id":', 'invalid_json'], ['', 'invalid_json']]) {
      let error;
      try {
        nova.assembleContext(text, { message: 'x', fallbackName: 'a' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NovaError);
      expect(error.code).toBe(code);
    }
  });

  it('forUser: the context must be nova_prompt_context(forUser)\'s answer (both builds)', () => {
    const request = makeRequest();
    const { context, input } = split(request);
    const text = JSON.stringify(context);
    const userId = context.user_id;
    const want = nova.assemble(request);
    for (const engine of [nova, wasi]) {
      expect(engine.assembleContext(text, { ...input, forUser: userId.toUpperCase() })).toEqual(want);
      const other = '99999999-9999-4999-8999-999999999999';
      expect(() => engine.assembleContext(text, { ...input, forUser: other }))
        .toThrow(expect.objectContaining({ code: 'invalid_value', path: 'context.user_id' }));
      const { reference: _r, ...partial } = context;
      expect(() => engine.assembleContext(JSON.stringify(partial), { ...input, forUser: userId }))
        .toThrow(expect.objectContaining({ code: 'missing_field', path: 'context.reference' }));
      // without forUser the same partial context is a valid context (absent = null)
      expect(engine.assembleContext(JSON.stringify(partial), input).prompt).toContain('<nova:core>');
      expect(() => engine.assembleContext(text, { ...input, forUser: 'me' }))
        .toThrow(expect.objectContaining({ code: 'invalid_value', path: 'for_user' }));
    }
  });

  it("errors' byte offsets count the context text's own bytes, not the request built around it", () => {
    const uid = '11111111-1111-4111-8111-111111111111';
    const broken = `{"user_id": "${uid}", "memories": [}`; // the "}" cannot follow "["
    const bom = [0xef, 0xbb, 0xbf];
    const bytes = (t, pre = []) => Uint8Array.from([...pre, ...new TextEncoder().encode(t)]);
    for (const [engine, name] of [[nova, 'emscripten'], [wasi, 'wasi']]) {
      for (const input of [{ message: 'hi' }, { message: 'hi', fallbackName: 'Bo', chatMemorySummary: 'so far' }]) {
        const at = (context) => {
          try {
            engine.assembleContext(context, input);
          } catch (e) {
            expect(e).toBeInstanceOf(NovaError);
            return [e.code, e.path, e.message];
          }
          throw new Error(`${name}: accepted ${context}`);
        };
        const where = (n) => ['invalid_json', 'context', `context: not well-formed JSON (byte ${n})`];
        expect(at(broken)).toEqual(where(broken.indexOf('}')));
        expect(at(bytes(broken))).toEqual(where(broken.indexOf('}')));
        expect(at('{"user_id": "é", ,}')).toEqual(where(18)); // bytes (é is 2), not UTF-16 units
        expect(at('{"a":1,,}')).toEqual(where(7));
        expect(at('\ufeff{"a":1,,}')).toEqual(where(10)); // a BOM is 3 bytes, and counted
        expect(at(bytes('{"a":1,,}', bom))).toEqual(where(10));
        expect(at(`{"user_id": "${uid}"`)).toEqual(where(50)); // ends too early: its length
        expect(at('{"a":1}}')).toEqual(['invalid_json', 'context', 'context: unexpected data after the JSON value (byte 7)']);
        // a string over a limit inside the context: its offset in the context
        const long = `{"user_id":"${uid}","user":{"name":"${'z'.repeat(70000)}"}}`;
        expect(at(long)).toEqual(['limit_exceeded', 'context.user.name', `context.user.name: string is longer than 65536 bytes (byte ${long.indexOf('"z') })`]);
      }
      // a member the glue wrote has no offset of the caller's text: the path says where
      try {
        engine.assembleContext(`{"user_id":"${uid}"}`, { message: 'x', chatMemorySummary: 'y'.repeat(70000) });
        throw new Error('accepted');
      } catch (e) {
        expect([e.code, e.path, e.message]).toEqual(['limit_exceeded', 'context.chat_memory_summary', 'context.chat_memory_summary: string is longer than 65536 bytes']);
      }
    }
  });

  it('an empty context text (or only white space, or a BOM) is said to be empty', () => {
    for (const text of ['', '  \n\t', '\ufeff', new Uint8Array(0), Uint8Array.from([0xef, 0xbb, 0xbf, 0x20])]) {
      for (const input of [{ message: 'x' }, { message: 'x', fallbackName: 'Bo' }]) {
        expect(() => nova.assembleContext(text, input)).toThrow(expect.objectContaining({
          name: 'NovaError', code: 'invalid_json', path: 'context', message: 'context: the context text is empty (no JSON value)',
        }));
      }
    }
  });

  it('refuses arguments that are not text', () => {
    expect(() => nova.assembleContext({ user_id: 'x' }, { message: 'x' })).toThrow(TypeError);
    expect(() => nova.assembleContext('{}', {})).toThrow(TypeError);
    expect(() => nova.assembleContext('{}')).toThrow(TypeError);
  });
});
