// Turns the raw measurements of one `make bench` run (bench/run.sh's temp folder) into
// bench/results/assemble.json and startup.json: tables and plots in the format
// bench/report.mjs renders (bench/README.md), each figure beside its peer from the same
// run and as a ratio to it. The raw measurements are kept as bench/results/raw-*.json.
//   node bench/summarize.mjs TMPDIR RESULTS_DIR
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { num, ratio, readJson } from './format.mjs';
import { SIZES, SWEEP } from './sizes.mjs';
import { NOVA_MJS_GZIP_MAX } from '../wasm/budget.mjs';

const [tmp, results] = process.argv.slice(2);
const json = (f) => readJson(tmp, f);
const lines = (f) => (existsSync(`${tmp}/${f}`)
  ? readFileSync(`${tmp}/${f}`, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const byName = (rows) => Object.fromEntries(rows.map((r) => [r.name, r]));

const native = byName(lines('native.jsonl'));
const sweep = byName(lines('sweep.jsonl'));
const instr = json('callgrind.json') ?? {};
const node = json('node.json');
const deno = json('deno.json');
const cold = { node: lines('cold-node.jsonl'), deno: lines('cold-deno.jsonl') };
const sizes = json('sizes.json') ?? [];

const p50 = (rt, size, v) => rt?.sizes?.[size]?.results?.[v]?.p50_us;
const p99 = (rt, size, v) => rt?.sizes?.[size]?.results?.[v]?.p99_us;
const both = (rt, size, v) => (p50(rt, size, v) == null ? 'n/a' : `${num(p50(rt, size, v))} / ${num(p99(rt, size, v))}`);
const median = (a) => {
  const s = a.filter(Number.isFinite).sort((x, y) => x - y);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};
function fit(points) { // least squares y = a + b x, and R²
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p[0], 0) / n, my = points.reduce((s, p) => s + p[1], 0) / n;
  const sxy = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0), sxx = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const b = sxy / sxx, a = my - b * mx;
  const ssr = points.reduce((s, p) => s + (p[1] - a - b * p[0]) ** 2, 0), sst = points.reduce((s, p) => s + (p[1] - my) ** 2, 0);
  return { a, b, r2: 1 - ssr / sst };
}

const summaryRows = SIZES.map((s) => [
  s.label,
  num(native[s.id]?.p50_us),
  num(p50(node, s.id, 'objects')), ratio(p50(node, s.id, 'objects'), p50(node, s.id, 'template')),
  num(p50(node, s.id, 'text')), ratio(p50(node, s.id, 'text'), p50(node, s.id, 'parse_template')),
  num(p50(deno, s.id, 'objects')), ratio(p50(deno, s.id, 'objects'), p50(node, s.id, 'objects')),
  num(p50(node, s.id, 'wasi_text')),
  num(p50(node, s.id, 'template')), num(p50(node, s.id, 'parse_template')),
]);

const runtimeTable = (rt, name) => rt && ({
  title: `${name} (${rt.runtime}): every variant, p50 / p99 µs per call`,
  note: 'objects = nova.assemble(request); text = nova.assembleContext(contextText, input); raw = nova.assembleJSON(requestText); wasi_* = the same through the WASI build; template = the hand-written template assembler on the context object; parse_template = JSON.parse of the RPC text + template. All variants interleaved in one loop (bench/js/timing.mjs).',
  columns: ['request', 'template', 'JSON.parse + template', 'objects', 'objects ÷ template', 'text', 'text ÷ (parse + template)', 'raw', 'WASI objects', 'WASI text'],
  rows: SIZES.map((s) => [s.label, both(rt, s.id, 'template'), both(rt, s.id, 'parse_template'), both(rt, s.id, 'objects'),
    ratio(p50(rt, s.id, 'objects'), p50(rt, s.id, 'template')), both(rt, s.id, 'text'),
    ratio(p50(rt, s.id, 'text'), p50(rt, s.id, 'parse_template')), both(rt, s.id, 'raw'),
    both(rt, s.id, 'wasi_objects'), both(rt, s.id, 'wasi_text')]),
});

