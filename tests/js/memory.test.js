// The memory update's two engine calls in JS, on every loader: memoryPrompt / memoryOps
// (objects, NovaError for a bad request only) and their raw JSON twins (never throw).
// Identity of the bytes with the native CLI is in identity.test.js; the model-answer
// corpus in memory_corpus.test.js.
import { expect, it } from 'vitest';
import { NovaError } from '../../js/index.js';
import { MEMORY_ANSWER, describeEachLoader, memoryContext } from './helpers.js';

const transcript = [
  { role: 'user', content: "Sam's birthday is March 4, not March 3." },
  { role: 'assistant', content: 'Noted!' },
];

describeEachLoader('memory calls', (engine) => {
  it('memoryPrompt gives the two messages and what they offer', () => {
    const r = engine().memoryPrompt({ context: memoryContext('linked_couple'), transcript });
    expect(r.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(r.allowed).toEqual({ memories: true, partner_notes: false });
    // Instructions in the system message, no name in them; the names, the memories and
    // the transcript in the user message, each part between its markers (data).
    expect(r.messages[0].content).not.toMatch(/Maya|Sam|- m1 \(/);
    expect(r.messages[1].content).toContain('- m1 (important_date, about the relationship');
    expect(r.messages[1].content).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(r.messages[1].content).toMatch(/^<nova:names>\nUser: Maya\nPartner: Sam\n<\/nova:names>\n<nova:memories>\n/);
    expect(r.messages[1].content).toMatch(
      /<\/nova:memories>\n<nova:transcript>\nuser: Sam's birthday is March 4, not March 3.\nassistant: Noted!\n<\/nova:transcript>\n$/);
  });

  it('memoryPrompt offers nothing to a user without partner or partnership', () => {
    const r = engine().memoryPrompt({ context: memoryContext('solo_no_partner'), transcript });
    expect(r.allowed).toEqual({ memories: false, partner_notes: false });
  });

  it('memoryOps gives real ids, updated_at as sent, and every rejection', () => {
    const context = memoryContext('linked_couple');
    const r = engine().memoryOps({ context, llm_output: MEMORY_ANSWER });
    const m2 = context.memories.filter((m) => m.is_active !== false)[1];
    expect(r.ops[0]).toEqual({ op: 'update', id: m2.id, updated_at: m2.updated_at, content: "Sam's birthday is March 4." });
    expect(r.ops.map((o) => o.op)).toEqual(['update', 'add', 'add', 'deactivate']);
    expect(r.partner_notes).toEqual([]);
    expect(r.partner_name).toBe(null);
    expect(r.rejected).toEqual([
      { index: 4, reason: 'not_allowed' },
      { index: 5, reason: 'unknown_category' },
      { index: 6, reason: 'unknown_id' },
    ]);
  });

  it('memoryOps for an AI-built partner keeps partner notes and names the profile', () => {
    const r = engine().memoryOps({ context: memoryContext('solo_ai_partner'), llm_output: MEMORY_ANSWER });
    expect(r.ops).toEqual([]);
    expect(r.partner_notes).toEqual([{ field: 'traits', content: 'enjoys trail running' }]);
    expect(r.partner_name).toBe('Sam');
  });

  it('a lone surrogate in a JS string is sent as U+FFFD, not refused', () => {
    const r = engine().memoryPrompt({ context: memoryContext('linked_couple'), transcript: [{ role: 'user', content: 'cut \ud83d emoji' }] });
    expect(r.messages[1].content).toContain('cut \ufffd emoji');
  });

  it('throws NovaError with code and path for a bad request only', () => {
    const context = memoryContext('linked_couple');
    expect(() => engine().memoryPrompt({ context, transcript: [{ role: 'system', content: 'x' }] })).toThrow(NovaError);
    // (a try/catch here passed when nothing was thrown)
    let e;
    try {
      engine().memoryOps({ context, llm_output: 7 });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(NovaError);
    expect(e.code).toBe('wrong_type');
    expect(e.path).toBe('llm_output');
    expect(engine().memoryOps({ context, llm_output: 'no JSON here' }).rejected).toEqual([{ index: null, reason: 'no_operations' }]);
  });

  it('the JSON twins return text and never throw', () => {
    const bad = engine().memoryOpsJSON('{"context": ');
    expect(JSON.parse(bad).error.code).toBe('invalid_json');
    const ok = engine().memoryPromptJSON(JSON.stringify({ context: memoryContext('solo_ai_partner'), transcript }));
    expect(JSON.parse(ok).allowed.partner_notes).toBe(true);
  });
});
