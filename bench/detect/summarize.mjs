// Turns the detector's raw measurements (bench/detect/run.sh) into bench/results/detect.json:
// tables and plots in the format bench/report.mjs renders (bench/README.md), each figure
// beside its peer from the same run and as a ratio to it, the targets marked met or
// not (never asserted).
//   node bench/detect/summarize.mjs RESULTS_DIR
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { num, ratio, readJson } from '../format.mjs';

const results = process.argv[2] ?? 'bench/results';
const json = (f) => readJson(results, f);
const native = json('raw-detect-native.json')?.rows ?? [];
const instructions = json('raw-detect-callgrind.json') ?? {};
const node = json('raw-detect-node.json');

const times = (a, b) => ratio(a, b, 1);
const bytes = (n) => (n >= 1 << 20 ? `${n / (1 << 20)} MB` : `${n / 1024} KB`);
const mbs = (size, us) => (us ? size / us : null); // bytes per µs = MB/s (10^6 bytes)
const met = (ok) => (ok == null ? 'n/a' : ok ? 'met: yes' : 'met: no');
const yesNo = (b) => (b ? 'true' : 'false');

const tables = [];
const plots = [];

// ---------------------------------------------------------------- Node
if (node) {
  const p50 = (pt, w) => pt.results[w]?.p50_us;
  const same = (pt, w) => pt.decisions[w][0] === pt.decisions.detector[0] && pt.decisions[w][1] === pt.decisions.detector[1];
  const head = node.points.find((p) => p.message_bytes === node.headline.message_bytes && p.keywords === node.headline.keywords && p.results.detectJSON);
  const targets = { 'includes loop': 50, regex: 5 };
  const what = {
    detector: 'nova.detector(config), compiled once; detect(message)',
    detect: 'nova.detect(request) (its cache keeps the compiled detector)',
    detectJSON: 'nova.detectJSON(text): the terms compiled on every call',
    'includes loop': 'message.toLowerCase().includes(keyword) for each term',
    regex: 'one case-insensitive Unicode alternation, \\p{L}\\p{N} lookarounds, compiled once',
    'regex \\b': 'the same with \\b (ASCII word boundaries)',
  };
  if (head) {
    tables.push({
      title: `Detect in Node: ${bytes(head.message_bytes)} message, ${head.keywords.toLocaleString('en-US')} custom keywords (+ ${head.builtin_terms} built-in terms), p50 µs per call`,
      readme: true,
      note: `The Emscripten build through the package, ${node.runtime}; every way interleaved in one loop (${head.rounds} rounds). "× detector" = that way's time ÷ the compiled detector's: how many times faster the detector is. Decision = relationship (score ≥ 2, each term once, tier weights 2/1/0.5) on the timed message (keywords about once per 100 words) / on a message without any keyword; the includes loop finds terms inside other words, so it says true on the second. Targets (issue 14): ≥ 50x the includes loop, ≥ 5x the regex alternation.`,
      columns: ['way', 'p50 µs', 'MB/s', '× detector', 'target', 'decision (timed / no keyword)', 'same decision as the detector'],
      rows: Object.keys(head.results).map((w) => [
        `${w}: ${what[w] ?? w}`, num(p50(head, w)), num(mbs(head.message_bytes, p50(head, w))),
        w === 'detector' ? '1x' : times(p50(head, w), p50(head, 'detector')),
        targets[w] ? `≥ ${targets[w]}x, ${met(p50(head, w) / p50(head, 'detector') >= targets[w])}` : '',
        `${yesNo(head.decisions[w][0])} / ${yesNo(head.decisions[w][1])}`,
        w === 'detector' ? '' : same(head, w) ? 'yes' : head.decisions[w][0] === head.decisions.detector[0] ? 'timed: yes; no-keyword: no' : 'no']),
    });
  }
  const sweep = (pts, label, key) => ({
    columns: [label, 'detector µs', 'detector MB/s', 'regex µs', 'regex ÷ detector', 'includes µs', 'includes ÷ detector', 'same decision: regex / includes (timed, no keyword)'],
    rows: pts.map((pt) => [key(pt), num(p50(pt, 'detector')), num(mbs(pt.message_bytes, p50(pt, 'detector'))),
      num(p50(pt, 'regex')), times(p50(pt, 'regex'), p50(pt, 'detector')),
      num(p50(pt, 'includes loop')), times(p50(pt, 'includes loop'), p50(pt, 'detector')),
      `${same(pt, 'regex') ? 'yes' : 'no'} / ${same(pt, 'includes loop') ? 'yes' : pt.decisions['includes loop'][0] === pt.decisions.detector[0] ? 'timed only' : 'no'}`]),
  });
  const kw = node.headline.keywords;
  const bySize = node.points.filter((p) => p.keywords === kw && !(p.results.detectJSON && p !== head)).sort((a, b) => a.message_bytes - b.message_bytes);
  const byCount = node.points.filter((p) => p.message_bytes === node.headline.message_bytes).sort((a, b) => a.keywords - b.keywords);
  tables.push({ title: `Detect in Node against message size (${kw.toLocaleString('en-US')} custom keywords), p50 µs per call`,
    note: 'Same ways and interleaving as above; "÷ detector" = the peer\'s time ÷ the detector\'s.',
    ...sweep(bySize, 'message', (p) => bytes(p.message_bytes)) });
  tables.push({ title: `Detect in Node against keyword count (${bytes(node.headline.message_bytes)} message), p50 µs per call`,
    note: '8,000 custom keywords is the most a detection config holds (partner_names and the three custom lists, 2,000 each); beyond 2,000 they are spread over the four lists (the peers get the same tiers).',
    ...sweep(byCount, 'custom keywords', (p) => p.keywords.toLocaleString('en-US')) });
  const series = (pts, x, w, label, dashed) => ({ label, dashed, points: pts.map((p) => [x(p), mbs(p.message_bytes, p50(p, w))]) });
  plots.push({ file: 'detect-size.svg', title: `Detect throughput against message size (${kw.toLocaleString('en-US')} keywords)`, readme: true,
    x: { label: 'message bytes', log: true }, y: { label: 'MB/s (10^6 bytes per s)', log: true },
    series: [series(bySize, (p) => p.message_bytes, 'detector', 'Node: compiled detector'),
      series(bySize, (p) => p.message_bytes, 'regex', 'Node: regex alternation'),
      series(bySize, (p) => p.message_bytes, 'includes loop', 'Node: includes loop'),
      ...nativeSeries((r) => r.keywords === kw, (r) => r.message_bytes, `native: compiled set (CPU time)`)] });
  plots.push({ file: 'detect-keywords.svg', title: `Detect throughput against keyword count (${bytes(node.headline.message_bytes)} message)`,
    x: { label: 'custom keywords', log: true }, y: { label: 'MB/s (10^6 bytes per s)', log: true },
    series: [series(byCount, (p) => p.keywords, 'detector', 'Node: compiled detector'),
      series(byCount, (p) => p.keywords, 'regex', 'Node: regex alternation'),
      series(byCount, (p) => p.keywords, 'includes loop', 'Node: includes loop'),
      ...nativeSeries((r) => r.message_bytes === node.headline.message_bytes, (r) => r.keywords, 'native: compiled set (CPU time)')] });
}

