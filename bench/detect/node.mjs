// Detector in Node, side by side with what a route author would write instead (figures,
// not a test: nothing asserted). One 64 KB message, 1,000 custom keywords (plus the
// built-in lists, which every peer gets too, with their tiers), in one process:
//   nova detector     nova.detector(config) compiled once, detect(message) per message
//   nova detect       nova.detect(request): its cache keeps the compiled detector
//   nova detectJSON   the JSON API, the request's terms built on every call
//   includes loop     message.toLowerCase().includes(keyword) for each keyword
//   regex             one case-insensitive Unicode alternation with word boundaries
//                     (lookarounds on \p{L}\p{N}), compiled once, matchAll per message
//   regex \b          the same with \b (ASCII word boundaries), flags gi
// Each gives a decision (score >= 2, each distinct term once, tier weights 2/1/0.5); the
// decisions are compared on the timed message (keywords mentioned about once per 100
// words) and on one without any keyword (where substring matching finds words inside
// words). Times: median of 15 rounds, each as many calls as fit in ~100 ms.
//   node bench/detect/node.mjs [--json FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNova } from '../../js/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const jsonPath = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;

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

// ---------------------------------------------------------------- the terms

const builtins = [];
for (const [tier, file] of [['strong', 'strong.txt'], ['medium', 'medium.txt'], ['weak', 'weak.txt']]) {
  for (const line of readFileSync(join(root, 'src', 'detect_lists', file), 'utf8').split('\n')) {
    const t = line.trim();
    if (t && !t.startsWith('#')) builtins.push({ term: t, tier });
  }
}
const vocabularySet = new Set(vocabulary);
const custom = [];
while (custom.length < 1000) {
  const w = rnd(10) === 0 ? `${word()} ${word()}` : word();
  if (!vocabularySet.has(w)) custom.push(w); // keywords are not common words
}
const terms = [...custom.map((term) => ({ term, tier: 'medium' })), ...builtins];
const WEIGHT = { strong: 2, medium: 1, weak: 0.5 };

function message(bytes, mentions) {
  let m = '';
  let start = true;
  while (m.length < bytes) {
    let w = mentions && rnd(100) === 0 ? custom[rnd(custom.length)] : zipfWord();
    if (start) w = w[0].toUpperCase() + w.slice(1);
    start = false;
    const r = rnd(40);
    m += w + (r === 0 ? '.\n' : r < 3 ? '. ' : r < 6 ? ', ' : ' ');
    if (r < 3) start = true;
  }
  return m.slice(0, bytes);
}
const withMentions = message(65536, true);
const withoutMentions = message(65536, false);

// ---------------------------------------------------------------- the peers

const decide = (found) => {
  let score = 0;
  for (const t of found) score += WEIGHT[t.tier];
  return score >= 2;
};
const lowered = terms.map((t) => ({ ...t, lower: t.term.toLowerCase() }));
function includesLoop(msg) {
  const lower = msg.toLowerCase();
  return decide(lowered.filter((t) => lower.includes(t.lower)));
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
const byLower = new Map();
for (const t of lowered) if (!byLower.has(t.lower)) byLower.set(t.lower, t);
const alternation = new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...byLower.keys()].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
// The same with \b (ASCII word boundaries: what a quick route would write; it misses
// names next to non-ASCII letters, which this message has few of).
const asciiAlternation = new RegExp(`\\b(?:${[...byLower.keys()].sort((a, b) => b.length - a.length).map(escape).join('|')})\\b`, 'gi');
function regex(msg, re = alternation) {
  const found = new Map();
  for (const m of msg.matchAll(re)) {
    const t = byLower.get(m[0].toLowerCase().replace(/\s+/g, ' '));
    if (t) found.set(t.lower, t);
  }
  return decide(found.values());
}

const nova = await loadNova();
const config = { custom_keywords: { medium: custom } };
const detector = nova.detector(config);
const request = (msg) => ({ context: { user_id: '11111111-1111-4111-8111-111111111111', detection: config }, message: msg });
const text = JSON.stringify(request(withMentions));

const ways = {
  'nova detector': (msg) => detector.detect(msg).relationship,
  'nova detect': (msg) => nova.detect(request(msg)).relationship,
  'nova detectJSON': (msg) => JSON.parse(msg === withMentions ? nova.detectJSON(text) : nova.detectJSON(JSON.stringify(request(msg)))).relationship,
  'includes loop': includesLoop,
  regex,
  'regex \\b': (msg) => regex(msg, asciiAlternation),
};

// ---------------------------------------------------------------- timing

function time(fn, msg) {
  let calls = 1;
  for (;;) { // calls per round: ~100 ms
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn(msg);
    if (performance.now() - t0 > 100 || calls > 1e6) break;
    calls *= 2;
  }
  const rounds = [];
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn(msg);
    rounds.push((performance.now() - t0) / calls);
  }
  rounds.sort((a, b) => a - b);
  return rounds[7];
}

const rows = [];
for (const [name, fn] of Object.entries(ways)) {
  const ms = time(fn, withMentions);
  rows.push({ name, ms, decision: fn(withMentions), decisionWithout: fn(withoutMentions) });
}
const nova0 = rows[0];
console.log(`detect, 64 KB message, ${custom.length} custom keywords + ${builtins.length} built-in, Node ${process.version}`);
console.log(`${'way'.padEnd(16)} ${'per call'.padStart(10)} ${'detector ×'.padStart(11)} ${'decision'.padStart(9)} ${'no-keyword msg'.padStart(15)}`);
for (const r of rows) {
  r.speedup = r.ms / nova0.ms;
  const per = r.ms >= 1 ? `${r.ms.toFixed(2)} ms` : `${(r.ms * 1000).toFixed(0)} µs`;
  console.log(`${r.name.padEnd(16)} ${per.padStart(10)} ${r.speedup.toFixed(1).padStart(11)} ${String(r.decision).padStart(9)} ${String(r.decisionWithout).padStart(15)}`);
}
const same = (name) => rows.find((r) => r.name === name);
for (const peer of ['includes loop', 'regex', 'regex \\b']) {
  console.log(`${peer}: same decision as the detector on the timed message: ${same(peer).decision === nova0.decision}, ` +
    `on the message without keywords: ${same(peer).decisionWithout === nova0.decisionWithout}`);
}
detector.free();

if (jsonPath) {
  writeFileSync(jsonPath, `${JSON.stringify({
    benchmark: 'detect-node', node: process.version, message_bytes: 65536, custom_keywords: custom.length,
    builtin_terms: builtins.length, rows: rows.map((r) => ({
      way: r.name, ms_per_call: Number(r.ms.toFixed(4)), peer_over_detector: Number(r.speedup.toFixed(2)),
      decision: r.decision, decision_without_keywords: r.decisionWithout,
    })),
  }, null, 2)}\n`);
}
