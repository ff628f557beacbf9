// nova-layers/supabase with the real supabase-js client; its HTTP goes to a fetch of ours.
import { createClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNova } from '../../js/index.js';
import { assemblePrompt, buildAssembleRequest, fallbackName, loadPromptContext } from '../../js/supabase.js';
import { USER_ID, small } from './requests.js';

const URL_BASE = 'http://supabase.test';

/** A client whose requests are recorded and answered by `reply(url, body)`. */
function client(reply) {
  const calls = [];
  const fetch = async (url, init) => {
    const body = init?.body ? JSON.parse(init.body) : null;
    calls.push({ url: String(url), method: init?.method, headers: new Headers(init?.headers), body });
    const [status, payload] = reply(String(url), body);
    return new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } });
  };
  // Node 20 has no WebSocket: realtime is not used here, give it a dummy transport.
  const supabase = createClient(URL_BASE, 'service-role-key', {
    global: { fetch },
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: class {} },
  });
  return { supabase, calls };
}

// What nova_prompt_context returns: the context without the route's own members.
function dbContext() {
  const { chat_memory_summary: _s, ...rest } = small().context;
  return rest;
}

let nova;
beforeAll(async () => {
  nova = await loadNova();
});

describe('loadPromptContext', () => {
  it('calls the nova_prompt_context RPC with p_user_id and returns its JSON', async () => {
    const { supabase, calls } = client(() => [200, dbContext()]);
    const ctx = await loadPromptContext(supabase, USER_ID);
    expect(ctx).toEqual(dbContext());
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(`${URL_BASE}/rest/v1/rpc/nova_prompt_context`);
    expect(calls[0].method).toBe('POST');
    expect(calls[0].body).toEqual({ p_user_id: USER_ID });
    expect(calls[0].headers.get('apikey')).toBe('service-role-key');
  });

  it('throws with the PostgREST error as cause', async () => {
    const { supabase } = client(() => [403, { code: '42501', message: 'permission denied for function nova_prompt_context' }]);
    const err = await loadPromptContext(supabase, USER_ID).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('permission denied');
    expect(err.cause.code).toBe('42501');
  });

  it('throws when there is no context', async () => {
    const { supabase } = client(() => [200, null]);
    await expect(loadPromptContext(supabase, USER_ID)).rejects.toThrow('no context');
  });
});

describe('route helpers', () => {
  it('fallbackName: full_name, email local part, "there"', () => {
    expect(fallbackName({ user_metadata: { full_name: '  Alex Doe ' }, email: 'a@x.io' })).toBe('Alex Doe');
    expect(fallbackName({ email: 'alex.doe@x.io' })).toBe('alex.doe');
    expect(fallbackName({ email: '@x.io' })).toBe('there');
    expect(fallbackName(null)).toBe('there');
  });

  it('buildAssembleRequest adds the route members', () => {
    const req = buildAssembleRequest(dbContext(), 'hello', {
      chatMemorySummary: 'sum', fallbackName: 'Alex', options: { max_chars: 5000 } });
    expect(req).toEqual({
      context: { ...dbContext(), chat_memory_summary: 'sum', fallback_name: 'Alex' },
      message: 'hello',
      options: { max_chars: 5000 },
    });
  });

  it('assemblePrompt = load + assemble', async () => {
    const { supabase } = client(() => [200, dbContext()]);
    const input = { userId: USER_ID, message: 'Sam and I argued', chatMemorySummary: 'sum' };
    const result = await assemblePrompt(nova, supabase, input);
    expect(result).toEqual(nova.assemble(buildAssembleRequest(dbContext(), input.message, input)));
    expect(result.prompt.length).toBeGreaterThan(0);
  });
});
