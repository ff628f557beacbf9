// Demo suite (run by tests/demo/run.sh, which starts a throwaway PostgreSQL 15 and passes
// its URL in NOVA_TEST_PG). Runs `make demo`'s script and the nova-layers CLI as a user
// would, as child processes, and checks what they print, what they leave in the database
// and how they fail. The model is the recorded one, or a stand-in OpenAI-compatible server
// on 127.0.0.1 (the real providers cannot be reached here). Timings are printed, never
// asserted. Prints "demo: N passed, N failed" last.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import pg from 'pg';
import { assert, assertEq, checks } from '../lib/checks.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'js/cli/nova-layers.js');
const NATIVE = join(ROOT, 'build/nova-prompt');
const PG = process.env.NOVA_TEST_PG;
const MIGRATIONS = readdirSync(join(ROOT, 'migrations')).filter((f) => f.endsWith('.sql')).sort();
const DOMAIN = 'nova-layers-demo.invalid';

const { check, fail, finish } = checks('demo');
const has = (text, piece, what) => assert(text.includes(piece), `${what}: no "${piece}" in:\n${text.slice(0, 1500)}`);

/** Runs a command to its end: { code, out, err, seconds }. */
function run(cmd, args, { env = {}, input } = {}) {
  return new Promise((ok) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => ok({ code, out, err, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }));
    child.stdin.end(input ?? '');
  });
}
const cli = (args, opts) => run(process.execPath, [BIN, ...args], opts);

/** The demo's per-message blocks: who, detection, layers, prompt lines, reply. */
function messages(out) {
  const blocks = [];
  let cur = null;
  for (const line of out.split('\n')) {
    const h = /^-- (\w+) -> Nova, message (\d+) of (\d+)$/.exec(line);
    if (h) {
      cur = { who: h[1], n: Number(h[2]), lines: [] };
      blocks.push(cur);
    } else if (/^== \d+\. /.test(line)) cur = null;
    else if (cur) cur.lines.push(line);
  }
  return blocks.map((b) => {
    const d = b.lines.map((l) => /^detection: score (\S+) (>=|<) threshold (\S+) -> relationship layer (ON|off)$/.exec(l)).find(Boolean);
    assert(d, `${b.who} ${b.n}: no detection line`);
    const layers = {};
    for (const l of b.lines) {
      const m = /^ {2}(core|main_user|reference|memory|insight|relationship) +(on|off) +([\d,]+) chars {2}(.*)$/.exec(l);
      if (m) layers[m[1]] = { on: m[2] === 'on', chars: Number(m[3].replaceAll(',', '')), why: m[4] };
    }
    return {
      who: b.who, n: b.n, score: Number(d[1]), on: d[4] === 'ON',
      message: b.lines.find((l) => l.startsWith('message: '))?.slice(9),
      matches: b.lines.map((l) => /^ {2}"(.+)" (strong|medium|weak)$/.exec(l)).filter(Boolean).map((m) => `${m[1]}/${m[2]}`),
      layers,
      prompt: b.lines.filter((l) => /^[ +] \| /.test(l) || /^[ +] \|$/.test(l)),
      reply: b.lines.find((l) => l.startsWith('Nova ('))?.replace(/^Nova \(([^)]*)\): /, '$1: ') ?? null,
      text: b.lines.join('\n'),
    };
  });
}