const TARGET_US = { S: 15, M: 40, L: 100 };
const nativeTable = {
  title: 'Native nova_assemble (build/bench_assemble), µs per call',
  note: 'p50 / p99 of calls timed one by one; CPU = process CPU time per call (waiting for a core not counted); instructions = callgrind, per call after the first (repeatable whatever the load); first call = the first of a process, which also builds the built-in keyword lists\' automaton (once per process).',
  columns: ['request', 'request bytes', 'p50', 'p99', 'CPU', 'instructions', 'first call', 'target p50', 'met'],
  rows: SIZES.map((s) => {
    const r = native[s.id];
    const t = TARGET_US[s.id];
    return [s.label, r ? r.request_bytes.toLocaleString('en-US') : 'n/a', num(r?.p50_us), num(r?.p99_us), num(r?.cpu_us),
      instr[s.id] ? instr[s.id].toLocaleString('en-US') : 'n/a',
      instr[`first:${s.id}`] ? instr[`first:${s.id}`].toLocaleString('en-US') : 'n/a', t ? `<= ${t}` : '-', t ? (r && r.p50_us <= t ? 'yes' : 'no') : '-'];
  }),
};

const sweepTime = SWEEP.map((m) => [m, sweep[`sweep-${m}`]?.p50_us]).filter((p) => p[1] != null);
const sweepInstr = SWEEP.map((m) => [m, instr[`sweep-${m}`]]).filter((p) => p[1] != null);
const fitTime = fit(sweepTime), fitInstr = fit(sweepInstr);
const sweepTable = {
  title: 'Cost against request size, native (0 to 2,000 memories, 10 insights)',
  note: `Least-squares line: ${fitInstr ? `instructions = ${Math.round(fitInstr.a).toLocaleString('en-US')} + ${Math.round(fitInstr.b).toLocaleString('en-US')} per memory (R² ${fitInstr.r2.toFixed(4)})` : 'n/a'}; ${fitTime ? `time = ${fitTime.a.toFixed(1)} µs + ${fitTime.b.toFixed(3)} µs per memory (R² ${fitTime.r2.toFixed(4)})` : ''}. Above the default max_chars (about 150 memories here) the budget ranks and drops memories, which the line includes.`,
  columns: ['memories', 'request bytes', 'p50 µs', 'instructions'],
  rows: SWEEP.map((m) => [String(m), sweep[`sweep-${m}`]?.request_bytes?.toLocaleString('en-US') ?? 'n/a',
    num(sweep[`sweep-${m}`]?.p50_us), instr[`sweep-${m}`]?.toLocaleString('en-US') ?? 'n/a']),
};

const coldStat = (rt, k) => median(cold[rt].map((r) => r[k]));
const coldTable = {
  title: `Cold start, median of ${Math.max(cold.node.length, cold.deno.length)} fresh processes, ms`,
  note: 'instantiate = `await loadNova()` once the module is imported (the target: <= 10 ms); import = parsing the main entry with its embedded wasm; first call = the first assemble(S) after it; WASI = loadNovaWasi({ bytes }) with the file read.',
  columns: ['runtime', 'instantiate', 'target', 'met', 'import', 'import + instantiate', 'first call', 'WASI instantiate'],
  rows: ['node', 'deno'].filter((rt) => cold[rt].length).map((rt) => {
    const inst = coldStat(rt, 'instantiate_ms');
    return [cold[rt][0].runtime, num(inst, 2), '<= 10', inst <= 10 ? 'yes' : 'no', num(coldStat(rt, 'import_ms'), 2),
      num(median(cold[rt].map((r) => r.import_ms + r.instantiate_ms)), 2), num(coldStat(rt, 'first_call_ms'), 2),
      num(coldStat(rt, 'wasi_instantiate_ms'), 2)];
  }),
};
const sizeTable = {
  title: 'Module sizes (bytes; gzip -9)',
  columns: ['file', 'bytes', 'gzip', 'target', 'met'],
  rows: sizes.map((f) => [f.file, f.bytes.toLocaleString('en-US'), f.gzip.toLocaleString('en-US'),
    f.file.endsWith('nova.mjs') ? `<= ${NOVA_MJS_GZIP_MAX.toLocaleString('en-US')} gzip` : '-', f.file.endsWith('nova.mjs') ? (f.gzip <= NOVA_MJS_GZIP_MAX ? 'yes' : 'no') : '-']),
};

