// nova-layers/supabase with the real supabase-js client; its HTTP goes to a fetch of ours
// that answers as PostgREST would (status, JSON body). The database itself is exercised by
// the runtimes suite (tests/runtimes), against real PostgreSQL.
import { createClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNova } from '../../js/index.js';
import { NovaStepError, buildSystemPrompt, fallbackName, updateSharedMemories } from '../../js/supabase.js';
import { USER_ID, small } from './requests.js';

const URL_BASE = 'http://supabase.test';

/** A client whose requests are recorded and answered by `reply(fn, body)` → [status, payload]. */
function client(reply) {
  const calls = [];
  const fetch = async (url, init) => {
    const body = init?.body ? JSON.parse(init.body) : null;
    const fn = String(url).replace(`${URL_BASE}/rest/v1/rpc/`, '');
    calls.push({ url: String(url), fn, method: init?.method, headers: new Headers(init?.headers), body });
    const [status, payload] = await reply(fn, body);
    return new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } });
  };
  // Node 20 has no WebSocket: realtime is not used here, give it a dummy transport.
  const admin = createClient(URL_BASE, 'service-role-key', {
    global: { fetch },
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: class {} },
  });
  return { admin, calls };
}

// What nova_prompt_context returns: the context without the route's own members.
function dbContext() {
  const { chat_memory_summary: _s, ...rest } = small().context;
  return rest;
}

const contextReply = (ctx = dbContext()) => () => [200, ctx];

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

let nova;
beforeAll(async () => {
  nova = await loadNova();
});

describe('fallbackName', () => {
  it('full_name, email local part, "there"', () => {
    expect(fallbackName({ user_metadata: { full_name: '  Alex Doe ' }, email: 'a@x.io' })).toBe('Alex Doe');
    expect(fallbackName({ email: 'alex.doe@x.io' })).toBe('alex.doe');
    expect(fallbackName({ email: '@x.io' })).toBe('there');
    expect(fallbackName(null)).toBe('there');
  });
});

