// The rules suite: each rule the contract (schema/nova-contract.schema.json) holds once is
// the same in every copy. The C and JS copies are generated (scripts/gen_rules.py) and
// checked for being current; beyond that each copy is checked by what it does:
//   - the engine (the real CLI, build/nova-prompt): accepts exactly the categories, uses
//     the default threshold, reads the no-name as no name, cuts every text field at its
//     display cap and not before;
//   - the JS package: js/rules.js, fallbackName() and the category, rejection-reason and
//     partner-note-field types in js/types.d.ts; the README's table of rejection reasons;
//   - the migrations: the category checks, the threshold's column default, the signup
//     trigger's no-name, every text column's length check, memory_summary's key and
//     string caps, the memory update's content limits, the detection config's term limits
//     (against include/nova.h's, as the engine's default max_chars is);
//   - the preview (js/preview) takes the categories and defaults from js/rules.js.
// Usage: node tests/rules/check.mjs [path to nova-prompt]. Last line "rules: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = process.argv[2] ?? join(root, 'build', 'nova-prompt');
const schema = JSON.parse(readFileSync(join(root, 'schema', 'nova-contract.schema.json'), 'utf8'));
const defs = schema.$defs;
const RULES = {
  memory: defs.memory_category.enum,
  insight: defs.insight_category.enum,
  threshold: defs.detection_config.properties.relationship_threshold.default,
  noName: defs.no_name.const,
  caps: defs.display_caps.default,
  maxChars: defs.options.properties.max_chars.default,
  keywordBytes: defs.keyword_list.items.maxLength,
  listItems: defs.keyword_list.maxItems,
  noteChars: defs.partner_note.properties.content.maxLength,
};
// include/nova.h's limits: NAME -> value.
const novaH = readFileSync(join(root, 'include', 'nova.h'), 'utf8');
const limit = (name) => {
  const m = new RegExp(`#define ${name}\\s+\\(?([0-9u* ]+)\\)?`).exec(novaH);
  return m ? m[1].replace(/u/g, '').split('*').reduce((a, x) => a * Number(x), 1) : undefined;
};

let passed = 0;
let failed = 0;
function check(label, ok, detail = '') {
  if (ok) passed++;
  else {
    failed++;
    console.log(`FAIL ${label}${detail ? `: ${detail}` : ''}`);
  }
}
const sameSet = (a, b) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

// ---------------------------------------------------------------- generated copies

for (const script of ['scripts/gen_rules.py', 'scripts/gen_detect_tables.py']) {
  const r = spawnSync('python3', [script, '--check'], { cwd: root, encoding: 'utf8' });
  check(`${script} --check: the generated files are current`, r.status === 0, r.stdout + r.stderr);
}

// ---------------------------------------------------------------- the engine

const USER = '11111111-1111-4111-8111-111111111111';
const PARTNER = '22222222-2222-4222-8222-222222222222';
const uuid = (n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function run(command, request) {
  const r = spawnSync(cli, [command, '--json'], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 1 << 26 });
  try {
    return { status: r.status, result: JSON.parse(r.stdout) };
  } catch {
    return { status: r.status, result: null, stderr: r.stderr };
  }
}

function base(message = 'hello') {
  return {
    context: {
      user_id: USER,
      user: { name: 'Maya' },
      partnership: { id: uuid(9), status: 'active', partner_user_id: PARTNER },
      reference: { source: 'ai_generated', name: 'Sam' },
    },
    message,
    options: { max_chars: 1000000, insights: 'always' },
  };
}

const memory = (category, content = 'likes tea') =>
  ({ id: uuid(1), category, content, confidence: 0.9, updated_at: '2026-11-01T10:00:00Z' });
const insight = (category, title = 'A title', content = 'An insight') =>
  ({ id: uuid(2), category, title, content, updated_at: '2026-11-01T10:00:00Z' });

for (const [kind, list, make] of [['memory', RULES.memory, memory], ['insight', RULES.insight, insight]]) {
  for (const category of list) {
    const req = base();
    req.context[`${kind === 'memory' ? 'memories' : 'insights'}`] = [make(category)];
    const r = run('assemble', req);
    check(`engine accepts ${kind} category ${category}`, r.status === 0, JSON.stringify(r.result));
  }
  const req = base();
  req.context[kind === 'memory' ? 'memories' : 'insights'] = [make('not_a_category')];
  const r = run('assemble', req);
  check(`engine refuses a ${kind} category outside the contract`, r.status === 2 &&
    r.result?.error?.path === `context.${kind === 'memory' ? 'memories' : 'insights'}[0].category`, JSON.stringify(r.result));
}
// The layers group the categories in the contract's order.
{
  const req = base();
  req.context.memories = [...RULES.memory].reverse().map((c, i) => ({ ...memory(c, `memory in ${c}`), id: uuid(100 + i) }));
  const prompt = run('assemble', req).result?.prompt ?? '';
  const at = RULES.memory.map((c) => prompt.indexOf(`memory in ${c}`));
  check('the memory layer groups categories in the contract\'s order', at.every((x, i) => x > 0 && (i === 0 || x > at[i - 1])), at.join(','));
}

