// demo — the product's real flow, end to end, on a real database: the migrations applied as
// they are; accounts created by sign-up (the trigger on auth.users); a couple linked with
// create_partnership / join_partnership as the signed-in users; a solo user; then for each
// scripted message what a chat route does with the package's own glue (nova-layers and
// nova-layers/supabase): load the context, assemble the prompt, get the reply, then the
// memory update, whose result the next prompt shows.
import { CONVERSATIONS, COUPLE_DETECTION, COUPLE_INSIGHT, DEMO_EMAIL_DOMAIN, PEOPLE, SOLO_PARTNER_PROFILE } from './demo-script.js';
import { openDatabase } from './database.js';
import { CliError } from './errors.js';
import { loadEngine } from './engine.js';
import { chooseModel } from './llm.js';
import { budgetLine, detectionLines, layerLines, markedMessage, promptLines, styles } from './report.js';
import { serviceRoleClient, userClient } from './rest.js';

// A supabase-js result that is an error, or a function outcome {ok: false}, fails the step.
function expectOk(what, { data, error }) {
  if (error) throw new CliError(`${what} failed: ${error.message}${error.code ? ` (${error.code})` : ''}`);
  if (data && data.ok === false) throw new CliError(`${what} refused: ${data.error}`);
  return data;
}

// Only accounts the demo made: its e-mail domain (reserved, RFC 2606) and its marker.
const DEMO_ACCOUNTS = `email like '%@' || $1 and raw_app_meta_data ->> 'nova_layers_demo' = 'true'`;

// Every column with a foreign key to auth.users (id), read from the catalog (whatever table
// a migration adds), and whether it deletes on cascade (confdeltype 'c').
const USER_REFERENCES = `select c.conrelid::regclass::text as tbl, quote_ident(a.attname) as col, c.confdeltype = 'c' as cascades
  from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
  where c.contype = 'f' and c.confrelid = 'auth.users'::regclass order by 1, 2`;

// Deleting the auth.users rows is the whole account deletion: the migrations' foreign keys
// (ON DELETE CASCADE) remove the rest. So every foreign key to auth.users must cascade
// (one that sets null would keep the row, detached: checked before anything is deleted),
// and the rows left referencing the deleted ids are counted afterwards in each such column.
async function removeDemoAccounts(db) {
  const refs = await db.query(USER_REFERENCES);
  const kept = refs.filter((r) => !r.cascades);
  if (kept.length) {
    throw new CliError(`account deletion would keep rows: ${kept.map((r) => `${r.tbl} (${r.col})`).join(', ')} reference auth.users without ON DELETE CASCADE`);
  }
  const gone = await db.query(`delete from auth.users where ${DEMO_ACCOUNTS} returning id::text, email`, [DEMO_EMAIL_DOMAIN]);
  const ids = gone.map((r) => r.id);
  if (ids.length && refs.length) {
    const [counts] = await db.query(
      `select ${refs.map((r, i) => `(select count(*) from ${r.tbl} where ${r.col} = any($1::uuid[])) as n${i}`).join(', ')}`, [ids]);
    const left = refs.map((r, i) => ({ ...r, n: Number(counts[`n${i}`]) })).filter((r) => r.n > 0);
    if (left.length) {
      throw new CliError(`account deletion left rows that reference the deleted demo accounts: ${left.map((r) => `${r.n} in ${r.tbl} (${r.col})`).join(', ')}`);
    }
  }
  return {
    emails: gone.map((r) => r.email),
    what: `the foreign keys deleted their profiles, every partnership they were in with its invite code, memories, insights and detection settings, their partner profiles and the AI-built profiles their partners had of them; rows left that reference them: 0 (the ${refs.length} columns that reference auth.users, each ON DELETE CASCADE)`,
  };
}

// Sign-up as Supabase Auth records it: one auth.users row. The migrations' trigger does the rest.
async function signUp(db, person) {
  const [user] = await db.query(
    `insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
     values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1, now(), $2::jsonb, $3::jsonb, now(), now())
     returning id::text, email, raw_app_meta_data, raw_user_meta_data`,
    [person.email, JSON.stringify({ provider: 'email', providers: ['email'], nova_layers_demo: true }),
      JSON.stringify({ full_name: person.full_name })]);
  const [profile] = await db.query('select name, setup_mode from public.user_profiles where id = $1', [user.id]);
  if (!profile) throw new CliError(`sign-up of ${person.email}: no user_profiles row (is the nova_on_auth_user_created trigger missing?)`);
  // What supabase.auth.getUser() gives a route: the fallback name comes from it.
  return { ...user, user_metadata: user.raw_user_meta_data, profile };
}

