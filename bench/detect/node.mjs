// The detector in Node, side by side with what a route author would write instead (figures,
// not a test: nothing asserted). In one process, the Emscripten build through the package:
//   detector        nova.detector(config) compiled once, detect(message) per message
//   detect          nova.detect(request): its cache keeps the compiled detector
//   detectJSON      the JSON API, the request's terms compiled on every call (headline only)
//   includes loop   message.toLowerCase().includes(keyword) for each keyword
//   regex           one case-insensitive Unicode alternation with word boundaries
//                   (lookarounds on \p{L}\p{N}), compiled once, matchAll per message
//   regex \b        the same with \b (ASCII word boundaries), flags gi (headline only)
// Every peer gets the built-in lists too, with their tiers. Each way gives a decision
// (score >= 2, each distinct term once, tier weights 2/1/0.5), compared with the
// detector's on the timed message (keywords mentioned about once per 100 words) and on one
// without any keyword (where substring matching finds keywords inside words).
// Points: the headline (64 KB, 1,000 custom keywords), message sizes 1 KB..1 MB at 1,000
// keywords, keyword counts 0 (the built-in lists alone)..8,000 (the most a detection config holds: four lists of
// 2,000) at 64 KB. The variants of one point run interleaved, one call each per round
// (bench/js/timing.mjs), so a busy machine slows them alike; rounds fit ~1.5 s a point
// (at least 3). --quick: ~0.2 s a point.
//   node bench/detect/node.mjs [--json FILE] [--quick]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNova } from '../../js/index.js';
import { interleaved } from '../js/timing.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const jsonPath = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;
const budgetMs = args.includes('--quick') ? 200 : 1500;

// ---------------------------------------------------------------- text (as bench/detect.c)

let rng = 0x853c49e6748fea9bn;
function rnd(n) {
  rng ^= rng >> 12n;
  rng ^= (rng << 25n) & 0xffffffffffffffffn;
  rng ^= rng >> 27n;
  return Number((((rng * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn) >> 33n) % BigInt(n));
}
const onsets = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'y', 'z',
  'br', 'ch', 'cl', 'cr', 'dr', 'fl', 'gr', 'pl', 'pr', 'sh', 'sl', 'sp', 'st', 'th', 'tr', ''];
const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ee', 'oo', 'ou', 'ie'];
const codas = ['', '', '', 'n', 'r', 's', 't', 'l', 'nd', 'ng', 'st', 'ck', 'm'];
function word() {
  for (;;) {
    let w = '';
    const syllables = 1 + rnd(3);
    for (let i = 0; i < syllables; i++) w += onsets[rnd(onsets.length)] + vowels[rnd(vowels.length)] + codas[rnd(codas.length)];
    if (w.length >= 4) return w;
  }
}
const vocabulary = Array.from({ length: 5000 }, word);
const vocabularySet = new Set(vocabulary);
const cumulative = [];
vocabulary.reduce((sum, _w, i) => (cumulative[i] = sum + 1 / (i + 1)), 0);
function zipfWord() {
  const x = (rnd(1 << 30) / (1 << 30)) * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return vocabulary[lo];
}
// A message of exactly `bytes` UTF-8 bytes (ASCII but for 1% of words with an é) that
// mentions, when `keywords` is given, one of them about once per 100 words.
function message(bytes, keywords) {
  const parts = [];
  let n = 0;
  let start = true;
  for (;;) {
    const r = rnd(100);
    let w = keywords?.length && r === 0 ? keywords[rnd(keywords.length)] : zipfWord() + (r === 1 ? 'é' : '');
    if (start) w = w[0].toUpperCase() + w.slice(1);
    start = false;
    const p = rnd(40);
    w += p === 0 ? '.\n' : p < 3 ? '. ' : p < 6 ? ', ' : ' ';
    if (p < 3) start = true;
    const len = Buffer.byteLength(w);
    if (n + len > bytes) break;
    parts.push(w);
    n += len;
  }
  return parts.join('') + ' '.repeat(bytes - n);
}

// ---------------------------------------------------------------- the terms and the peers

const builtins = [];
for (const [tier, file] of [['strong', 'strong.txt'], ['medium', 'medium.txt'], ['weak', 'weak.txt']]) {
  for (const line of readFileSync(join(root, 'src', 'detect_lists', file), 'utf8').split('\n')) {
    const t = line.trim();
    if (t && !t.startsWith('#')) builtins.push({ term: t, tier });
  }
}
const WEIGHT = { strong: 2, medium: 1, weak: 0.5 };
const LIST = 2000; // NOVA_MAX_LIST_ITEMS
const decide = (found) => {
  let score = 0;
  for (const t of found) score += WEIGHT[t.tier];
  return score >= 2;
};
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');