function nativeSeries(pick, x, label) {
  const pts = native.filter((r) => r.kind === 'scan' && pick(r)).map((r) => [x(r), r.scan_mb_per_s_cpu_median]);
  return pts.length ? [{ label, dashed: true, points: pts.sort((a, b) => a[0] - b[0]) }] : [];
}

// ---------------------------------------------------------------- native
const scans = native.filter((r) => r.kind === 'scan');
if (scans.length) {
  const counts = [...new Set(scans.map((r) => r.keywords))].sort((a, b) => a - b);
  const sizes = [...new Set(scans.map((r) => r.message_bytes))].sort((a, b) => a - b);
  const at = (k, s) => scans.find((r) => r.keywords === k && r.message_bytes === s);
  const big = sizes[sizes.length - 1];
  const ref = counts.includes(10) ? 10 : counts[0]; // the targets' reference: 10 keywords
  const base = at(ref, big)?.scan_mb_per_s_cpu_median;
  tables.push({
    title: 'Detect, native: the compiled set\'s scan throughput, MB/s (median of 7 rounds, thread CPU time)',
    readme: true,
    note: `What nova_detector_detect does before writing its result (detect_message on a set compiled once, build/bench_detect), custom keywords plus the built-in lists, on generated English-like text with 1% accented words and 1% keyword mentions. MB/s from the thread's CPU time (the shared machine's waits left out); "wall best" = the best round by the clock. Instructions per byte: callgrind over one ${bytes(big)} scan (the same whatever the load). Targets (issue 14): ≥ 1,000 MB/s on 1 MB at 10 keywords, and within 2x of that at 10,000.`,
    columns: ['custom keywords', 'build ms (CPU)', ...sizes.map((s) => bytes(s)), `${bytes(big)} wall best`, `instructions / byte (${bytes(big)})`, `÷ ${ref} keywords (${bytes(big)})`, 'target'],
    rows: counts.map((k) => {
      const r = at(k, big);
      const ins = instructions[String(k)];
      const ratio = base && r ? base / r.scan_mb_per_s_cpu_median : null;
      return [k.toLocaleString('en-US'), num(r?.build_ms, 2), ...sizes.map((s) => num(at(k, s)?.scan_mb_per_s_cpu_median, 0)),
        num(r?.scan_mb_per_s_best, 0), ins ? (ins / big).toFixed(2) : 'n/a', k === ref ? '1x' : ratio ? (ratio >= 1 ? `${ratio.toFixed(2)}x slower` : `${(1 / ratio).toFixed(2)}x faster`) : 'n/a',
        k === ref ? `≥ 1,000 MB/s, ${met(r?.scan_mb_per_s_cpu_median >= 1000)}` : k === counts[counts.length - 1] ? `within 2x, ${met(ratio != null && ratio <= 2)}` : ''];
    }),
  });
}
const calls = native.filter((r) => r.kind === 'call');
if (calls.length) {
  tables.push({
    title: 'Detect, native: one call on a 1 KB message through the public API, µs (CPU time, median of 7 rounds)',
    note: 'nova_detect: the request\'s terms compiled on every call (the JSON API without a detector); nova_detect_with: the same request with a compiled detector (decoding the request still reads its terms, to check they are the detector\'s); nova_detect_cached: the same request through a detector cache (its hits: the request\'s own terms kept compiled, what nova.assemble/detect/assembleContext use); nova_detector_detect: the message alone. Compile = nova_detector_new once.',
    columns: ['custom keywords', 'nova_detect', 'nova_detect_with', 'nova_detect_cached', 'nova_detector_detect', 'nova_detect ÷ nova_detector_detect', 'compile ms'],
    rows: calls.map((r) => [r.keywords.toLocaleString('en-US'), num(r.nova_detect_us), num(r.nova_detect_with_us), num(r.nova_detect_cached_us), num(r.nova_detector_detect_us),
      times(r.nova_detect_us, r.nova_detector_detect_us), num(r.compile_ms, 2)]),
  });
}

writeFileSync(join(results, 'detect.json'), `${JSON.stringify({ order: 20, title: 'Detect', tables, plots }, null, 1)}\n`);
console.error(`bench detect: wrote ${join(results, 'detect.json')} (${tables.length} tables, ${plots.length} plots)`);
