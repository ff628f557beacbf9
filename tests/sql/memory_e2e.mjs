// The AI update flow end to end on real Postgres (issue 9): the context from
// nova_prompt_context, the engine's memory-ops (build/nova-prompt) on recorded model
// answers, nova_apply_memory_update, all as the route does it with the service role; then
// what each user can see. The LLM is the only stand-in: its answers are recorded below.
// Usage (run.sh): node memory_e2e.mjs <database> <nova-prompt CLI>; PGHOST/PGPORT/PGUSER set.
// Prints "ok - ..." / "not ok - ..." lines, one per check.
import { execFileSync } from 'node:child_process';

const [db, cli] = process.argv.slice(2);
let failures = 0;

function psql(...statements) {
  const args = ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db];
  for (const s of statements) args.push('-c', s);
  return execFileSync('psql', args, { encoding: 'utf8', maxBuffer: 64 << 20 }).trim();
}
const lit = (v) => `'${String(v).replaceAll("'", "''")}'`;
const json = (...statements) => JSON.parse(psql(...statements));
// What the route does: one RPC as the service role.
const asService = (sql) => json('set role service_role', `select (${sql})::text`);
// A signed-in user's own call (JWT claims as PostgREST sets them).
const asUser = (uid, sql) => psql('begin', `set local request.jwt.claims = ${lit(JSON.stringify({ sub: uid, role: 'authenticated' }))}`,
  'set local role authenticated', sql, 'commit');
const context = (uid) => asService(`public.nova_prompt_context(${lit(uid)})`);

function memoryOps(ctx, llmOutput) {
  const request = { context: { ...ctx, chat_memory_summary: null, fallback_name: null }, llm_output: llmOutput };
  return JSON.parse(execFileSync(cli, ['memory-ops', '--json'], { input: JSON.stringify(request), encoding: 'utf8' }));
}
function apply(uid, ctx, result) {
  return asService(`public.nova_apply_memory_update(${lit(uid)}, ${ctx.partnership ? lit(ctx.partnership.id) : 'null'}, ` +
    `${lit(JSON.stringify(result.ops))}::jsonb, ${lit(JSON.stringify(result.partner_notes))}::jsonb, ` +
    `${result.partner_name === null ? 'null' : lit(result.partner_name)})`);
}
function check(name, cond, detail) {
  if (cond) console.log(`ok - ${name}`);
  else {
    failures++;
    console.log(`not ok - ${name}`);
    if (detail !== undefined) console.log(`#   ${JSON.stringify(detail).slice(0, 600)}`);
  }
}
const tempId = (ctx, content) => `m${ctx.memories.findIndex((m) => m.content === content) + 1}`;
const fenced = (ops) => `Here is what I would keep.\n\`\`\`json\n${JSON.stringify({ operations: ops }, null, 1)}\n\`\`\`\nAnything else?`;