// count custom keywords (not common words): up to one list of medium keywords, beyond it
// spread over partner_names (strong) and the three custom lists.
function setup(count) {
  const custom = [];
  const seen = new Set();
  while (custom.length < count) {
    const w = rnd(10) === 0 ? `${word()} ${word()}` : word();
    if (!vocabularySet.has(w) && !seen.has(w)) custom.push(w), seen.add(w);
  }
  const config = { partner_names: [], custom_keywords: { strong: [], medium: [], weak: [] } };
  const terms = [];
  custom.forEach((term, i) => {
    const list = count <= LIST ? 'medium' : ['partner_names', 'strong', 'medium', 'weak'][i % 4];
    if (list === 'partner_names') config.partner_names.push(term);
    else config.custom_keywords[list].push(term);
    terms.push({ term, tier: list === 'partner_names' ? 'strong' : list });
  });
  terms.push(...builtins);
  const lowered = terms.map((t) => ({ ...t, lower: t.term.toLowerCase() }));
  const byLower = new Map();
  for (const t of lowered) if (!byLower.has(t.lower)) byLower.set(t.lower, t);
  const alternatives = [...byLower.keys()].sort((a, b) => b.length - a.length).map(escape).join('|');
  const unicode = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'giu');
  const ascii = new RegExp(`\\b(?:${alternatives})\\b`, 'gi');
  const regex = (re) => (msg) => {
    const found = new Map();
    for (const m of msg.matchAll(re)) {
      const t = byLower.get(m[0].toLowerCase().replace(/\s+/g, ' '));
      if (t) found.set(t.lower, t);
    }
    return decide(found.values());
  };
  return {
    custom, config,
    includes: (msg) => {
      const lower = msg.toLowerCase();
      return decide(lowered.filter((t) => lower.includes(t.lower)));
    },
    regex: regex(unicode),
    regexAscii: regex(ascii),
  };
}

// ---------------------------------------------------------------- the points

const nova = await loadNova();
const request = (config, msg) => ({ context: { user_id: '11111111-1111-4111-8111-111111111111', detection: config }, message: msg });

function measure(keywords, bytes, headline) {
  const s = setup(keywords);
  const timed = message(bytes, s.custom);
  const plain = message(bytes, null);
  const detector = nova.detector(s.config);
  const ways = {
    detector: (msg) => detector.detect(msg).relationship,
    ...(headline ? {
      detect: (msg) => nova.detect(request(s.config, msg)).relationship,
      detectJSON: (msg) => JSON.parse(nova.detectJSON(JSON.stringify(request(s.config, msg)))).relationship,
    } : {}),
    'includes loop': s.includes,
    regex: s.regex,
    ...(headline ? { 'regex \\b': s.regexAscii } : {}),
  };
  const decisions = Object.fromEntries(Object.entries(ways).map(([w, fn]) => [w, [fn(timed), fn(plain)]]));
  let once = 0; // one call of each, warm: how many rounds fit the budget
  for (const fn of Object.values(ways)) {
    const t0 = performance.now();
    fn(timed);
    once += performance.now() - t0;
  }
  // At least 3 rounds (a regex over 8,000 alternatives takes seconds a call).
  const rounds = Math.max(3, Math.min(400, Math.round(budgetMs / Math.max(once, 1e-3))));
  const results = interleaved(Object.fromEntries(Object.entries(ways).map(([w, fn]) => [w, () => fn(timed)])),
    { rounds, warmup: once > budgetMs ? 1 : Math.min(5, rounds) });
  detector.free();
  const row = { message_bytes: bytes, keywords, builtin_terms: builtins.length, rounds, results, decisions };
  const per = (w) => results[w].p50_us;
  console.log(`${String(bytes).padStart(8)} B ${String(keywords).padStart(5)} kw ` +
    Object.keys(ways).map((w) => `${w} ${per(w).toFixed(1)} µs${w === 'detector' ? '' : ` (${(per(w) / per('detector')).toFixed(1)}x)`}` +
      `${decisions[w][0] === decisions.detector[0] && decisions[w][1] === decisions.detector[1] ? '' : ' [decision differs]'}`).join(', '));
  return row;
}

console.log(`detect in Node ${process.version}: p50 per call; (Nx) = that way's time ÷ the detector's`);
const points = [measure(1000, 65536, true)];
for (const bytes of [1024, 16384, 262144, 1048576]) points.push(measure(1000, bytes, false));
for (const keywords of [0, 10, 100, 8000]) points.push(measure(keywords, 65536, false));

if (jsonPath) {
  writeFileSync(jsonPath, `${JSON.stringify({ benchmark: 'detect-node', runtime: `node ${process.versions.node}`,
    headline: { message_bytes: 65536, keywords: 1000 }, points }, null, 1)}\n`);
}
