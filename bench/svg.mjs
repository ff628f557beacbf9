// Line plots as SVG, written by hand (no dependency): log or linear axes, a marker per
// point, a legend. plot({ title, x: { label, log }, y: { label, log }, series: [{ label,
// points: [[x, y], ...], dashed? }] }) -> SVG text.
const W = 760, H = 440, L = 78, R = 230, T = 40, B = 56;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function scale(axis, values, from, to) {
  const pos = values.filter((v) => Number.isFinite(v) && (!axis.log || v > 0));
  let lo = Math.min(...pos), hi = Math.max(...pos);
  if (axis.log) {
    lo = 10 ** Math.floor(Math.log10(lo));
    hi = 10 ** Math.ceil(Math.log10(hi));
    const f = (v) => from + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (to - from);
    const ticks = [];
    for (let e = Math.log10(lo); e <= Math.log10(hi) + 1e-9; e++) ticks.push(10 ** e);
    return { f, ticks };
  }
  if (axis.zero !== false) lo = Math.min(0, lo);
  if (hi === lo) hi = lo + 1;
  const step = 10 ** Math.floor(Math.log10((hi - lo) / 4));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= 6) ?? step * 10;
  lo = Math.floor(lo / nice) * nice;
  hi = Math.ceil(hi / nice) * nice;
  const ticks = [];
  for (let v = lo; v <= hi + nice / 2; v += nice) ticks.push(Math.round(v * 1e6) / 1e6);
  return { f: (v) => from + ((v - lo) / (hi - lo)) * (to - from), ticks };
}

const fmt = (v) => (Math.abs(v) >= 1e6 ? `${v / 1e6}M` : Math.abs(v) >= 1e4 ? `${v / 1e3}k` : `${v}`);

export function plot({ title, x, y, series }) {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const sx = scale(x, xs, L, W - R), sy = scale(y, ys, H - B, T);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${(L + W - R) / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`];
  for (const t of sx.ticks) {
    const px = sx.f(t);
    out.push(`<line x1="${px}" y1="${T}" x2="${px}" y2="${H - B}" stroke="#ddd"/>`,
      `<text x="${px}" y="${H - B + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of sy.ticks) {
    const py = sy.f(t);
    out.push(`<line x1="${L}" y1="${py}" x2="${W - R}" y2="${py}" stroke="#ddd"/>`,
      `<text x="${L - 6}" y="${py + 4}" text-anchor="end">${fmt(t)}</text>`);
  }
  out.push(`<rect x="${L}" y="${T}" width="${W - R - L}" height="${H - B - T}" fill="none" stroke="#333"/>`,
    `<text x="${(L + W - R) / 2}" y="${H - 14}" text-anchor="middle">${esc(x.label)}</text>`,
    `<text transform="translate(18 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(y.label)}</text>`);
  series.forEach((s, i) => {
    const c = s.color ?? COLORS[i % COLORS.length];
    const pts = s.points.filter((p) => Number.isFinite(p[1]) && (!y.log || p[1] > 0) && (!x.log || p[0] > 0));
    if (!pts.length) return;
    const d = pts.map((p, k) => `${k ? 'L' : 'M'}${sx.f(p[0]).toFixed(1)},${sy.f(p[1]).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (!s.noMarkers) for (const p of pts) out.push(`<circle cx="${sx.f(p[0]).toFixed(1)}" cy="${sy.f(p[1]).toFixed(1)}" r="3" fill="${c}"/>`);
    const ly = T + 10 + i * 20;
    out.push(`<line x1="${W - R + 14}" y1="${ly}" x2="${W - R + 40}" y2="${ly}" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${W - R + 46}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