describe('buildSystemPrompt', () => {
  const input = (admin, extra = {}) => ({
    nova, admin, userId: USER_ID, message: 'Sam and I argued about the anniversary',
    chatMemorySummary: 'sum', fallbackName: 'Alex', options: { max_chars: 20000 }, ...extra,
  });

  it('one RPC (nova_prompt_context with p_user_id, service key), then assemble', async () => {
    const { admin, calls } = client(contextReply());
    const result = await buildSystemPrompt(input(admin));
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(`${URL_BASE}/rest/v1/rpc/nova_prompt_context`);
    expect(calls[0].method).toBe('POST');
    expect(calls[0].body).toEqual({ p_user_id: USER_ID });
    expect(calls[0].headers.get('apikey')).toBe('service-role-key');
    const context = { ...dbContext(), chat_memory_summary: 'sum', fallback_name: 'Alex' };
    const expected = nova.assemble({ context, message: input(admin).message, options: { max_chars: 20000 } });
    expect(result).toEqual({ ...expected, context });
    expect(result.detection.relationship).toBe(true);
  });

  it('without the optional members: null summary and fallback name, default options', async () => {
    const { admin } = client(contextReply());
    const r = await buildSystemPrompt({ nova, admin, userId: USER_ID, message: 'hello' });
    expect(r.context.chat_memory_summary).toBeNull();
    expect(r.context.fallback_name).toBeNull();
    expect(r.budget.max_chars).toBe(24000);
  });

  it('database: a PostgREST error, with the error as cause', async () => {
    const { admin } = client(() => [403, { code: '42501', message: 'permission denied for function nova_prompt_context' }]);
    const e = await rejection(buildSystemPrompt(input(admin)));
    expect(e).toBeInstanceOf(NovaStepError);
    expect(e.step).toBe('database');
    expect(e.message).toMatch(/^database: nova_prompt_context failed: permission denied/);
    expect(e.cause.code).toBe('42501');
  });

  it('database: the network fails', async () => {
    const { admin } = client(() => {
      throw new TypeError('fetch failed');
    });
    const e = await rejection(buildSystemPrompt(input(admin)));
    expect(e.step).toBe('database');
    expect(e.message).toContain('fetch failed');
  });

  it('contract: the engine checks the answer is the context of this user (for_user), with code and path', async () => {
    const { insights: _i, ...noInsights } = dbContext();
    for (const [payload, code, path, text] of [
      [null, 'wrong_type', 'context', 'null'],
      [{ ...dbContext(), user_id: '99999999-9999-4999-8999-999999999999' }, 'invalid_value', 'context.user_id', 'another user'],
      [{ ...dbContext(), user_id: 'someone-else' }, 'invalid_value', 'context.user_id', 'UUID'],
      [{ ...dbContext(), memories: null }, 'wrong_type', 'context.memories', 'array'],
      [noInsights, 'missing_field', 'context.insights', 'required'],
    ]) {
      const { admin } = client(() => [200, payload]);
      const e = await rejection(buildSystemPrompt(input(admin)));
      expect(e).toBeInstanceOf(NovaStepError);
      expect(e.step).toBe('contract');
      expect([e.code, e.path]).toEqual([code, path]);
      expect(e.message).toContain(text);
    }
  });

  it('contract: an empty answer', async () => {
    const { admin } = client(() => [200, undefined]);
    const e = await rejection(buildSystemPrompt(input(admin)));
    expect(e.step).toBe('contract');
    expect(e.message).toContain('returned null');
  });

  it('the RPC\'s text goes into the engine as it is (assembleContext, no JSON.parse); context is parsed when read', async () => {
    const body = JSON.stringify(dbContext(), null, 2); // whitespace as sent
    const fetch = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    const admin = createClient(URL_BASE, 'service-role-key', {
      global: { fetch }, auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: class {} },
    });
    const seen = [];
    const spy = {
      ...nova,
      assemble: () => { throw new Error('the objects API was used'); },
      assembleContext: (text, extra) => (seen.push([text, extra]), nova.assembleContext(text, extra)),
    };
    const parse = JSON.parse;
    let parsed = 0;
    JSON.parse = (...a) => (parsed++, parse(...a));
    let r;
    try {
      r = await buildSystemPrompt(input(admin, { nova: spy }));
      expect(parsed).toBe(1); // the engine's result, not the context
    } finally {
      JSON.parse = parse;
    }
    expect(seen).toHaveLength(1);
    expect(seen[0][0]).toBe(body);
    expect(seen[0][1]).toEqual({ message: input(admin).message, chatMemorySummary: 'sum', fallbackName: 'Alex', forUser: USER_ID, options: { max_chars: 20000 } });
    const context = { ...dbContext(), chat_memory_summary: 'sum', fallback_name: 'Alex' };
    expect(r.context).toEqual(context);
    expect(r.context).toBe(r.context); // parsed once
    const { context: _c, ...prompt } = r;
    expect(prompt).toEqual(nova.assemble({ context, message: input(admin).message, options: { max_chars: 20000 } }));
  });

  it('a client whose rpc() gives parsed data: the objects API, with the same for_user check', async () => {
    const rpc = (data) => ({ rpc: async () => ({ data, error: null }) });
    const r = await buildSystemPrompt(input(rpc(dbContext())));
    const context = { ...dbContext(), chat_memory_summary: 'sum', fallback_name: 'Alex' };
    expect(r).toEqual({ ...nova.assemble({ context, message: input(null).message, options: { max_chars: 20000 } }), context });
    const e = await rejection(buildSystemPrompt(input(rpc({ ...dbContext(), user_id: '99999999-9999-4999-8999-999999999999' }))));
    expect([e.step, e.code, e.path]).toEqual(['contract', 'invalid_value', 'context.user_id']);
    const n = await rejection(buildSystemPrompt(input(rpc(null))));
    expect(n.step).toBe('contract');
  });

  it('contract: the engine refuses a row of the context, with code and path', async () => {
    const ctx = dbContext();
    ctx.memories[1] = { ...ctx.memories[1], category: 'not_a_category' };
    const { admin } = client(contextReply(ctx));
    const e = await rejection(buildSystemPrompt(input(admin)));
    expect(e.step).toBe('contract');
    expect(e.code).toBe('invalid_value');
    expect(e.path).toBe('context.memories[1].category');
    expect(e.cause.name).toBe('NovaError');
  });

  it('engine: the request does not fit the budget', async () => {
    const { admin } = client(contextReply());
    const e = await rejection(buildSystemPrompt(input(admin, { options: { max_chars: 10 } })));
    expect(e.step).toBe('engine');
    expect(e.code).toBe('over_budget');
    expect(e.path).toBe('options.max_chars');
  });

  it('misuse is a TypeError naming the argument', async () => {
    const { admin } = client(contextReply());
    await expect(buildSystemPrompt({ admin, userId: USER_ID, message: 'x' })).rejects.toThrow(/nova must be/);
    await expect(buildSystemPrompt({ nova, userId: USER_ID, message: 'x' })).rejects.toThrow(/admin must be/);
    await expect(buildSystemPrompt({ nova, admin, message: 'x' })).rejects.toThrow(/userId/);
    await expect(buildSystemPrompt({ nova, admin, userId: USER_ID })).rejects.toThrow(/message is required/);
    for (const args of [undefined, { admin, userId: USER_ID, message: 'x' }, { nova, userId: USER_ID, message: 'x' }, { nova, admin, message: 'x' }]) {
      const e = await buildSystemPrompt(args).then(() => null, (err) => err);
      expect(e).toBeInstanceOf(TypeError);
      expect(e.step).toBeUndefined(); // a caller bug, not a failed step
    }
  });
});