// The fixture, committed (each psql call is its own session); removed at the end.
const users = {};
for (const [k, name] of [['a', 'Alex'], ['b', 'Blair'], ['s', 'Sky'], ['t', 'Tam'], ['u', 'Uma'], ['v', 'Val']]) {
  users[k] = psql(`select tests.new_user(${lit(`e2e-${k}@example.com`)}, ${lit(name)})`);
}
const { a, b, s, t, u, v } = users;
try {
  const code = JSON.parse(asUser(a, 'select public.create_partnership()')).invite_code;
  asUser(b, `select public.join_partnership(${lit(code)})`);
  const p = psql(`select partnership_id from nova.partnership_members where user_id = ${lit(a)}`);
  psql(`insert into public.shared_memories (partnership_id, category, about_user, content, confidence) values
          (${lit(p)}, 'preference', ${lit(b)}, 'Blair loves tulips', 0.9), (${lit(p)}, 'general', null, 'We met in Lisbon', 1.0)`);
  asUser(t, `select public.join_partnership(${lit(JSON.parse(asUser(s, 'select public.create_partnership()')).invite_code)})`);
  asUser(u, 'select public.create_partnership()');
  psql(`insert into public.partner_profiles (owner_user_id, name, traits) values (${lit(u)}, 'Robin', array['kind'])`);
  asUser(v, 'select public.create_partnership()');
  psql(`insert into public.detection_config (partnership_id, partner_names)
          select partnership_id, array['Kim'] from nova.partnership_members where user_id = ${lit(v)}`);

  // 1. Alex's chat: an add about the partner, an update, a deactivation, and a partner
  //    note the engine must refuse (Blair has a linked account).
  const ctxA = context(a);
  const out1 = memoryOps(ctxA, fenced([
    { op: 'add', category: 'gift_idea', about: 'partner', content: 'Blair wants a film camera for her birthday', confidence: 0.8 },
    { op: 'update', id: tempId(ctxA, 'Blair loves tulips'), content: 'Blair loves red tulips' },
    { op: 'deactivate', id: tempId(ctxA, 'We met in Lisbon') },
    { op: 'partner_note', field: 'traits', content: 'Blair is patient' },
  ]));
  check('couple: the engine keeps the three memory ops', out1.ops.length === 3, out1);
  check('couple: and refuses the partner note (the partner is linked)', out1.partner_notes.length === 0
    && out1.rejected.some((r) => r.index === 3), out1.rejected);
  const r1 = apply(a, ctxA, out1);
  check('couple: nova_apply_memory_update applies them', r1.ok === true && r1.memories.applied === 3, r1);
  const camera = r1.memories.ids[0];
  const rows = json(`select jsonb_object_agg(content, jsonb_build_object('about', about_user, 'active', is_active))
                       from public.shared_memories where partnership_id = ${lit(p)}`);
  check('couple: the add is about Blair', rows['Blair wants a film camera for her birthday']?.about === b, rows);
  check('couple: the update and the deactivation landed', rows['Blair loves red tulips']?.active === true
    && rows['We met in Lisbon']?.active === false && !('Blair loves tulips' in rows), rows);
  const ctxB = context(b);
  check("couple: Blair's context shows the new and the updated memory, not the deactivated one",
    ctxB.memories.some((m) => m.id === camera) && ctxB.memories.some((m) => m.content === 'Blair loves red tulips')
    && !ctxB.memories.some((m) => m.content === 'We met in Lisbon'), ctxB.memories);
  check('couple: both partners read the new memory through RLS',
    asUser(a, `select count(*) from public.shared_memories where id = ${lit(camera)}`) === '1'
    && asUser(b, `select count(*) from public.shared_memories where id = ${lit(camera)}`) === '1');
  check('couple: a stranger reads none of it (RLS), and their context has none of it',
    asUser(s, `select count(*) from public.shared_memories where partnership_id = ${lit(p)}`) === '0'
    && !JSON.stringify(context(s)).includes('film camera'));

  // 2. Two chats at once: the memory changes after this chat's context was loaded; the
  //    whole batch is refused as stale, the add with it.
  const ctxA2 = context(a);
  const out2 = memoryOps(ctxA2, fenced([
    { op: 'add', category: 'general', about: 'relationship', content: 'Alex and Blair adopted a cat' },
    { op: 'update', id: tempId(ctxA2, 'Blair loves red tulips'), confidence: 0.5 },
  ]));
  check('stale: the engine keeps both ops', out2.ops.length === 2, out2);
  psql('set role service_role', `update public.shared_memories set confidence = 0.7
          where partnership_id = ${lit(p)} and content = 'Blair loves red tulips'`);  // the other chat
  const r2 = apply(a, ctxA2, out2);
  check('stale: the update is refused as stale, naming the op', r2.ok === false && r2.step === 'memories'
    && r2.error.code === 'stale' && r2.error.index === 1, r2);
  check('stale: nothing of the batch was applied', psql(`select count(*) from public.shared_memories
    where partnership_id = ${lit(p)} and content = 'Alex and Blair adopted a cat'`) === '0'
    && psql(`select confidence from public.shared_memories where partnership_id = ${lit(p)} and content = 'Blair loves red tulips'`) === '0.7');

  // 3. Uma (pending invite, AI-built profile of Robin): a memory and a partner note.
  const ctxU = context(u);
  const out3 = memoryOps(ctxU, fenced([
    { op: 'add', category: 'important_date', about: 'relationship', content: 'Uma and Robin met on 3 May' },
    { op: 'partner_note', field: 'traits', content: 'Robin hates surprises' },
  ]));
  check('notes: the engine keeps the op and the note', out3.ops.length === 1 && out3.partner_notes.length === 1, out3);
  const r3 = apply(u, ctxU, out3);
  check('notes: both applied in one call', r3.ok === true && r3.memories.applied === 1 && r3.partner_notes.applied === 1, r3);
  check("notes: the note is in Uma's AI-built profile, the one her prompt shows",
    JSON.stringify(context(u).reference?.traits) === JSON.stringify(['kind', 'Robin hates surprises']), context(u).reference);

  // 4. Val (pending invite, a partner name but no profile yet): the note creates the profile.
  const ctxV = context(v);
  const out4 = memoryOps(ctxV, fenced([{ op: 'partner_note', field: 'important_truths', content: 'Kim works nights' }]));
  check('new profile: the engine offers notes with the partner name', out4.partner_name === 'Kim' && out4.partner_notes.length === 1, out4);
  const r4 = apply(v, ctxV, out4);
  const refV = context(v).reference;
  check("new profile: created with the partner's name and the note", r4.ok === true && refV?.name === 'Kim'
    && JSON.stringify(refV.important_truths) === JSON.stringify(['Kim works nights']), { r4, refV });

  // 5. Nothing half-applied across the two steps: a note that cannot fit undoes the memory op.
  psql(`update public.partner_profiles set traits = (select array_agg('trait ' || g) from generate_series(1, 100) g)
          where owner_user_id = ${lit(u)}`);
  const ctxU2 = context(u);
  const out5 = memoryOps(ctxU2, fenced([
    { op: 'add', category: 'general', about: 'user', content: 'Uma started running' },
    { op: 'partner_note', field: 'traits', content: 'Robin sings in the shower' },
  ]));
  const r5 = apply(u, ctxU2, out5);
  check('atomic: a full profile refuses the note', r5.ok === false && r5.step === 'partner_notes' && r5.error.code === 'profile_full', r5);
  check('atomic: and the memory op before it was not applied', psql(`select count(*) from public.shared_memories
    where content = 'Uma started running'`) === '0');

  // 6. Never into a linked partner's profile, even from a caller that skips the engine.
  const before = psql(`select row_to_json(x)::text from (select * from public.user_profiles where id = ${lit(b)}) x`);
  const r6 = apply(a, context(a), { ops: [], partner_notes: [{ field: 'traits', content: 'Blair is secretly sad' }], partner_name: 'Blair' });
  check('linked: partner notes about a linked partner are refused', r6.ok === false && r6.error.code === 'partner_linked', r6);
  check("linked: Blair's own profile is untouched and no profile of Blair was made",
    psql(`select row_to_json(x)::text from (select * from public.user_profiles where id = ${lit(b)}) x`) === before
    && psql(`select count(*) from public.partner_profiles where 'Blair is secretly sad' = any (traits)`) === '0');
} catch (e) {
  failures++;
  console.log(`not ok - the end-to-end flow ran to the end`);
  console.log(`#   ${String(e.stderr || e.message).slice(0, 800)}`);
} finally {
  psql(`delete from auth.users where id in (${Object.values(users).map(lit).join(', ')})`);
}
process.exitCode = failures ? 1 : 0;