for (const [label, detection] of [['no detection config', undefined], ['an empty one', {}], ['a null threshold', { relationship_threshold: null }]]) {
  const req = base();
  if (detection !== undefined) req.context.detection = detection;
  const r = run('detect', req);
  check(`engine's default threshold with ${label} is the contract's`, r.result?.threshold === RULES.threshold, JSON.stringify(r.result));
}

{
  const req = base();
  delete req.options;
  const r = run('assemble', req);
  check('engine\'s default max_chars is the contract\'s (and nova.h\'s NOVA_DEFAULT_MAX_CHARS)',
    r.result?.budget?.max_chars === RULES.maxChars && limit('NOVA_DEFAULT_MAX_CHARS') === RULES.maxChars, JSON.stringify(r.result?.budget));
  check('nova.h\'s keyword limits are the contract\'s keyword_list', limit('NOVA_MAX_KEYWORD_BYTES') === RULES.keywordBytes &&
    limit('NOVA_MAX_LIST_ITEMS') === RULES.listItems, `${limit('NOVA_MAX_KEYWORD_BYTES')} ${limit('NOVA_MAX_LIST_ITEMS')}`);
}

{
  const prompt = (fallback) => {
    const req = base();
    req.context.user = null;
    req.context.fallback_name = fallback;
    return run('assemble', req).result?.prompt;
  };
  const none = prompt(null);
  check('engine reads the contract\'s no-name as no name', prompt(RULES.noName) === none && none !== undefined);
  check('... and a real name as a name', prompt('Maya') !== none && prompt('Maya').includes('Maya'));
}

// Each capped field, where a request puts it.
const placements = {
  name: (req, v) => { req.context.user.name = v; },
  fallback_name: (req, v) => { req.context.user = null; req.context.fallback_name = v; },
  memory_summary_key: (req, v) => { req.context.user.memory_summary = { [v]: 'value' }; },
  memory_summary_value: (req, v) => { req.context.user.memory_summary = { key: v }; },
  tone: (req, v) => { req.context.user.tone = v; },
  communication_style: (req, v) => { req.context.user.communication_style = v; },
  interests: (req, v) => { req.context.user.interests = [v]; },
  emotional_patterns: (req, v) => { req.context.user.emotional_patterns = v; },
  traits: (req, v) => { req.context.reference.traits = [v]; },
  relational_tendencies: (req, v) => { req.context.reference.relational_tendencies = [v]; },
  important_truths: (req, v) => { req.context.reference.important_truths = [v]; },
  ai_notes: (req, v) => { req.context.reference.ai_notes = v; },
  memory_content: (req, v) => { req.context.memories = [memory('general', v)]; },
  insight_title: (req, v) => { req.context.insights = [insight('communication', v)]; },
  insight_content: (req, v) => { req.context.insights = [insight('communication', 'Title', v)]; },
  chat_memory_summary: (req, v) => { req.context.chat_memory_summary = v; },
};
check('every display cap has a placement in this test', sameSet(Object.keys(placements), Object.keys(RULES.caps)),
  Object.keys(RULES.caps).join(','));
for (const [field, cap] of Object.entries(RULES.caps)) {
  const place = placements[field];
  if (!place) continue;
  const shown = (text) => {
    const req = base();
    place(req, text);
    return run('assemble', req).result?.prompt ?? '';
  };
  const exact = shown('q'.repeat(cap));
  check(`engine shows ${field} of ${cap} characters uncut`, exact.includes('q'.repeat(cap)) && !exact.includes('q'.repeat(cap - 1) + '…'));
  const over = shown('q'.repeat(cap + 1));
  check(`engine cuts ${field} at ${cap} characters (ellipsis inside)`, over.includes('q'.repeat(cap - 1) + '…') && !over.includes('q'.repeat(cap)));
}

// ---------------------------------------------------------------- the JS package

const jsRules = await import(join(root, 'js', 'rules.js'));
check('js/rules.js categories', sameSet(jsRules.MEMORY_CATEGORIES, RULES.memory) && jsRules.MEMORY_CATEGORIES.join() === RULES.memory.join() &&
  jsRules.INSIGHT_CATEGORIES.join() === RULES.insight.join());
check('js/rules.js threshold, max_chars, no-name and caps', jsRules.DEFAULT_THRESHOLD === RULES.threshold &&
  jsRules.DEFAULT_MAX_CHARS === RULES.maxChars && jsRules.NO_NAME === RULES.noName &&
  JSON.stringify(jsRules.DISPLAY_CAPS) === JSON.stringify(RULES.caps));
