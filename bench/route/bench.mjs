// Route benchmark: loading the prompt context of a couple with 200 memories
//   rpc  one RPC, nova_prompt_context (what buildSystemPrompt does)
//   six  the seed plan's "New Query Flow": user_profiles, partnerships, partner_profiles in
//        parallel, then (they need the partnership id) detection_config, shared_memories,
//        shared_insights and, when linked, the partner's user_profiles, in parallel
// Both through the same client path: supabase-js with the service role key, its fetch going
// to the PostgREST/Auth stand-in (tests/runtimes/lib/standin.mjs) in process, which runs each
// call as PostgREST does (one transaction, role and claims set) on the local PostgreSQL.
// Requests alternate rpc/six, so both see the same machine. Figures, not assertions.
// Then, on the same couple, the prompt from the RPC two ways: buildSystemPrompt (the RPC's
// text straight into nova.assembleContext) against the objects path it replaced (rpc()'s
// parsed data, then nova.assemble), alternating; both must give the same prompt.
//   node bench/route/bench.mjs PG_URL [N=1000]
import { join } from 'node:path';

const ROOT = join(new URL('.', import.meta.url).pathname, '../..');
const RT = join(ROOT, 'tests/runtimes');
const { createClient } = await import(join(RT, 'node_modules/@supabase/supabase-js/dist/index.mjs')).catch(
  () => import(join(RT, 'node_modules/@supabase/supabase-js/dist/main/index.js')));
const pg = (await import(join(RT, 'node_modules/pg/lib/index.js'))).default;
const { createStandIn, projectKeys } = await import(join(RT, 'lib/standin.mjs'));
const { loadNova } = await import(join(ROOT, 'js/index.js'));
const { buildSystemPrompt } = await import(join(ROOT, 'js/supabase.js'));

const [pgUrl, nArg] = process.argv.slice(2);
const N = Number(nArg ?? 1000);
const WARMUP = 100;
const USER = '00000001-0000-4000-8000-000000000001';

const pool = new pg.Pool({ connectionString: pgUrl, max: 8 });
const standIn = createStandIn({ pool });
const { serviceRoleKey } = await projectKeys();
class NoRealtime { constructor() { throw new Error('no realtime'); } }
const admin = createClient('http://supabase.local', serviceRoleKey, {
  global: { fetch: standIn.fetch },
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: NoRealtime },
});

const PROFILE = 'name,tone,interests,emotional_patterns,communication_style,memory_summary,setup_mode,version';

async function rpc(userId) {
  const { data, error } = await admin.rpc('nova_prompt_context', { p_user_id: userId });
  if (error) throw new Error(error.message);
  return data;
}

function must({ data, error }) {
  if (error) throw new Error(error.message);
  return data;
}

// The seed plan's queries, and the context built from them (what its route.ts would pass on).
async function six(userId) {
  const [user, partnership, partnerProfile] = (await Promise.all([
    admin.from('user_profiles').select(PROFILE).eq('id', userId).maybeSingle(),
    admin.from('partnerships').select('id,user_a,user_b,status').or(`user_a.eq.${userId},user_b.eq.${userId}`)
      .eq('status', 'active').maybeSingle(),
    admin.from('partner_profiles').select('name,traits,relational_tendencies,important_truths,ai_notes')
      .eq('owner_user_id', userId).order('updated_at', { ascending: false }).limit(1).maybeSingle(),
  ])).map(must);
  const pid = partnership?.id;
  const partnerId = partnership ? (partnership.user_a === userId ? partnership.user_b : partnership.user_a) : null;
  const [partner, detection, memories, insights] = (await Promise.all([
    partnerId ? admin.from('user_profiles').select(PROFILE).eq('id', partnerId).maybeSingle() : { data: null },
    admin.from('detection_config').select('partner_names,custom_keywords,relationship_threshold').eq('partnership_id', pid).maybeSingle(),
    admin.from('shared_memories').select('id,category,about_user,content,confidence,updated_at,is_active')
      .eq('partnership_id', pid).eq('is_active', true)
      .order('confidence', { ascending: false }).order('updated_at', { ascending: false }).order('id').limit(200),
    admin.from('shared_insights').select('id,category,about_user,title,content,updated_at,is_active')
      .eq('partnership_id', pid).eq('is_active', true).order('updated_at', { ascending: false }).order('id').limit(50),
  ])).map(must);
  const reference = partner
    ? { source: 'partner_account', user_id: partnerId, name: partner.name, tone: partner.tone, interests: partner.interests,
        emotional_patterns: partner.emotional_patterns, communication_style: partner.communication_style, memory_summary: partner.memory_summary }
    : partnerProfile ? { source: 'ai_generated', user_id: null, ...partnerProfile } : null;
  return {
    user_id: userId, user,
    partnership: partnership ? { id: pid, status: partnership.status, partner_user_id: partnerId } : null,
    reference,
    detection: detection ?? (reference ? { partner_names: [reference.name], custom_keywords: null, relationship_threshold: null } : null),
    memories, insights,
  };
}