// What the scripted conversation must show, message by message: the detector's decision
// and terms, which layers are on, and what the memory step did (with the recorded model
// outputs of js/cli/demo-script.js) and the next prompt shows.
const MEMORY = {
  dishes: 'Maya and Sam keep coming back to arguments about the dishes.',
  calm: 'Maya wants to raise problems calmly, without it turning into a fight.',
  date: 'Maya and Sam\'s anniversary is on June 12.',
  small: 'Maya wants to mark the anniversary with something small.',
  apology: 'Sam wants to own it and apologize when he has been short with Maya.',
  cancels: 'Alex often cancels plans at the last minute.',
  money: 'Alex has been anxious about money lately.',
};
const EXPECTED = [
  { who: 'Maya', n: 1, on: true, score: 3.5, matches: ['Sam/strong', 'dishes/medium', 'fight/weak'],
    layers: ['core', 'main_user', 'reference', 'insight', 'relationship'], marked: '[Sam] and I argued about the [dishes] again',
    applied: 2, learned: [`+ shared memory (emotional_need, about Maya, confidence 0.8): ${MEMORY.calm}`, `+ shared memory (pattern, about the relationship, confidence 0.9): ${MEMORY.dishes}`] },
  { who: 'Maya', n: 2, on: true, score: 5.5, matches: ['our anniversary/strong', 'anniversary/medium', 'Sammy/strong', 'love/weak'],
    layers: ['core', 'main_user', 'reference', 'memory', 'insight', 'relationship'], marked: '[Our anniversary] is on June 12',
    shows: [`+ | - About the relationship: ${MEMORY.dishes}`, `+ | - About Maya: ${MEMORY.calm}`],
    applied: 2, dropped: ['operation 0: duplicate'],
    learned: [`+ shared memory (important_date, about the relationship, confidence 1): ${MEMORY.date}`, `+ shared memory (preference, about Maya, confidence 0.8): ${MEMORY.small}`] },
  { who: 'Sam', n: 1, on: false, score: 0, matches: [], layers: ['core', 'main_user', 'reference', 'memory'],
    shows: [`- About the relationship: ${MEMORY.date}`], applied: 0 },
  { who: 'Sam', n: 2, on: true, score: 2.5, matches: ['Maya/strong', 'apologize/weak'],
    layers: ['core', 'main_user', 'reference', 'memory', 'insight', 'relationship'], marked: 'I think [Maya] noticed',
    applied: 1, learned: [`+ shared memory (growth_moment, about Sam, confidence 0.8): ${MEMORY.apology}`] },
  { who: 'Jordan', n: 1, on: true, score: 4, matches: ['boyfriend/strong', 'Alex/strong'], layers: ['core', 'main_user', 'reference', 'relationship'],
    applied: 1, dropped: ['operation 1: not_allowed'], learned: [`+ partner profile of Alex, relational_tendencies: ${MEMORY.cancels}`] },
  { who: 'Jordan', n: 2, on: true, score: 2, matches: ['Alex/strong'], layers: ['core', 'main_user', 'reference', 'relationship'],
    shows: [`+ | - ${MEMORY.cancels}`], applied: 1, learned: [`+ partner profile of Alex, important_truths: ${MEMORY.money}`] },
];
const REASONS = { Maya: /^partner_account: /, Sam: /^partner_account: /, Jordan: /^ai_generated: / };

// The memory step of one message, and what the prompt shows of the earlier ones.
function checkMemoryStep(m, e, what) {
  for (const line of e.shows ?? []) assert(m.prompt.some((p) => p.endsWith(line.replace(/^\+ \| /, '')) && (!line.startsWith('+') || p.startsWith('+ | '))),
    `${what}: the prompt does not show ${JSON.stringify(line)}:\n${m.prompt.join('\n')}`);
  has(m.text, 'memory update (recorded model output):', `${what}: memory step`);
  has(m.text, '  model output: {"operations":', `${what}: model output`);
  const dropped = m.text.split('\n').filter((l) => l.startsWith('  dropped by the engine: ')).map((l) => l.slice('  dropped by the engine: '.length));
  assertEq(dropped, e.dropped ?? [], `${what}: dropped operations`);
  if (e.applied === 0) has(m.text, 'nothing to apply: no call to nova_apply_memory_update', `${what}: nothing applied`);
  else has(m.text, `nova_apply_memory_update: ${e.applied} applied`, `${what}: applied`);
  const learned = m.text.split('\n').filter((l) => l.startsWith('  + ')).map((l) => l.slice(2));
  for (const l of e.learned ?? []) assert(learned.includes(l), `${what}: did not learn ${JSON.stringify(l)}: ${JSON.stringify(learned)}`);
  assertEq(learned.length, e.learned?.length ?? 0, `${what}: how much was learned`);
}