const { fallbackName } = await import(join(root, 'js', 'supabase.js'));
check('fallbackName() of an account without name or e-mail is the no-name', fallbackName(null) === RULES.noName &&
  fallbackName({ email: null, user_metadata: {} }) === RULES.noName);
const types = readFileSync(join(root, 'js', 'types.d.ts'), 'utf8');
const memoryRules = {
  reasons: defs.memory_rejection_reason.enum,
  fields: defs.partner_note.properties.field.enum,
};
check('js/rules.js memory update rules', jsRules.MEMORY_REJECTION_REASONS.join() === memoryRules.reasons.join() &&
  jsRules.PARTNER_NOTE_FIELDS.join() === memoryRules.fields.join());
for (const [name, list] of [['MemoryCategory', RULES.memory], ['InsightCategory', RULES.insight],
  ['MemoryRejectionReason', memoryRules.reasons], ['PartnerNoteField', memoryRules.fields]]) {
  const m = new RegExp(`export type ${name} =([^;]+);`).exec(types);
  const members = m ? [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]) : [];
  check(`js/types.d.ts ${name} is the contract's list`, sameSet(members, list), members.join(','));
}

// The README's table of rejection reasons lists exactly the contract's, in its order.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const at = readme.indexOf('| reason | the operation');
const rows = at < 0 ? '' : readme.slice(at).split('\n\n')[0];
const table = [...rows.matchAll(/^\| `([a-z_]+)` \| /gm)].map((m) => m[1]);
check('README lists the rejection reasons, in the schema\'s order', table.join() === memoryRules.reasons.join(), table.join());

// The README's table of display caps: each field under its cap, every capped field once.
{
  const phrase = {
    'user and partner names': ['name'], '`fallback_name`': ['fallback_name'], '`memory_summary` keys': ['memory_summary_key'],
    tone: ['tone'], 'communication style': ['communication_style'], interests: ['interests'], traits: ['traits'],
    'relational tendencies': ['relational_tendencies'], 'important truths': ['important_truths'], 'insight titles': ['insight_title'],
    'emotional patterns': ['emotional_patterns'], 'AI notes': ['ai_notes'], 'memory and insight content': ['memory_content', 'insight_content'],
    '`memory_summary` values': ['memory_summary_value'], '`chat_memory_summary`': ['chat_memory_summary'],
  };
  const table = /\| cap \| fields \|\n\|---\|---\|\n((?:\|[^\n]*\n)+)/.exec(readme)?.[1] ?? '';
  const seen = [];
  const wrong = [];
  for (const row of table.trim().split('\n')) {
    const [, cap, fields] = row.split('|').map((x) => x.trim());
    for (const item of fields.split(', ')) {
      const names = phrase[item];
      if (!names) { wrong.push(`unknown field "${item}"`); continue; }
      for (const n of names) {
        seen.push(n);
        if (RULES.caps[n] !== Number(cap.replace(',', ''))) wrong.push(`${n}: README ${cap}, contract ${RULES.caps[n]}`);
      }
    }
  }
  check('README\'s table of display caps is the contract\'s', table && !wrong.length && sameSet(seen, Object.keys(RULES.caps)) &&
    seen.length === Object.keys(RULES.caps).length, wrong.join('; ') || seen.join(','));
}

// ---------------------------------------------------------------- the migrations

const migrationsDir = join(root, 'migrations');
const sql = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort()
  .map((f) => readFileSync(join(migrationsDir, f), 'utf8').replace(/--[^\n]*/g, '')).join('\n');
