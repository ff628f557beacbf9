// Timing loops of the JS benchmarks (no dependency): the variants of one comparison run
// interleaved, one call each per round, so a busy machine slows them alike and the
// ratios between them stay meaningful.
export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const r = (x) => Math.round(x * 100) / 100;
  return { p50_us: r(percentile(s, 50)), p99_us: r(percentile(s, 99)), mean_us: r(mean), n: s.length };
}

/**
 * variants: { name: () => any }. Runs `warmup` rounds, then `rounds` rounds timing each
 * call (µs). Returns { name: { p50_us, p99_us, mean_us, n } }.
 */
export function interleaved(variants, { rounds, warmup }) {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  let sink = 0;
  for (let r = 0; r < warmup + rounds; r++) {
    for (const n of names) {
      const t0 = performance.now();
      const out = variants[n]();
      const t1 = performance.now();
      if (out) sink++;
      if (r >= warmup) samples[n].push((t1 - t0) * 1000);
    }
  }
  if (sink < 0) console.log(sink);
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n])]));
}