const mjs = sizes.find((f) => f.file.endsWith('nova.mjs'));
const t = (what, measured, target, ok) => [what, measured, target, ok == null ? 'n/a' : ok ? 'yes' : 'no'];
const nm = (v, peer) => (v != null && peer ? v / peer : null);
const pct = (part, whole) => (part != null && whole ? `${Math.round((100 * part) / whole)}%` : 'n/a');
// Why a target is not met, from this run's own figures: where a native call's instructions
// go (cJSON's parse, which stays the parser), how much of the Node objects API is the JS
// side alone (objects - raw: JSON.stringify of the request and JSON.parse of the result),
// how far the wasm engine is from the native one, and the module's margin under its budget.
function whyNotMet() {
  const parts = [];
  const slow = ['S', 'M', 'L'].filter((id) => native[id] && native[id].p50_us > TARGET_US[id]);
  if (slow.length) {
    parts.push(`native ${slow.map((id) => `${id} ${num(native[id].p50_us)} µs (${num((100 * native[id].p50_us) / TARGET_US[id] - 100, 0)}% over): ${instr[id] ? instr[id].toLocaleString('en-US') : 'n/a'} instructions a call, of which cJSON's parse ${pct(instr[`parse:${id}`], instr[id])}`).join('; ')}. cJSON stays the parser (the issue's condition); what is ours is already word-at-a-time (prescan, UTF-8 counting, escaping)`);
  }
  const [obj, raw, tpl] = ['objects', 'raw', 'template'].map((v) => p50(node, 'M', v));
  if (obj != null && tpl && obj / tpl > 4) {
    const engineMax = 4 * tpl - (obj - raw); // the engine's time that would give 4x
    parts.push(`Node M objects ${ratio(obj, tpl)} the template: the JS side alone (objects - raw: ${num(obj - raw)} µs) is ${ratio(obj - raw, tpl)} of it, so 4x needs the engine's call within ${num(Math.max(engineMax, 0))} µs${native.M && engineMax < native.M.p50_us ? `, less than the native call's ${num(native.M.p50_us)} µs` : ''}`);
  }
  const text = p50(node, 'M', 'text'), pt = p50(node, 'M', 'parse_template');
  if (text != null && pt && text / pt > 2) {
    parts.push(`Node M text ${ratio(text, pt)} JSON.parse + template: the engine in wasm (raw ${num(raw)} µs) is ${ratio(raw, native.M?.p50_us)} the native call`);
  }
  if (mjs) parts.push(`dist/nova.mjs is ${(NOVA_MJS_GZIP_MAX - mjs.gzip).toLocaleString('en-US')} B under its ${NOVA_MJS_GZIP_MAX.toLocaleString('en-US')} B gzip budget`);
  parts.push('cold start and the Deno ratios are wall-clock: read them with the load average above');
  return `Where the limits are not met, from this run's figures: ${parts.join('. ')}.`;
}
const targets = {
  title: 'Targets (issue 14), from this run',
  note: whyNotMet(),
  columns: ['target', 'measured', 'limit', 'met'],
  rows: [
    ...['S', 'M', 'L'].map((id) => t(`native ${id} p50`, `${num(native[id]?.p50_us)} µs`, `<= ${TARGET_US[id]} µs`, native[id] ? native[id].p50_us <= TARGET_US[id] : null)),
    t('native cost linear in size (instructions, 0 to 2,000 memories)', fitInstr ? `R² ${fitInstr.r2.toFixed(4)}` : 'n/a', 'R² >= 0.99', fitInstr ? fitInstr.r2 >= 0.99 : null),
    t('Node M, objects API ÷ template assembler', ratio(p50(node, 'M', 'objects'), p50(node, 'M', 'template')), '<= 4x', nm(p50(node, 'M', 'objects'), p50(node, 'M', 'template')) <= 4),
    t('Node M, text path ÷ (JSON.parse + template)', ratio(p50(node, 'M', 'text'), p50(node, 'M', 'parse_template')), '<= 2x', nm(p50(node, 'M', 'text'), p50(node, 'M', 'parse_template')) <= 2),
    t('Deno M objects ÷ Node M objects', ratio(p50(deno, 'M', 'objects'), p50(node, 'M', 'objects')), '<= 1.2x', nm(p50(deno, 'M', 'objects'), p50(node, 'M', 'objects')) <= 1.2),
    t('Deno M text ÷ Node M text', ratio(p50(deno, 'M', 'text'), p50(node, 'M', 'text')), '<= 1.2x', nm(p50(deno, 'M', 'text'), p50(node, 'M', 'text')) <= 1.2),
    ...['node', 'deno'].filter((rt) => cold[rt].length).map((rt) => t(`cold start (loadNova) ${rt}`, `${num(coldStat(rt, 'instantiate_ms'), 2)} ms`, '<= 10 ms', coldStat(rt, 'instantiate_ms') <= 10)),
    t('dist/nova.mjs gzip', mjs ? `${mjs.gzip.toLocaleString('en-US')} B` : 'n/a', `<= ${NOVA_MJS_GZIP_MAX.toLocaleString('en-US')} B`, mjs ? mjs.gzip <= NOVA_MJS_GZIP_MAX : null),
  ],
};

