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

  it('leaves out the members not given (a context that has them itself keeps them)', () => {
    const request = makeRequest();
    const want = nova.assemble(request);
    expect(nova.assembleContext(JSON.stringify(request.context), { message: request.message, options: request.options })).toEqual(want);
    // given twice: refused as a duplicated member, not silently merged
    expect(() => nova.assembleContext(JSON.stringify(request.context), { message: request.message, chatMemorySummary: 'x' }))
      .toThrow(expect.objectContaining({ code: 'invalid_value', path: 'context.chat_memory_summary' }));
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

  it('refuses arguments that are not text', () => {
    expect(() => nova.assembleContext({ user_id: 'x' }, { message: 'x' })).toThrow(TypeError);
    expect(() => nova.assembleContext('{}', {})).toThrow(TypeError);
    expect(() => nova.assembleContext('{}')).toThrow(TypeError);
  });
});