// Both load the same data: the same prompt comes out of either context.
const nova = await loadNova();
const message = 'User 2 forgot our anniversary dinner';
const viaRpc = nova.assemble({ context: await rpc(USER), message }).prompt;
const viaSix = nova.assemble({ context: await six(USER), message }).prompt;
if (viaRpc !== viaSix) throw new Error('the two paths load different data: the prompts differ');
const memoryCount = (await rpc(USER)).memories.length;

// The prompt from the RPC: the text path (what buildSystemPrompt does) and the objects path.
const viaText = async (userId) => (await buildSystemPrompt({ nova, admin, userId, message })).prompt;
const viaObjects = async (userId) => nova.assemble({
  for_user: userId, context: { ...(await rpc(userId)), chat_memory_summary: null, fallback_name: null }, message,
}).prompt;
if (await viaText(USER) !== viaRpc || await viaObjects(USER) !== viaRpc) throw new Error('the prompt paths differ');

const sample = () => ({ ms: [], dbMs: [], statements: [] });
const samples = { rpc: sample(), six: sample(), text: sample(), objects: sample() };
async function once(name, fn, record) {
  const db0 = standIn.stats.dbMs;
  const r0 = standIn.stats.requests;
  const t0 = performance.now();
  await fn(USER);
  const ms = performance.now() - t0;
  if (!record) return;
  samples[name].ms.push(ms);
  samples[name].dbMs.push(standIn.stats.dbMs - db0);
  samples[name].statements.push(standIn.stats.requests - r0);
}
// Two ways interleaved, call by call: WARMUP rounds unrecorded, then N recorded.
async function interleave(ways) {
  for (let i = 0; i < WARMUP + N; i++) for (const [name, fn] of ways) await once(name, fn, i >= WARMUP);
}
await interleave([['rpc', rpc], ['six', six]]);
await interleave([['text', viaText], ['objects', viaObjects]]);
await pool.end();

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x) => x.toFixed(2);
const row = (name, label) => {
  const s = samples[name];
  return `| ${label} | ${s.statements[0]} | ${f(pct(s.ms, 50))} | ${f(pct(s.ms, 99))} | ${f(mean(s.ms))} | ${f(mean(s.dbMs))} | ${f(pct(s.dbMs, 50))} |`;
};
console.log(`${N} requests each (after ${WARMUP} of warm-up), alternating; ${memoryCount} memories in the context; same prompt from both paths.\n`);
console.log('| path | HTTP calls / request | p50 ms | p99 ms | mean ms | database ms / request (mean) | database ms (p50) |');
console.log('|---|---|---|---|---|---|---|');
console.log(row('rpc', 'one RPC (`nova_prompt_context`)'));
console.log(row('six', 'the seed\'s six queries (7 calls, 2 parallel rounds)'));
const r = (fn) => f(fn(samples.six.ms) / fn(samples.rpc.ms));
console.log(`\nsix queries / one RPC: p50 ${r((x) => pct(x, 50))}x, p99 ${r((x) => pct(x, 99))}x, database time ${f(mean(samples.six.dbMs) / mean(samples.rpc.dbMs))}x`);
console.log(`\nThe prompt from the RPC (${N} each, alternating, same prompt): load and assemble.\n`);
console.log('| path | HTTP calls / request | p50 ms | p99 ms | mean ms | database ms / request (mean) | database ms (p50) |');
console.log('|---|---|---|---|---|---|---|');
console.log(row('text', '`buildSystemPrompt`: the RPC\'s text into `nova.assembleContext`'));
console.log(row('objects', 'the RPC\'s parsed data into `nova.assemble`'));
const q = (fn) => f(fn(samples.objects.ms) / fn(samples.text.ms));
console.log(`\nobjects path / text path: p50 ${q((x) => pct(x, 50))}x, mean ${q(mean)}x; p50 difference ${f(pct(samples.objects.ms, 50) - pct(samples.text.ms, 50))} ms`);