const memOf = Object.fromEntries(SIZES.map((s) => [s.id, s.memories]));
const ids = ['S', 'M', 'L', 'XL'];
const series = (label, get, dashed) => ({ label, dashed, points: ids.map((id) => [memOf[id], get(id)]) });
const assemble = {
  order: 10,
  title: 'Assemble',
  tables: [
    { title: 'Summary: assemble latency p50 µs, each beside its peer from the same run', readme: true,
      note: 'native: C loop; Node/Deno: the Emscripten build through the package (objects = assemble(request), text = assembleContext(RPC text)); WASI: the WASI build in Node; ×: ratio to the peer (template assembler for objects, JSON.parse + template for text, Node for Deno).',
      columns: ['request', 'native', 'Node objects', '× template', 'Node text', '× parse+template', 'Deno objects', '× Node', 'WASI text (Node)', 'template (Node)', 'JSON.parse + template (Node)'],
      rows: summaryRows },
    targets, nativeTable, sweepTable, runtimeTable(node, 'Node'), runtimeTable(deno, 'Deno'),
  ].filter(Boolean),
  plots: [
    { file: 'assemble-latency.svg', readme: true, title: 'Assemble latency p50 (log-log)', x: { label: 'memories in the request', log: true }, y: { label: 'µs per call', log: true },
      series: [series('native', (id) => native[id]?.p50_us), series('Node objects', (id) => p50(node, id, 'objects')),
        series('Node text', (id) => p50(node, id, 'text')), series('Deno objects', (id) => p50(deno, id, 'objects')),
        series('WASI text (Node)', (id) => p50(node, id, 'wasi_text')),
        series('template (Node)', (id) => p50(node, id, 'template'), true), series('JSON.parse + template', (id) => p50(node, id, 'parse_template'), true)] },
    { file: 'assemble-linear.svg', title: 'Native cost against request size', x: { label: 'memories in the request', log: false }, y: { label: 'instructions per call (callgrind)', log: false },
      series: [{ label: 'instructions', points: sweepInstr },
        ...(fitInstr ? [{ label: `fit (R² ${fitInstr.r2.toFixed(3)})`, dashed: true, noMarkers: true, points: [[0, fitInstr.a], [2000, fitInstr.a + 2000 * fitInstr.b]] }] : [])] },
    { file: 'assemble-linear-time.svg', title: 'Native time against request size', x: { label: 'memories in the request', log: false }, y: { label: 'µs per call (p50)', log: false },
      series: [{ label: 'p50 µs', points: sweepTime },
        ...(fitTime ? [{ label: `fit (R² ${fitTime.r2.toFixed(3)})`, dashed: true, noMarkers: true, points: [[0, fitTime.a], [2000, fitTime.a + 2000 * fitTime.b]] }] : [])] },
  ],
};
const startup = { order: 30, title: 'Cold start and module sizes', tables: [coldTable, sizeTable], plots: [] };

writeFileSync(`${results}/assemble.json`, `${JSON.stringify(assemble, null, 1)}\n`);
writeFileSync(`${results}/startup.json`, `${JSON.stringify(startup, null, 1)}\n`);
const raw = { native: { sizes: native, sweep, instructions: instr }, node, deno, cold, sizes };
for (const [k, v] of Object.entries(raw)) if (v) writeFileSync(`${results}/raw-${k}.json`, `${JSON.stringify(v, null, 1)}\n`);