function checkConversation(out, label, { recorded = true } = {}) {
  const got = messages(out);
  assertEq(got.map((m) => `${m.who} ${m.n}`), EXPECTED.map((e) => `${e.who} ${e.n}`), `${label}: messages`);
  for (const [i, e] of EXPECTED.entries()) {
    const m = got[i];
    const what = `${label}: ${e.who} message ${e.n}`;
    assertEq(m.on, e.on, `${what}: relationship decision`);
    assertEq(m.score, e.score, `${what}: score`);
    assertEq(m.matches, e.matches, `${what}: matched terms`);
    assertEq(Object.keys(m.layers), ['core', 'main_user', 'reference', 'memory', 'insight', 'relationship'], `${what}: six layer lines`);
    assertEq(Object.entries(m.layers).filter(([, l]) => l.on).map(([n]) => n), e.layers, `${what}: layers on`);
    for (const [name, l] of Object.entries(m.layers)) {
      assert(l.on ? l.chars > 0 : l.chars === 0, `${what}: ${name} size ${l.chars}`);
      assert(l.why.length > 0, `${what}: ${name} has no reason`);
      const closing = m.prompt.some((p) => p.endsWith(`</nova:${name}>`));
      assertEq(closing, l.on, `${what}: ${name} in the prompt`);
    }
    assert(REASONS[e.who].test(m.layers.reference.why), `${what}: reference reason ${m.layers.reference.why}`);
    if (e.marked) has(m.message, e.marked, `${what}: marked message`);
    assert(m.reply, `${what}: no reply line`);
    if (recorded) checkMemoryStep(m, e, what);
  }
  return got;
}

const tmp = mkdtempSync(join(tmpdir(), 'nova-demo-test-'));
const dataDir = join(tmp, 'data');
const times = {};
let cold = null;
const databases = [];
async function newDatabase(name) {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  databases.push(name);
  return `${PG}/${name}`;
}
async function sql(url, text, params) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