// The engine's memory calls are given here as small functions with the contract's shapes
// (CONTRACTS.md): this tests the glue's control flow (what is called, in which order, what
// is reported). The real calls run end to end in the runtimes suite.
describe('updateSharedMemories', () => {
  const partnershipId = small().context.partnership.id;
  const transcript = [{ role: 'user', content: 'Sam loves hiking' }, { role: 'assistant', content: 'Noted!' }];
  const planned = {
    ops: [{ op: 'add', category: 'preference', about_user: null, content: 'Sam loves hiking', confidence: 0.9 }],
    partner_notes: [{ field: 'traits', content: 'outdoorsy' }],
    partner_name: null,
    rejected: [{ index: 2, reason: 'duplicate' }],
  };
  function engine({ allowed = { memories: true, partner_notes: true }, plan = planned } = {}) {
    const seen = [];
    return {
      seen,
      nova: {
        ...nova,
        assemble: nova.assemble,
        memoryPrompt(req) {
          seen.push(['memoryPrompt', req]);
          return { messages: [{ role: 'system', content: 'what to remember' }, { role: 'user', content: 'transcript' }], allowed };
        },
        memoryOps(req) {
          seen.push(['memoryOps', req]);
          return structuredClone(plan);
        },
      },
    };
  }
  const applyOk = { ok: true, memories: { applied: 1, ids: ['x'] }, partner_notes: { applied: 1, skipped: 0 } };
  const db = (apply = () => [200, applyOk]) => client((fn, body) => (fn === 'nova_prompt_context' ? [200, dbContext()] : apply(body)));

  it('loads the context once, asks the LLM, applies everything in one RPC', async () => {
    const { admin, calls } = db();
    const { nova: n, seen } = engine();
    const asked = [];
    const report = await updateSharedMemories({
      nova: n, admin, userId: USER_ID, transcript,
      llm: async (messages) => { asked.push(messages); return '{"operations": []}'; },
    });
    expect(report).toEqual({ applied: 2, rejected: planned.rejected });
    expect(calls.map((c) => c.fn)).toEqual(['nova_prompt_context', 'nova_apply_memory_update']);
    expect(calls[1].body).toEqual({
      p_user_id: USER_ID, p_partnership_id: partnershipId, p_ops: planned.ops,
      p_partner_notes: planned.partner_notes, p_partner_name: null,
    });
    expect(asked).toHaveLength(1);
    expect(seen.map(([what]) => what)).toEqual(['memoryPrompt', 'memoryOps']);
    // Both engine calls see the same context: the same temporary ids.
    expect(seen[0][1].context).toEqual(dbContext());
    expect(seen[1][1].context).toBe(seen[0][1].context);
    expect(seen[0][1].transcript).toBe(transcript);
    expect(seen[1][1].llm_output).toBe('{"operations": []}');
    // the engine checks the context is this user's (for_user), in both calls
    expect([seen[0][1].for_user, seen[1][1].for_user]).toEqual([USER_ID, USER_ID]);
  });

  it('reuses the context buildSystemPrompt returned: no second load', async () => {
    const { admin, calls } = db();
    const { context } = await buildSystemPrompt({ nova, admin, userId: USER_ID, message: 'hi' });
    const { nova: n, seen } = engine();
    const report = await updateSharedMemories({ nova: n, admin, userId: USER_ID, transcript, llm: async () => 'x', context });
    expect(report.applied).toBe(2);
    expect(calls.map((c) => c.fn)).toEqual(['nova_prompt_context', 'nova_apply_memory_update']);
    expect(seen[0][1].context).toBe(context);
  });

  it('skips the LLM and the database when nothing can be learned', async () => {
    const { admin, calls } = db();
    const { nova: n, seen } = engine({ allowed: { memories: false, partner_notes: false } });
    let asked = 0;
    const report = await updateSharedMemories({ nova: n, admin, userId: USER_ID, transcript, llm: async () => { asked++; return ''; } });
    expect(report).toEqual({ applied: 0, rejected: [] });
    expect(asked).toBe(0);
    expect(seen.map(([what]) => what)).toEqual(['memoryPrompt']);
    expect(calls.map((c) => c.fn)).toEqual(['nova_prompt_context']);
  });

  it('no RPC when the output yields nothing to apply; the rejections are reported', async () => {
    const { admin, calls } = db();
    const rejected = [{ index: null, reason: 'no_json_object' }];
    const { nova: n } = engine({ plan: { ops: [], partner_notes: [], partner_name: null, rejected } });
    const report = await updateSharedMemories({ nova: n, admin, userId: USER_ID, transcript, llm: async () => 'I cannot help' });
    expect(report).toEqual({ applied: 0, rejected });
    expect(calls.map((c) => c.fn)).toEqual(['nova_prompt_context']);
  });

  it('llm: a throwing or non-string LLM is reported, nothing applied', async () => {
    for (const [llm, text] of [
      [async () => { throw new Error('upstream 503'); }, 'upstream 503'],
      [async () => ({ choices: [] }), 'not a string'],
      [() => { throw new Error('sync throw'); }, 'sync throw'],
    ]) {
      const { admin, calls } = db();
      const report = await updateSharedMemories({ nova: engine().nova, admin, userId: USER_ID, transcript, llm });
      expect(report.applied).toBe(0);
      expect(report.error.step).toBe('llm');
      expect(report.error.message).toContain(text);
      expect(calls.map((c) => c.fn)).toEqual(['nova_prompt_context']);
    }
  });

  it('database: the context load fails', async () => {
    const { admin } = client(() => [500, { message: 'connection reset' }]);
    const report = await updateSharedMemories({ nova: engine().nova, admin, userId: USER_ID, transcript, llm: async () => 'x' });
    expect(report).toEqual({ applied: 0, rejected: [], error: { step: 'database', message: 'nova_prompt_context failed: connection reset' } });
  });

  it('database: the update is refused (one transaction: nothing applied)', async () => {
    const { admin } = db(() => [200, { ok: false, step: 'memories', error: { index: 0, code: 'stale', reason: 'the memory changed since it was read' } }]);
    const report = await updateSharedMemories({ nova: engine().nova, admin, userId: USER_ID, transcript, llm: async () => 'x' });
    expect(report.applied).toBe(0);
    expect(report.rejected).toEqual(planned.rejected);
    expect(report.error).toEqual({ step: 'database', message: 'nova_apply_memory_update refused memories op 0: stale: the memory changed since it was read' });
  });

  it('database: the RPC errors', async () => {
    const { admin } = db(() => [404, { code: 'PGRST202', message: 'Could not find the function public.nova_apply_memory_update' }]);
    const report = await updateSharedMemories({ nova: engine().nova, admin, userId: USER_ID, transcript, llm: async () => 'x' });
    expect(report.error.step).toBe('database');
    expect(report.error.message).toContain('Could not find the function');
  });

  it('engine: the memory calls refuse, or are missing', async () => {
    const { admin } = db();
    const broken = engine().nova;
    broken.memoryOps = () => {
      throw Object.assign(new Error('llm_output is longer than 1 MiB'), { name: 'NovaError', code: 'limit_exceeded', path: 'llm_output' });
    };
    const report = await updateSharedMemories({ nova: broken, admin, userId: USER_ID, transcript, llm: async () => 'x' });
    expect(report.error).toEqual({ step: 'engine', message: 'memoryOps: limit_exceeded: llm_output is longer than 1 MiB at llm_output' });
    // The real engine's NovaError (its message starts with the path): the path said once.
    const real = await updateSharedMemories({ nova, admin, userId: USER_ID, transcript, llm: async () => 'x'.repeat((1 << 20) + 1) });
    expect(real.error.step).toBe('engine');
    expect(real.error.message).toMatch(/^memoryOps: limit_exceeded: [^]* at llm_output$/);
    expect(real.error.message.split('llm_output').length).toBe(2);
  });

  it('misuse (a caller bug) rejects with a TypeError naming the argument, no step; nothing is called', async () => {
    const { admin, calls } = db();
    const older = { ...nova, memoryPrompt: undefined, memoryOps: undefined }; // an engine of an older nova-layers
    for (const [args, text] of [
      [undefined, 'expected one object argument'],
      [{ nova: engine().nova, userId: USER_ID, transcript, llm: async () => 'x' }, 'admin must be'],
      [{ admin, userId: USER_ID, transcript, llm: async () => 'x' }, 'nova must be'],
      [{ nova: engine().nova, admin, transcript, llm: async () => 'x' }, 'userId'],
      [{ nova: engine().nova, admin, userId: USER_ID, llm: async () => 'x' }, 'transcript is required'],
      [{ nova: engine().nova, admin, userId: USER_ID, transcript }, 'llm is required'],
      [{ nova: engine().nova, admin, userId: USER_ID, transcript, llm: 'not a function' }, 'llm must be a function'],
      [{ nova: older, admin, userId: USER_ID, transcript, llm: async () => 'x' }, 'nova has no memoryPrompt/memoryOps'],
      [{ nova: engine().nova, admin, userId: USER_ID, transcript, llm: async () => 'x', context: { user_id: 'other' } }, 'context is not the context of userId'],
    ]) {
      const e = await updateSharedMemories(args).then(() => null, (err) => err);
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toContain(`updateSharedMemories: ${text}`);
      expect(e.step).toBeUndefined();
    }
    expect(calls).toEqual([]);
  });

  it('with the real engine: temporary ids become the rows they stand for, in one RPC', async () => {
    const { admin, calls } = db();
    const ctx = dbContext();
    let asked;
    const report = await updateSharedMemories({
      nova, admin, userId: USER_ID, transcript,
      llm: async (messages) => {
        asked = messages;
        return 'Sure! ```json\n' + JSON.stringify({ operations: [
          { op: 'update', id: 'm1', content: 'Sam now loves long hikes' },
          { op: 'add', category: 'preference', about: 'partner', content: 'Sam loves sushi', confidence: 0.8 },
          { op: 'deactivate', id: 'm9' },
        ] }) + '\n```';
      },
    });
    expect(asked.map((m) => m.role)).toEqual(['system', 'user']);
    expect(asked[1].content).toContain('Sam loves hiking');
    expect(report).toEqual({ applied: 2, rejected: [{ index: 2, reason: 'unknown_id' }] });
    expect(calls.map((c) => c.fn)).toEqual(['nova_prompt_context', 'nova_apply_memory_update']);
    expect(calls[1].body).toEqual({
      p_user_id: USER_ID, p_partnership_id: partnershipId, p_partner_notes: [], p_partner_name: null,
      p_ops: [
        { op: 'update', id: ctx.memories[0].id, updated_at: ctx.memories[0].updated_at, content: 'Sam now loves long hikes' },
        { op: 'add', category: 'preference', about_user: ctx.partnership.partner_user_id, content: 'Sam loves sushi', confidence: 0.8 },
      ],
    });
  });
});

describe('updateSharedMemories, the loaded context checked by the engine', () => {
  it("another user's context or a context missing a database member: contract, no LLM call, no write", async () => {
    const { insights: _i, ...noInsights } = dbContext();
    for (const [payload, text] of [
      [{ ...dbContext(), user_id: '99999999-9999-4999-8999-999999999999' }, /^memoryPrompt: invalid_value: .+ at context\.user_id$/],
      [noInsights, /^memoryPrompt: missing_field: .+ at context\.insights$/],
    ]) {
      const { admin, calls } = client(() => [200, payload]);
      let asked = 0;
      const report = await updateSharedMemories({
        nova, admin, userId: USER_ID, transcript: [{ role: 'user', content: 'hi' }],
        llm: async () => (asked++, '{"operations": []}'),
      });
      expect(report.error.step).toBe('contract');
      expect(report.error.message).toMatch(text); // the code and the path (only the code was checked)
      expect(asked).toBe(0);
      expect(calls.map((c) => c.fn)).toEqual(['nova_prompt_context']);
    }
  });
});
