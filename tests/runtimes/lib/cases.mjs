// The chat route's cases, run the same way against every runtime: what a user and an
// attacker send, and what must then be in the database and in the LLM's requests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replyFor } from './llm-stub.mjs';
import { signJwt, userToken } from './standin.mjs';

export const USERS = {
  nora: '10000000-0000-4000-8000-000000000001',
  sol: '10000000-0000-4000-8000-000000000002',
  alex: '10000000-0000-4000-8000-000000000003',
  sam: '10000000-0000-4000-8000-000000000004',
  eve: '10000000-0000-4000-8000-000000000005',
};
export const CHATS = {
  nora: '60000000-0000-4000-8000-000000000001',
  sol: '60000000-0000-4000-8000-000000000002',
  alex: '60000000-0000-4000-8000-000000000003',
  eve: '60000000-0000-4000-8000-000000000005',
};

/** The prompt cases: tests/runtimes/golden/<name>.prompt.txt is the system prompt expected. */
export const PROMPT_CASES = [
  { name: 'no-profile', user: 'nora', message: 'How do I start a hard conversation with my boss?', relationship: false },
  { name: 'solo-ai-partner', user: 'sol', message: 'Robin has gone quiet since our argument.', relationship: true },
  { name: 'couple-plain', user: 'alex', message: 'How do I focus at work this week?', relationship: false },
  { name: 'couple-relationship', user: 'alex', message: 'Sam forgot our anniversary and I feel hurt.', relationship: true },
];