try {
  // ---------------------------------------------------------------------------------------
  // make demo's script on a fresh embedded database, then on the saved one.
  await check('scripts/demo.sh on a fresh data directory: exit 0, progress lines, bootstrap and every migration in file order', async () => {
    cold = await run('bash', ['scripts/demo.sh'], { env: { NOVA_DEMO_DATA_DIR: dataDir } });
    times.cold = cold.seconds;
    assertEq(cold.code, 0, `exit status (stderr: ${cold.err})`);
    has(cold.err, `creating the embedded database in ${dataDir} (first run`, 'progress');
    const applied = cold.err.split('\n').filter((l) => l.startsWith('nova-layers: applying ')).map((l) => l.slice('nova-layers: applying '.length).split(' ')[0]);
    assertEq(applied, ['tests/sql/bootstrap.sql', ...MIGRATIONS.map((f) => `migrations/${f}`)], 'applied, in order');
    has(cold.err, 'database ready in ', 'ready line');
    has(cold.out, 'embedded PostgreSQL 18', 'database label');
  });

  await check('demo: sign-ups through the trigger, the invite code printed and joined, RLS-bound profile updates', () => {
    for (const who of ['maya', 'sam', 'jordan']) {
      has(cold.out, `${who}@${DOMAIN}: the nova_on_auth_user_created trigger made a profile: name "${who[0].toUpperCase()}${who.slice(1)}", setup_mode pending`, 'sign-up');
    }
    const code = /rpc\('create_partnership'\) -> invite code ([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}) /.exec(cold.out);
    assert(code, 'invite code line');
    has(cold.out, `rpc('join_partnership', { p_invite_code: '${code[1].toLowerCase().replaceAll('-', ' ')}' })`, 'joined with the printed code');
    has(cold.out, 'is active; Sam\'s partner is Maya', 'join result');
    has(cold.out, 'Maya: from(\'user_profiles\').update(', 'profile update');
  });

  await check('demo: every message shows its detection decision, matched terms, the six layers, the prompt and the memory update; the next prompt shows what was learned', () => {
    const got = checkConversation(cold.out, 'cold run');
    const first = got[0];
    assertEq(first.prompt[0], '  | <nova:core>', 'prompt starts with the core marker');
    assert(first.prompt.some((l) => l.includes('more lines (--full prints them)')), 'core shortened without --full');
    assert(got[1].prompt.some((l) => l.includes('unchanged since the last prompt')), 'unchanged layers shortened');
    assert(got.every((m) => m.reply.startsWith('recorded reply: ')), 'replies labelled as recorded');
  });

  await check('demo: what it did is in the embedded database (the CLI\'s data directory, reopened)', async () => {
    const pgl = await PGlite.create({ dataDir: join(dataDir, 'pgdata'), extensions: { pgcrypto } });
    try {
      const q = async (s) => (await pgl.query(s)).rows;
      const users = await q(`select u.email, p.name, p.setup_mode from auth.users u join public.user_profiles p on p.id = u.id where u.email like '%@${DOMAIN}' order by u.email`);
      assertEq(users.map((u) => `${u.email.split('@')[0]}:${u.name}:${u.setup_mode}`), ['jordan:Jordan:pending', 'maya:Maya:self_written', 'sam:Sam:quiz_generated'], 'profiles');
      const ps = await q(`select p.status, (select count(*)::int from public.detection_config d where d.partnership_id = p.id) as cfg,
                                 (select count(*)::int from public.shared_insights i where i.partnership_id = p.id) as insights
                            from public.partnerships p join auth.users a on a.id = p.user_a where a.email = 'maya@${DOMAIN}'`);
      assertEq(ps, [{ status: 'active', cfg: 1, insights: 1 }], 'partnership');
      const mem = await q(`select m.content from public.shared_memories m join public.partnerships p on p.id = m.partnership_id
                             join auth.users a on a.id = p.user_a where a.email = 'maya@${DOMAIN}' and m.is_active order by m.content`);
      assertEq(mem.map((r) => r.content).sort(), [MEMORY.dishes, MEMORY.small, MEMORY.date, MEMORY.calm, MEMORY.apology].sort(), 'the couple\'s memories');
      const alex = await q(`select pp.name, pp.source, pp.traits, pp.relational_tendencies, pp.important_truths from public.partner_profiles pp
                              join auth.users a on a.id = pp.owner_user_id where a.email = 'jordan@${DOMAIN}'`);
      assertEq(alex, [{ name: 'Alex', source: 'ai_generated', traits: ['works long shifts as a chef'], relational_tendencies: [MEMORY.cancels], important_truths: [MEMORY.money] }], 'Alex\'s AI-built profile');
      const hist = await q('select version from supabase_migrations.schema_migrations order by version');
      assertEq(hist.map((r) => r.version), MIGRATIONS.map((f) => f.split('_')[0]), 'migration history');
    } finally {
      await pgl.close();
    }
  });

  await check('second run reuses the saved data directory (no bootstrap, no migration) and shows the same conversation', async () => {
    const warm = await run('bash', ['scripts/demo.sh'], { env: { NOVA_DEMO_DATA_DIR: dataDir } });
    times.warm = warm.seconds;
    assertEq(warm.code, 0, `exit status (stderr: ${warm.err})`);
    has(warm.err, 'saved by an earlier run', 'reuse line');
    assert(!warm.err.includes('applying') && !warm.err.includes('creating'), `rebuilt:\n${warm.err}`);
    has(warm.out, `already applied: ${MIGRATIONS.map((f) => `migrations/${f}`).join(', ')}`, 'already applied');
    has(warm.out, 'deleted the 3 demo accounts of the last run', 'old accounts removed');
    has(warm.out, 'rows left that reference them: 0', 'the deletion forgot (counted after the delete)');
    checkConversation(warm.out, 'warm run');
  });

  await check('--full prints every layer whole', async () => {
    const full = await cli(['demo', '--full', '--data-dir', dataDir]);
    assertEq(full.code, 0, `exit (stderr: ${full.err})`);
    assert(!full.out.includes('more lines'), 'nothing shortened');
    const core = readFileSync(join(ROOT, 'prompts/core.txt'), 'utf8').trimEnd().split('\n');
    const first = messages(full.out)[0].prompt.map((l) => l.slice(4));
    assertEq(first.slice(1, 1 + core.length), core, 'the whole core text');
    has(full.out, '  : [system]\n  : You keep the memory of Nova', 'the memory prompt, whole');
    has(full.out, '  : <nova:transcript>', 'the transcript in it');
  });

  await check('a changed migration rebuilds the embedded database instead of trusting it', async () => {
    const state = JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8'));
    writeFileSync(join(dataDir, 'state.json'), JSON.stringify({ ...state, fingerprint: 'from-older-migrations' }));
    const r = await cli(['demo', '--data-dir', dataDir]);
    assertEq(r.code, 0, `exit (stderr: ${r.err})`);
    has(r.err, 'the migrations, the bootstrap or PGlite changed since it was built', 'why');
    has(r.err, 'applying migrations/', 'applied again');
  });

  await check('the data directory is locked while in use; a lock left by a dead process is taken over', async () => {
    writeFileSync(join(dataDir, 'lock'), String(process.pid));
    const busy = await cli(['assemble', '--data-dir', dataDir, '--user', `maya@${DOMAIN}`, '--message', 'hi']);
    assertEq(busy.code, 1, 'exit while locked');
    has(busy.err, `is in use by process ${process.pid}`, 'message');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dataDir, 'lock'), dead);
    const r = await cli(['assemble', '--data-dir', dataDir, '--user', `maya@${DOMAIN}`, '--message', 'hi']);
    assertEq(r.code, 0, `exit with a stale lock (stderr: ${r.err})`);
    assert(!existsSync(join(dataDir, 'lock')), 'lock released');
  });

  // ---------------------------------------------------------------------------------------
  // assemble / detect
  await check('nova-layers assemble --user --message: the prompt a route builds from the embedded database', async () => {
    const r = await cli(['assemble', '--data-dir', dataDir, '--user', `maya@${DOMAIN}`, '--message', 'Sammy forgot our date night']);
    assertEq(r.code, 0, `exit (stderr: ${r.err})`);
    has(r.out, 'Name: Maya', 'main user');
    has(r.out, '<nova:relationship>', 'relationship layer');
    has(r.out, 'Pursue and withdraw', 'insight from the database');
    const j = await cli(['assemble', '--json', '--data-dir', dataDir, '--user', `sam@${DOMAIN}`, '--message', 'long day']);
    const res = JSON.parse(j.out);
    assertEq(res.detection.relationship, false, 'detection for Sam');
    assertEq(res.layers.find((l) => l.name === 'reference').reason.startsWith('partner_account'), true, 'Sam sees Maya linked');
    const d = await cli(['detect', '--data-dir', dataDir, '--user', `jordan@${DOMAIN}`, '--message', 'My girlfriend... I mean my boyfriend']);
    has(d.out, 'message: My [girlfriend]... I mean my [boyfriend]', 'marked');
    has(d.out, 'detection: score 4 >= threshold 2 -> relationship layer ON', 'decision');
  });

  await check('nova-layers assemble/detect FILE: the same bytes as the native CLI', async () => {
    for (const f of ['partnership_full', 'non_ascii_names', 'injection_attempts']) {
      const file = join(ROOT, `tests/golden/${f}.request.json`);
      const input = readFileSync(file, 'utf8');
      for (const [op, flags] of [['assemble', []], ['assemble', ['--json']], ['detect', ['--json']]]) {
        const mine = await cli([op, ...flags, file]);
        const nat = spawnSync(NATIVE, [op, ...flags], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
        assertEq(mine.code, 0, `${op} ${flags} ${f}: exit`);
        assertEq(mine.out, nat.stdout, `${op} ${flags} ${f}: output`);
      }
      const stdin = await cli(['assemble'], { input });
      assertEq(stdin.out, spawnSync(NATIVE, ['assemble'], { input, encoding: 'utf8' }).stdout, `${f}: from stdin`);
    }
  });

  await check('errors: a refused request exits 2 with code and path; usage errors exit 64; an unreadable request file 74; an unknown user exits 1', async () => {
    const bad = await cli(['assemble'], { input: '{"context": {"user_id": "11111111-1111-4111-8111-111111111111", "memories": [{"confidence": 5}]}, "message": "hi"}' });
    assertEq(bad.code, 2, 'refused request');
    assert(/^nova-layers: [a-z_]+: .+ \(at context\.memories\[0\]/.test(bad.err), `stderr: ${bad.err}`);
    const broken = await cli(['detect', '--json'], { input: '{' });
    assertEq(broken.code, 2, 'invalid JSON');
    assertEq(JSON.parse(broken.out).error.code, 'invalid_json', 'error JSON on stdout');
    for (const [args, piece] of [[['dmeo'], 'unknown command dmeo'], [['demo', '--ful'], 'unknown option --ful'],
      [['assemble', '--user', 'x'], '--user and --message go together'], [['demo', '--migrate'], '--migrate goes with --database-url'],
      [['help', 'dmeo'], 'help: unknown command dmeo'], [['help', 'demo', 'preview'], 'help takes one command at most'],
      [['preview', '--port', 'eighty'], 'not a port number'], [['preview', '--port', '80000'], '--port: not a port number: 80000'], [['demo', '--json'], '--json is not an option of demo']]) {
      const r = await cli(args);
      assertEq(r.code, 64, `${args.join(' ')}: exit`);
      has(r.err, piece, `${args.join(' ')}: message`);
      has(r.err, 'nova-layers help', `${args.join(' ')}: hint`);
    }
    for (const args of [['assemble', join(dataDir, 'nope.json')], ['detect', dataDir]]) {
      const r = await cli(args);
      assertEq(r.code, 74, `${args.join(' ')}: exit (I/O error, as nova-prompt)`);
      assert(/^nova-layers: cannot read .+: (no such file|is a directory)\n$/.test(r.err), `${args.join(' ')}: one line, no stack: ${r.err}`);
    }
    const nobody = await cli(['assemble', '--data-dir', dataDir, '--user', 'nobody@example.com', '--message', 'hi']);
    assertEq(nobody.code, 1, 'unknown user');
    has(nobody.err, 'no auth user has the id or e-mail nobody@example.com', 'message');
    const help = await cli(['help']);
    assertEq(help.code, 0, 'help');
    for (const v of ['NOVA_LLM_BASE_URL', 'NOVA_LLM_MODEL', 'NOVA_LLM_API_KEY', '--database-url', '--migrate']) has(help.out, v, 'help text');
    // A command's help is the one usage text, however it is asked for.
    for (const args of [['help', 'demo'], ['demo', '--help'], ['preview', '-h'], ['-h', 'assemble']]) {
      const r = await cli(args);
      assertEq(r.code, 0, `${args.join(' ')}: exit`);
      assertEq(r.out, help.out, `${args.join(' ')}: the usage text`);
    }
  });

  // ---------------------------------------------------------------------------------------
  // A real PostgreSQL (15, with Supabase's bootstrap applied by the demo itself)
  await check('--database-url on a database without the migrations: exit 1, names what is missing and how to apply it', async () => {
    const url = await newDatabase('demo_empty');
    const r = await cli(['demo', '--database-url', url]);
    assertEq(r.code, 1, 'exit');
    has(r.err, 'lacks the nova-layers migrations (public.create_partnership(), public.join_partnership(text), public.nova_prompt_context(uuid), public.nova_apply_memory_update(uuid, uuid, jsonb, jsonb, text) are missing)', 'message');
    has(r.err, 'supabase db push', 'hint');
    has(r.err, '--migrate', 'hint');
  });

  await check('--database-url --migrate on PostgreSQL 15: the same flow; the demo accounts are deleted afterwards', async () => {
    const url = await newDatabase('demo_pg');
    const r = await cli(['demo', '--database-url', url, '--migrate']);
    times.pg = r.seconds;
    assertEq(r.code, 0, `exit (stderr: ${r.err})`);
    has(r.out, 'PostgreSQL 15', 'label');
    has(r.out, 'applied the Supabase bootstrap', 'bootstrap on a plain Postgres');
    checkConversation(r.out, 'PostgreSQL 15');
    has(r.out, 'deleted the 3 demo accounts again (pass --keep', 'cleanup');
    has(r.out, 'rows left that reference them: 0', 'the deletion forgot');
    assertEq(await sql(url, `select count(*)::int as n from auth.users where email like '%@${DOMAIN}'`), [{ n: 0 }], 'no demo accounts left');
    assertEq(await sql(url, 'select count(*)::int as n from public.partnerships'), [{ n: 0 }], 'account deletion removed the partnership');
    assertEq((await sql(url, 'select version from supabase_migrations.schema_migrations order by 1')).map((x) => x.version), MIGRATIONS.map((f) => f.split('_')[0]), 'history as the Supabase CLI keeps it');
    const again = await cli(['demo', '--database-url', url, '--migrate', '--keep']);
    assertEq(again.code, 0, `second run (stderr: ${again.err})`);
    assert(!again.err.includes('applying'), 'nothing applied twice');
    assertEq(await sql(url, `select count(*)::int as n from auth.users where email like '%@${DOMAIN}'`), [{ n: 3 }], '--keep kept them');
  });

  await check('--database-url that cannot be reached: exit 1, the password not printed', async () => {
    const port = PG.split(':').pop();
    const r = await cli(['demo', '--database-url', `postgresql://postgres:s3cret-pw@127.0.0.1:${Number(port) + 7}/x`]);
    assertEq(r.code, 1, 'exit');
    has(r.err, 'could not connect to postgresql://postgres:***@127.0.0.1:', 'message');
    assert(!r.err.includes('s3cret-pw') && !r.out.includes('s3cret-pw'), 'password printed');
  });

  await check('a migration that fails: exit 1, the file and line named, nothing recorded for it', async () => {
    const pkg = join(tmp, 'pkg');
    for (const d of ['js', 'dist', 'migrations', 'schema', 'prompts']) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
    mkdirSync(join(pkg, 'tests/sql'), { recursive: true });
    cpSync(join(ROOT, 'tests/sql/bootstrap.sql'), join(pkg, 'tests/sql/bootstrap.sql'));
    cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    writeFileSync(join(pkg, 'migrations/29990101000000_broken.sql'), '-- a broken one\ncreate table public.t (id int);\ncreate tabel public.u (id int);\n');
    const url = await newDatabase('demo_broken');
    const r = await run(process.execPath, [join(pkg, 'js/cli/nova-layers.js'), 'demo', '--database-url', url, '--migrate']);
    assertEq(r.code, 1, 'exit');
    has(r.err, 'nova-layers: migrations/29990101000000_broken.sql:3: syntax error at or near "tabel"', 'message');
    const hist = (await sql(url, 'select version from supabase_migrations.schema_migrations')).map((x) => x.version);
    assert(!hist.includes('29990101000000') && hist.length === MIGRATIONS.length, `history ${hist}`);
    assertEq(await sql(url, "select to_regclass('public.t') is null as gone"), [{ gone: true }], 'the failed file was rolled back');
  });

  // ---------------------------------------------------------------------------------------
  // A live model: an OpenAI-compatible stand-in on 127.0.0.1 (what the real API answers:
  // choices[0].message.content), recording what the demo sent.
  const seen = [];
  let failWith = 0;
  const llm = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization ?? null, body: JSON.parse(body || 'null') });
      if (failWith) {
        res.writeHead(failWith, { 'content-type': 'application/json' }).end('{"error":{"message":"model overloaded"}}');
        return;
      }
      // Chat calls get a reply; memory calls (the memory prompt) an operation to keep.
      const memory = seen.at(-1).body.messages[0].content.startsWith('You keep the memory of Nova');
      const n = seen.filter((x) => x.body.messages[0].content.startsWith('You keep the memory of Nova') === memory).length;
      const content = memory
        ? JSON.stringify({ operations: [{ op: 'add', category: 'general', about: 'user', content: `Live memory from call ${seen.length}.`, confidence: 0.7 }] })
        : `Live answer number ${n}.`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        id: `chatcmpl-${seen.length}`, object: 'chat.completion', model: 'demo-model',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
      }));
    });
  });
  await new Promise((ok) => llm.listen(0, '127.0.0.1', ok));
  const llmUrl = `http://127.0.0.1:${llm.address().port}/v1`;
  try {
    await check('with NOVA_LLM_BASE_URL: replies come from the endpoint, labelled live, with the assembled prompt as the system message', async () => {
      const url = await newDatabase('demo_live');
      const r = await cli(['demo', '--database-url', url, '--migrate'],
        { env: { NOVA_LLM_BASE_URL: llmUrl, NOVA_LLM_MODEL: 'demo-model', NOVA_LLM_API_KEY: 'test-key' } });
      assertEq(r.code, 0, `exit (stderr: ${r.err})`);
      const got = checkConversation(r.out, 'live', { recorded: false });
      const label = `live: demo-model at http://127.0.0.1:${llm.address().port}: `;
      assert(got.every((m) => m.reply.startsWith(label)), `labels: ${got.map((m) => m.reply)}`);
      const chats = seen.filter((s) => s.body.messages[0].content.startsWith('<nova:core>'));
      assertEq(chats.length, EXPECTED.length, 'one chat call per message');
      for (const s of seen) {
        assertEq([s.method, s.url, s.auth, s.body.model], ['POST', '/v1/chat/completions', 'Bearer test-key', 'demo-model'], 'request');
      }
      // The conversation carries on: the second call has the first exchange, with the live reply.
      assertEq(chats[1].body.messages.slice(1).map((m) => m.role), ['user', 'assistant', 'user'], 'history');
      assert(chats[1].body.messages[2].content.startsWith('Live answer number'), 'the live reply is in the history');
      assert(chats[0].body.messages[0].content.includes('Name: Maya'), 'system prompt is Maya\'s');
      // The memory step asks the endpoint too, with the live exchange, and what it answers lands.
      const memo = seen.filter((s) => s.body.messages[0].content.startsWith('You keep the memory of Nova'));
      assertEq(memo.length, EXPECTED.length, 'one memory call per message');
      assert(memo[0].body.messages[1].content.includes(chats[0].body.messages.at(-1).content), 'the memory prompt has the message');
      assert(memo[0].body.messages[1].content.includes('Live answer number 1.'), 'the memory prompt has the live reply');
      const maya2 = got.find((m) => m.who === 'Maya' && m.n === 2);
      assert(maya2.prompt.some((p) => p.startsWith('+ | ') && p.includes('Live memory from call 2.')), `the live memory is in the next prompt:\n${maya2.prompt.join('\n')}`);
      has(got.find((m) => m.who === 'Jordan' && m.n === 1).text, 'dropped by the engine: operation 0: not_allowed', 'Jordan cannot get shared memories');
    });

    await check('a failing endpoint or a missing NOVA_LLM_MODEL: exit 1 with the reason', async () => {
      failWith = 503;
      const r = await cli(['demo', '--data-dir', dataDir], { env: { NOVA_LLM_BASE_URL: llmUrl, NOVA_LLM_MODEL: 'demo-model' } });
      assertEq(r.code, 1, 'exit when the endpoint fails');
      has(r.err, 'answered HTTP 503: {"error":{"message":"model overloaded"}}', 'message');
      failWith = 0;
      const m = await cli(['demo', '--data-dir', dataDir], { env: { NOVA_LLM_BASE_URL: llmUrl } });
      assertEq(m.code, 1, 'exit without a model');
      has(m.err, 'NOVA_LLM_BASE_URL is set but NOVA_LLM_MODEL is not', 'message');
    });
  } finally {
    llm.close();
  }
} catch (e) {
  fail('demo session', e);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`timings (s): demo cold ${times.cold?.toFixed(1)}, warm ${times.warm?.toFixed(1)}, PostgreSQL 15 with --migrate ${times.pg?.toFixed(1)}`);
finish();
