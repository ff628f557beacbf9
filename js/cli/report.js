// report — how the CLI shows an assemble result in a terminal: the message with the
// detector's matches marked, the decision, the layer table, the budget bar and the prompt
// layer by layer. Plain text that reads the same in a log; ANSI colours on a terminal.
import { messageSegments, promptLayers, thousands as n } from '../preview/view-model.js';

/** Terminal styles; identity functions when colour is off. */
export function styles(color) {
  const sgr = (open, close) => (color ? (s) => `\x1b[${open}m${s}\x1b[${close}m` : (s) => s);
  return { bold: sgr(1, 22), dim: sgr(2, 22), mark: sgr('1;33', '22;39'), ok: sgr(32, 39), off: sgr(90, 39), head: sgr('1;36', '22;39'), err: sgr(31, 39) };
}


/** The message with each matched run in [brackets]. */
export function markedMessage(message, matches, st) {
  return messageSegments(message, matches).map((r) => (r.matches.length ? st.mark(`[${r.text}]`) : r.text)).join('');
}

/** Detection: the decision and, per matched term, its tier. */
export function detectionLines(d, st) {
  const decision = d.relationship ? st.ok('ON') : st.off('off');
  const cmp = d.relationship ? '>=' : '<';
  const lines = [`detection: score ${d.score} ${cmp} threshold ${d.threshold} -> relationship layer ${decision}`];
  if (d.matches.length === 0) lines.push('  no relationship terms in the message');
  for (const m of d.matches) lines.push(`  ${st.mark(`"${m.term}"`)} ${m.tier}`);
  return lines;
}

/** One line per layer: on/off, size, why. */
export function layerLines(layers, st) {
  const width = Math.max(...layers.map((l) => l.name.length));
  return layers.map((l) => {
    const state = l.included ? st.ok('on ') : st.off('off');
    return `  ${l.name.padEnd(width)}  ${state}  ${n(l.chars).padStart(6)} chars  ${l.included ? l.reason : st.off(l.reason)}`;
  });
}

/** budget: [#####.........] used / max chars (p%), and what the budget dropped. */
export function budgetLine(b, st, width = 30) {
  const share = Math.min(1, b.used_chars / b.max_chars);
  const filled = Math.round(share * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const d = b.dropped;
  const dropped = d.memories + d.insights + d.reference_items + d.memory_summary_lines;
  const what = dropped ? `; dropped ${d.memories} memories, ${d.insights} insights, ${d.reference_items} reference items, ${d.memory_summary_lines} profile summary lines` : '';
  return `budget: ${bar} ${n(b.used_chars)} of ${n(b.max_chars)} chars (${(share * 100).toFixed(1)}%)${what}`;
}

/**
 * The prompt, layer by layer, each line behind a gutter: "+" marks a line that was not in
 * `previous` (the same user's last prompt), so what the memory update taught stands out.
 * Without `full`, a layer unchanged since `previous` and the core layer (the long fixed
 * text) show their first lines only.
 * @param {string} prompt
 * @param {string | null} previous
 * @param {{ full: boolean, st: ReturnType<typeof styles> }} opts
 */
export function promptLines(prompt, previous, { full, st }) {
  const before = new Set(previous === null ? [] : previous.split('\n'));
  const beforeLayers = new Map(previous === null ? [] : promptLayers(previous).map((l) => [l.name, l.text]));
  const out = [];
  for (const layer of promptLayers(prompt)) {
    const lines = layer.text.split('\n');
    const unchanged = beforeLayers.get(layer.name) === layer.text;
    const short = !full && (layer.name === 'core' || unchanged) && lines.length > 5;
    const keep = short ? 3 : lines.length;
    for (const line of lines.slice(0, keep)) {
      const fresh = previous !== null && !before.has(line);
      out.push(`${fresh ? st.ok('+ |') : st.dim('  |')} ${fresh ? st.ok(line) : line}`);
    }
    if (short) {
      out.push(st.dim(`  | … ${lines.length - keep - 1} more lines${unchanged ? ', unchanged since the last prompt' : ''} (--full prints them) …`));
      out.push(`${st.dim('  |')} ${lines[lines.length - 1]}`);
    }
  }
  return out;
}