export const GOLDEN_DIR = join(new URL('..', import.meta.url).pathname, 'golden');
export const golden = (name) => readFileSync(join(GOLDEN_DIR, `${name}.prompt.txt`), 'utf8');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function assert(cond, what) {
  if (!cond) throw new Error(what);
}
function assertEq(actual, expected, what) {
  if (actual !== expected && typeof actual === 'string' && typeof expected === 'string' && expected.length > 200) {
    let i = 0;
    while (actual[i] === expected[i]) i++;
    throw new Error(`${what}: differs at ${i}: expected ${JSON.stringify(expected.slice(Math.max(0, i - 80), i + 120))}, got ${JSON.stringify(actual.slice(Math.max(0, i - 80), i + 120))}`);
  }
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)?.slice(0, 400)}, got ${JSON.stringify(actual)?.slice(0, 400)}`);
  }
}

async function messagesOf(pool, chatId) {
  const { rows } = await pool.query('select role, content from public.messages where chat_id = $1 order by created_at, id', [chatId]);
  return rows;
}
async function memories(pool) {
  const { rows } = await pool.query('select id, content, confidence, is_active, updated_at::text from public.shared_memories order by id');
  return JSON.stringify(rows);
}

/** POSTs a chat message; resolves to { status, headers, text, error } (error: the stream broke). */
async function post(target, token, body) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(target.url + target.path, { method: 'POST', headers, body: JSON.stringify(body) });
  let text = '';
  let error = null;
  try {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
  } catch (e) {
    error = e;
  }
  return { status: res.status, headers: res.headers, text, error };
}

/**
 * Runs every case against one started runtime; `check(name, fn)` records each.
 * @param {{ target, pool, llm, memoryLanded: boolean|string }} ctx
 */
export async function runCases(check, { target, pool, llm, memoryLanded }) {
  const tokens = Object.fromEntries(await Promise.all(Object.entries(USERS).map(async ([k, id]) => [k, await userToken(id)])));

  for (const c of PROMPT_CASES) {
    await check(`${c.name}: streamed reply, golden system prompt, both turns stored`, async () => {
      const chatId = CHATS[c.user];
      const before = await messagesOf(pool, chatId);
      llm.reset();
      const r = await post(target, tokens[c.user], { chatId, message: c.message });
      assertEq(r.status, 200, `status (${r.text.slice(0, 300)})`);
      assert(!r.error, `stream error: ${r.error}`);
      assertEq(r.headers.get('content-type'), 'text/plain; charset=utf-8', 'content-type');
      assertEq(r.text, replyFor(c.message), 'streamed reply');
      assertEq(r.headers.get('x-nova-relationship'), String(c.relationship), 'relationship layer');
      const chatCall = llm.requests().find((b) => b.stream);
      assert(chatCall, 'the LLM got no streaming request');
      assertEq(chatCall.messages[0].role, 'system', 'first message role');
      assertEq(chatCall.messages[0].content, golden(c.name), `system prompt = golden/${c.name}.prompt.txt`);
      // History in order, then the new message.
      assertEq(JSON.stringify(chatCall.messages.slice(1)), JSON.stringify([...before, { role: 'user', content: c.message }]), 'history sent');
      const stored = await until('the assistant turn to be stored', async () => {
        const now = await messagesOf(pool, chatId);
        return now.length === before.length + 2 ? now : null;
      });
      assertEq(JSON.stringify(stored.slice(-2)), JSON.stringify([
        { role: 'user', content: c.message }, { role: 'assistant', content: replyFor(c.message) }]), 'stored turns');
    });
  }

  await check("a stranger's chat: 404, nothing stored, no LLM call", async () => {
    const before = await messagesOf(pool, CHATS.alex);
    llm.reset();
    const probe = 'What did Alex say about Sam? (stranger probe)';
    const r = await post(target, tokens.eve, { chatId: CHATS.alex, message: probe });
    assertEq(r.status, 404, 'status');
    assert(!r.text.includes('Sam') && !r.text.includes('Alex'), `nothing of the chat in the answer: ${r.text}`);
    // (Background memory calls of earlier cases may still arrive: only this message counts.)
    assertEq(llm.requests().filter((b) => JSON.stringify(b).includes(probe)).length, 0, 'LLM calls');
    assertEq(JSON.stringify(await messagesOf(pool, CHATS.alex)), JSON.stringify(before), "Alex's messages");
  });

  await check('a forged JWT, an expired one, none: 401, nothing stored, no LLM call', async () => {
    const before = await messagesOf(pool, CHATS.alex);
    llm.reset();
    const forged = await signJwt({ sub: USERS.alex, role: 'authenticated', aud: 'authenticated' }, { secret: 'not the project secret' });
    const expired = await signJwt({ sub: USERS.alex, role: 'authenticated', aud: 'authenticated' }, { expiresIn: '-1m' });
    const probe = 'hello (token probe)';
    for (const [what, token] of [['forged', forged], ['expired', expired], ['none', null]]) {
      const r = await post(target, token, { chatId: CHATS.alex, message: probe });
      assertEq(r.status, 401, `${what}: status`);
    }
    assertEq(llm.requests().filter((b) => JSON.stringify(b).includes(probe)).length, 0, 'LLM calls');
    assertEq(JSON.stringify(await messagesOf(pool, CHATS.alex)), JSON.stringify(before), "Alex's messages");
  });

  await check('Supabase Auth fails (500, 503): 503 auth_unavailable, not invalid_token; nothing stored, no LLM call', async () => {
    const before = await messagesOf(pool, CHATS.alex);
    llm.reset();
    const probe = 'hello (auth outage probe)';
    for (const status of [500, 503]) {
      const token = await userToken(USERS.alex, { claims: { standin_auth_status: status } });
      const r = await post(target, token, { chatId: CHATS.alex, message: probe });
      assertEq(r.status, 503, `Auth ${status}: status (${r.text.slice(0, 200)})`);
      assertEq(JSON.parse(r.text).error, 'auth_unavailable', `Auth ${status}: error`);
    }
    assertEq(llm.requests().filter((b) => JSON.stringify(b).includes(probe)).length, 0, 'LLM calls');
    assertEq(JSON.stringify(await messagesOf(pool, CHATS.alex)), JSON.stringify(before), "Alex's messages");
  });

  await check('the LLM dies mid-stream: the user turn kept, no reply stored, no memory change', async () => {
    const before = await messagesOf(pool, CHATS.alex);
    const mems = await memories(pool);
    llm.reset();
    const message = 'Tell me something kind about Sam [fail-midstream] [remember: this must not be kept]';
    const r = await post(target, tokens.alex, { chatId: CHATS.alex, message });
    assert(r.status !== 200 || r.error || r.text !== replyFor(message), `the client was told the reply was complete: ${r.status} ${r.text}`);
    await sleep(1500); // time for any (wrong) background work to happen
    const after = await messagesOf(pool, CHATS.alex);
    assertEq(JSON.stringify(after), JSON.stringify([...before, { role: 'user', content: message }]), 'messages: the user turn only');
    assertEq(await memories(pool), mems, 'shared_memories');
    assertEq(llm.requests().filter((b) => !b.stream && JSON.stringify(b).includes('[fail-midstream]')).length, 0, 'memory-step LLM calls');
  });

  const memoryCase = 'memory update: the learned memory is stored for the couple';
  if (memoryLanded !== true) {
    await check(memoryCase, { skip: memoryLanded });
    return;
  }
  await check(memoryCase, async () => {
    const fact = 'Alex and Sam hike together on Saturday mornings';
    llm.reset();
    const r = await post(target, tokens.alex, { chatId: CHATS.alex, message: `We hiked again today! [remember: ${fact}]` });
    assertEq(r.status, 200, 'status');
    const row = await until('the memory to be applied', async () => {
      const { rows } = await pool.query(
        'select partnership_id, about_user, is_active from public.shared_memories where content = $1', [fact]);
      return rows[0];
    });
    assertEq(row.partnership_id, '30000000-0000-4000-8000-000000000001', 'partnership');
    assertEq(row.about_user, null, 'about the relationship');
    assert(llm.requests().some((b) => !b.stream), 'the memory step asked the LLM');
    // Sam's next prompt shows it: the memory is shared.
    const { rows } = await pool.query('select public.nova_prompt_context($1) ->> \'memories\' as m', [USERS.sam]);
    assert(rows[0].m.includes(fact), "in Sam's context");
  });
}
