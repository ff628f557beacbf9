// Renders bench/results/*.json into bench/RESULTS.md and the SVG plots, and refreshes the
// summary in README.md (between <!-- bench:summary --> and <!-- /bench:summary -->).
//   node bench/report.mjs [RESULTS_DIR]        (bench/run.sh runs it last)
// A results file is { order, title, tables: [{ title, note?, columns, rows, readme? }],
// plots: [{ file, title, x: { label, log }, y: { label, log }, series: [{ label, points:
// [[x, y]...], dashed? }], readme? }] } — the one format every benchmark writes
// (bench/README.md); raw-*.json (measurements) and meta.json (the machine) are not
// rendered as sections.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plot } from './svg.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const results = resolve(process.argv[2] ?? join(here, 'results'));
const load = (f) => JSON.parse(readFileSync(join(results, f), 'utf8'));
const meta = load('meta.json');
const sections = readdirSync(results).filter((f) => f.endsWith('.json') && !f.startsWith('raw-') && f !== 'meta.json')
  .map((f) => ({ file: f, ...load(f) })).filter((s) => Array.isArray(s.tables)).sort((a, b) => (a.order ?? 50) - (b.order ?? 50));

const cell = (v) => String(v).replace(/\|/g, '\\|');
const table = (t) => [`**${t.title}**`, '', ...(t.note ? [t.note, ''] : []),
  `| ${t.columns.map(cell).join(' | ')} |`, `|${t.columns.map((_, i) => (i ? '---:' : '---')).join('|')}|`,
  ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`), ''].join('\n');
const image = (p, from) => `![${p.title}](${relative(from, join(results, p.file))})\n`;

for (const s of sections) for (const p of s.plots ?? []) writeFileSync(join(results, p.file), plot(p));

const m = meta.machine;
const head = [
  '# Benchmarks: measured figures',
  '',
  `Written by \`${meta.command}\` (bench/run.sh, then bench/report.mjs) on ${meta.date}, commit ${meta.commit}${meta.dirty ? ' (with uncommitted changes)' : ''}. Figures, not tests: nothing here is asserted anywhere. Each JS figure stands beside its peer from the same run (interleaved in one loop), and the ratio to it is given.`,
  '',
  `Machine: ${m.cpu}, ${m.cores} cores, ${m.memory}, ${m.os}. Load average ${meta.load_before} before and ${meta.load_after} after the run${meta.loaded ? ': **the machine was loaded** (other builds and tests ran), so wall-clock figures are noisy (p99 most of all); the ratios of interleaved variants and the callgrind instruction counts are the steady part' : ''}.`,
  '',
  `Versions: ${Object.entries(meta.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  '',
].join('\n');
const body = sections.map((s) => [`## ${s.title}`, '', ...(s.tables ?? []).map(table), ...(s.plots ?? []).map((p) => image(p, here))].join('\n'));
writeFileSync(join(here, 'RESULTS.md'), `${head}\n${body.join('\n')}`);

// README: the summary table(s) and plot(s) marked readme: true.
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- bench:summary -->', end = '<!-- /bench:summary -->';
const i = readme.indexOf(start), j = readme.indexOf(end);
if (i >= 0 && j > i) {
  const parts = sections.flatMap((s) => [...(s.tables ?? []).filter((t) => t.readme).map(table),
    ...(s.plots ?? []).filter((p) => p.readme).map((p) => image(p, root))]);
  const text = [`${start}`, `From \`${meta.command}\` on ${meta.date} (${meta.loaded ? 'a loaded machine: wall-clock figures are noisy' : 'a quiet machine'}); all figures, machine and versions: [bench/RESULTS.md](bench/RESULTS.md).`, '', ...parts, end].join('\n');
  writeFileSync(readmePath, readme.slice(0, i) + text + readme.slice(j + end.length));
}