const ABOUT = { null: 'the relationship' };
const clip = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * After a reply, what the route does next: updateSharedMemories (the memory prompt, the
 * model, the engine's checks, one nova_apply_memory_update), then what landed, read back.
 */
async function memoryStep({ db, nova, glue, admin, user, names, model, exchange, context, recorded, full, print, st }) {
  let asked = null;
  let answer = null;
  const [{ since }] = await db.query('select clock_timestamp()::text as since');
  const report = await glue.updateSharedMemories({
    nova, admin, userId: user.id, transcript: exchange, context,
    llm: async (messages) => {
      asked = messages;
      answer = await model.chat(messages, recorded);
      return answer;
    },
  });
  print(`memory update (${model.live ? model.label : 'recorded model output'}):`);
  if (asked === null && !report.error) {
    print('  the memory prompt offers nothing to record for this user: no model call');
    return;
  }
  if (asked !== null) {
    const size = asked.reduce((k, m) => k + m.content.length, 0);
    print(`  memory prompt: ${asked.length} messages, ${size} chars${full ? '' : ' (--full prints them)'}`);
    if (full) {
      for (const m of asked) for (const l of [`[${m.role}]`, ...m.content.split('\n')]) print(`  ${st.dim(':')} ${l}`);
    }
    print(`  model output: ${clip(answer.replace(/\s+/g, ' '), full ? Infinity : 240)}`);
  }
  for (const r of report.rejected) print(`  ${st.off(`dropped by the engine: operation ${r.index ?? '(the answer)'}: ${r.reason}`)}`);
  if (report.error) {
    throw new CliError(`the memory update failed (step ${report.error.step}): ${report.error.message}`);
  }
  // updateSharedMemories calls the database only when the engine kept something.
  if (report.applied === 0) {
    print('  nothing to apply: no call to nova_apply_memory_update');
    return;
  }
  print(`  nova_apply_memory_update: ${report.applied} applied (memories and partner notes, one transaction)`);
  // What landed, read back from the tables (as the database owner).
  const memories = await db.query(
    `select category, about_user::text as about, content, confidence from public.shared_memories
      where partnership_id = $1 and updated_at >= $2::timestamptz order by created_at, category, content`, [context.partnership?.id ?? null, since]);
  for (const m of memories) {
    print(`  ${st.ok('+')} shared memory (${m.category}, about ${names.get(m.about) ?? ABOUT[m.about] ?? 'someone else'}, confidence ${m.confidence}): ${m.content}`);
  }
  const profiles = await db.query(
    `select name, traits, relational_tendencies, important_truths from public.partner_profiles
      where owner_user_id = $1 and updated_at >= $2::timestamptz`, [user.id, since]);
  const before = context.reference ?? {};
  for (const p of profiles) {
    for (const field of ['traits', 'relational_tendencies', 'important_truths']) {
      for (const item of p[field] ?? []) {
        if (!(before[field] ?? []).includes(item)) print(`  ${st.ok('+')} partner profile of ${p.name}, ${field}: ${item}`);
      }
    }
  }
}

/**
 * @param {{ databaseUrl: string | null, migrate: boolean, dataDir: string, fresh: boolean,
 *           full: boolean, keep: boolean, color: boolean, env: Record<string, string | undefined>,
 *           print: (line?: string) => void, progress: (line: string) => void }} opts
 */
export async function runDemo(opts) {
  const { print, progress } = opts;
  const st = styles(opts.color);
  const model = chooseModel(opts.env);
  const { nova, glue } = await loadEngine();
  let stepNo = 0;
  const step = (title) => print(`\n${st.head(`== ${++stepNo}. ${title}`)}`);

  const db = await openDatabase(opts, progress);
  try {
    step('the database');
    print(db.label);
    if (db.migrated?.bootstrapped) print('applied the Supabase bootstrap (tests/sql/bootstrap.sql: roles, auth schema, default grants)');
    if (db.migrated) {
      for (const f of db.migrated.applied) print(`applied ${f}`);
      if (db.migrated.skipped.length) print(`already applied: ${db.migrated.skipped.join(', ')}`);
    }
    const removed = await removeDemoAccounts(db);
    if (removed.emails.length) {
      print(`deleted the ${removed.emails.length} demo accounts of the last run (${removed.emails.map((e) => e.split('@')[0]).join(', ')}): ${removed.what}`);
    }
    const admin = serviceRoleClient(db);

    step('sign-ups (an auth.users insert each, as Supabase Auth does)');
    const users = {};
    for (const [key, person] of Object.entries(PEOPLE)) {
      users[key] = await signUp(db, person);
      print(`${person.email}: the nova_on_auth_user_created trigger made a profile: name "${users[key].profile.name}", setup_mode ${users[key].profile.setup_mode}`);
    }

    step('profiles (each user updates their own row: RLS allows only that)');
    for (const [key, person] of Object.entries(PEOPLE)) {
      if (!person.profile) {
        print(`${person.full_name}: leaves the profile as it is (the prompt uses the sign-up name)`);
        continue;
      }
      expectOk(`${person.full_name}'s profile update`, await userClient(db, users[key]).from('user_profiles').update(person.profile).eq('id', users[key].id));
      print(`${person.full_name}: from('user_profiles').update({ ${Object.keys(person.profile).join(', ')} }) as ${person.email}`);
    }

    step('linking Maya and Sam');
    const invite = expectOk('create_partnership', await userClient(db, users.maya).rpc('create_partnership'));
    print(`Maya: rpc('create_partnership') -> invite code ${st.bold(invite.invite_code)} (expires ${invite.invite_expires_at})`);
    const typed = invite.invite_code.toLowerCase().replaceAll('-', ' ');
    const joined = expectOk('join_partnership', await userClient(db, users.sam).rpc('join_partnership', { p_invite_code: typed }));
    print(`Sam: rpc('join_partnership', { p_invite_code: '${typed}' }) (typed in lower case with spaces: codes are forgiving)`);
    print(`  -> ok: partnership ${joined.partnership_id} is active; Sam's partner is ${joined.partner_user_id === users.maya.id ? 'Maya' : joined.partner_user_id}`);
    expectOk('detection_config insert', await admin.from('detection_config').insert({ partnership_id: joined.partnership_id, ...COUPLE_DETECTION }));
    print(`service role: detection_config for the couple: partner_names ${JSON.stringify(COUPLE_DETECTION.partner_names)}, custom medium keywords ${JSON.stringify(COUPLE_DETECTION.custom_keywords.medium)}`);
    expectOk('shared_insights insert', await admin.from('shared_insights').insert({
      partnership_id: joined.partnership_id, category: COUPLE_INSIGHT.category, about_user: COUPLE_INSIGHT.about,
      title: COUPLE_INSIGHT.title, content: COUPLE_INSIGHT.content,
    }));
    print(`service role: one shared insight ("${COUPLE_INSIGHT.title}"), as a background job would write it`);
    expectOk('partner_profiles insert', await admin.from('partner_profiles').insert({ owner_user_id: users.jordan.id, ...SOLO_PARTNER_PROFILE }));
    print(`service role: Jordan has no partnership; their partner ${SOLO_PARTNER_PROFILE.name} has no account, so Nova keeps an AI-built`);
    print(`  profile of ${SOLO_PARTNER_PROFILE.name} (partner_profiles, as earlier chats left it: ${JSON.stringify(SOLO_PARTNER_PROFILE.traits)})`);
    const names = new Map(Object.entries(users).map(([k, u]) => [u.id, PEOPLE[k].full_name]));

    for (const convo of CONVERSATIONS) {
      step(`conversation: ${convo.title}`);
      const user = users[convo.person];
      const transcript = [];
      let previous = null;
      for (const [i, turn] of convo.turns.entries()) {
        print(`\n${st.bold(`-- ${PEOPLE[convo.person].full_name} -> Nova, message ${i + 1} of ${convo.turns.length}`)}`);
        // The route's prompt step: one RPC for the context, one assemble.
        const result = await glue.buildSystemPrompt({
          nova, admin, userId: user.id, message: turn.message,
          fallbackName: glue.fallbackName(user), options: { now: new Date().toISOString() },
        });
        print(`message: ${markedMessage(turn.message, result.detection.matches, st)}`);
        for (const l of detectionLines(result.detection, st)) print(l);
        print('layers:');
        for (const l of layerLines(result.layers, st)) print(l);
        print(budgetLine(result.budget, st));
        print(`prompt${previous === null ? '' : ' (+ marks lines new since the previous prompt)'}:`);
        for (const l of promptLines(result.prompt, previous, { full: opts.full, st })) print(l);
        previous = result.prompt;

        const reply = await model.chat([{ role: 'system', content: result.prompt }, ...transcript, { role: 'user', content: turn.message }], turn.reply);
        print(`Nova (${model.live ? model.label : 'recorded reply'}): ${reply}`);
        const exchange = [{ role: 'user', content: turn.message }, { role: 'assistant', content: reply }];
        transcript.push(...exchange);
        await memoryStep({ db, nova, glue, admin, user, names, model, exchange, context: result.context, recorded: turn.memory, full: opts.full, print, st });
      }
    }

    step('done');
    if (db.kind === 'url' && !opts.keep) {
      const gone = await removeDemoAccounts(db);
      print(`deleted the ${gone.emails.length} demo accounts again (pass --keep to leave them in the database): ${gone.what}`);
    } else {
      print('the demo accounts stay in the database; try:');
      const where = db.kind === 'url' ? ' --database-url URL' : opts.defaultDataDir ? '' : ` --data-dir ${opts.dataDir}`;
      const cmd = opts.env.NOVA_CLI_NAME || 'npx nova-layers';
      print(`  ${cmd} assemble --user ${PEOPLE.maya.email} --message "Sam forgot our date night"${where}`);
      print(`  ${cmd} detect --user ${PEOPLE.jordan.email} --message "Alex called"${where}`);
    }
  } finally {
    await db.close();
  }
}