const lists = [...sql.matchAll(/category'?\)?\s+(?:not\s+)?in\s*\(([^)]*)\)/gi)].map((m) => [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]));
check('migrations check memory categories somewhere', lists.some((l) => sameSet(l, RULES.memory)));
check('migrations check insight categories somewhere', lists.some((l) => sameSet(l, RULES.insight)));
check('every category list in the migrations is one of the contract\'s', lists.length >= 2 &&
  lists.every((l) => sameSet(l, RULES.memory) || sameSet(l, RULES.insight)), JSON.stringify(lists));
const def = /relationship_threshold\s+double precision[^,]*default\s+([0-9.]+)/i.exec(sql);
check('migrations default the threshold to the contract\'s', def && Number(def[1]) === RULES.threshold, def?.[0]);
check('the signup trigger\'s last resort is the no-name', /coalesce\([\s\S]*?'([^']*)'\s*\)/i.test(sql) &&
  sql.includes(`'${RULES.noName}'`));
// Text columns: table.column -> display cap field.
const columns = {
  'user_profiles.name': 'name', 'user_profiles.tone': 'tone', 'user_profiles.interests': 'interests',
  'user_profiles.emotional_patterns': 'emotional_patterns', 'user_profiles.communication_style': 'communication_style',
  'partner_profiles.name': 'name', 'partner_profiles.traits': 'traits',
  'partner_profiles.relational_tendencies': 'relational_tendencies', 'partner_profiles.important_truths': 'important_truths',
  'partner_profiles.ai_notes': 'ai_notes', 'shared_memories.content': 'memory_content',
  'shared_insights.title': 'insight_title', 'shared_insights.content': 'insight_content',
};
for (const [column, field] of Object.entries(columns)) {
  const [table, col] = column.split('.');
  const m = new RegExp(`constraint\\s+${table}_${col}_len\\s+check\\s*\\(([^\\n]*)\\)`, 'i').exec(sql);
  const numbers = m ? [...m[1].matchAll(/\b\d+\b/g)].map((x) => Number(x[0])) : [];
  const cap = numbers.length ? numbers[numbers.length - 1] : undefined;
  check(`${column} is limited to the display cap of ${field} (${RULES.caps[field]})`, cap === RULES.caps[field], m ? m[0] : 'no length check found');
}

// memory_summary: keys and strings at most what the prompt shows whole.
const summaryTexts = /constraint\s+user_profiles_memory_summary_texts\s+check\s*\(nova\.jsonb_texts_ok\(memory_summary,\s*(\d+),\s*(\d+)\)\)/i.exec(sql);
check('user_profiles.memory_summary keys and strings are limited to the display caps memory_summary_key and memory_summary_value',
  summaryTexts && Number(summaryTexts[1]) === RULES.caps.memory_summary_key && Number(summaryTexts[2]) === RULES.caps.memory_summary_value,
  summaryTexts ? summaryTexts[0] : 'no user_profiles_memory_summary_texts check found');
// The memory update's own checks of what it writes: a memory's content at most its
// column's cap, a partner note's at most the contract's (which is its column's cap too).
const updateContent = [...sql.matchAll(/char_length\(nova\.trim_text\(p_op ->> 'content'\)\) > (\d+)/g)].map((m) => Number(m[1]));
check('nova_apply_memory_update limits a memory\'s content to the display cap of memory_content',
  updateContent.length > 0 && updateContent.every((n) => n === RULES.caps.memory_content), updateContent.join(','));
const noteContent = [...sql.matchAll(/nova\.text_ok\(nova\.trim_text\(v_note ->> 'content'\), (\d+)\)/g)].map((m) => Number(m[1]));
check('nova_apply_memory_update limits a partner note to the contract\'s partner_note content (= the notes\' display cap)',
  noteContent.length > 0 && noteContent.every((n) => n === RULES.noteChars) && RULES.noteChars === RULES.caps.traits, noteContent.join(','));
// detection_config: terms the engine takes (every byte limit nova.h's, no list longer than
// the engine's), so a row at the database's limits never fails a request.
const terms = /function nova\.detection_terms_ok[\s\S]*?\$\$([\s\S]*?)\$\$/.exec(sql)?.[1] ?? '';
const octets = [...terms.matchAll(/octet_length\([^)]*\)\)? > (\d+)/g)].map((m) => Number(m[1]));
check('detection_config limits every term to nova.h\'s NOVA_MAX_KEYWORD_BYTES', octets.length >= 2 &&
  octets.every((n) => n === limit('NOVA_MAX_KEYWORD_BYTES')), octets.join(','));
const counts = [...terms.matchAll(/jsonb_array_length\(e\.value\) > (\d+)/g), ...sql.matchAll(/cardinality\(partner_names\) <= (\d+)/g)].map((m) => Number(m[1]));
check('detection_config lists are no longer than the engine takes (NOVA_MAX_LIST_ITEMS)', counts.length >= 2 &&
  counts.every((n) => n <= limit('NOVA_MAX_LIST_ITEMS')), counts.join(','));

// ---------------------------------------------------------------- the preview

// The preview's forms write no rule of their own: categories and defaults come from
// js/rules.js (the category names and numbers appear nowhere else in js/preview).
const previewDir = join(root, 'js', 'preview');
for (const f of readdirSync(previewDir).filter((x) => x.endsWith('.js'))) {
  const text = readFileSync(join(previewDir, f), 'utf8');
  const copies = [...RULES.memory, ...RULES.insight].filter((c) => text.includes(`'${c}'`) || text.includes(`"${c}"`));
  const numbers = [`empty: ${RULES.threshold}.`, String(RULES.maxChars), RULES.maxChars.toLocaleString('en-US')].filter((n) => text.includes(n));
  check(`js/preview/${f} writes no category or default of its own`, !copies.length && !numbers.length, [...copies, ...numbers].join(', '));
}

console.log(`rules: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
