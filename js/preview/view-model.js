// view-model — what the preview page and the CLI's report both show, computed once: the
// prompt cut into its layers, and the message cut into marked and unmarked runs. Pure
// functions, no DOM, no Node.

/** 12,345: sizes as both show them (toLocaleString would load ICU data: slow on a first call). */
export const thousands = (x) => String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * The layers of an assembled prompt, in prompt order: each is the text from its
 * `<nova:NAME>` line to its `</nova:NAME>` line, both included. The engine guarantees no
 * value can start a line with a marker (sanitize: "<nova" becomes "‹nova"), so a line that
 * is exactly a marker is one.
 * @param {string} prompt
 * @returns {{ name: string, text: string }[]}
 */
export function promptLayers(prompt) {
  const layers = [];
  const lines = prompt.split('\n');
  let open = null;
  let body = [];
  for (const line of lines) {
    if (open === null) {
      const m = /^<nova:([a-z_]+)>$/.exec(line);
      if (m) {
        open = m[1];
        body = [line];
      }
    } else {
      body.push(line);
      if (line === `</nova:${open}>`) {
        layers.push({ name: open, text: body.join('\n') });
        open = null;
      }
    }
  }
  return layers;
}

/**
 * The message as runs of text, the detector's matches marked. Overlapping matches ("my
 * partner" and "partner") make one marked run that lists every term in it.
 * @param {string} message
 * @param {{ term: string, tier: string, start: number, end: number }[]} matches
 *   start/end: JS string indices (what nova.assemble()/detect() return)
 * @returns {{ text: string, matches: { term: string, tier: string }[] }[]}
 *   runs in order; matches is empty for unmarked text
 */
export function messageSegments(message, matches) {
  const sorted = [...matches].filter((m) => m.end > m.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const runs = [];
  let at = 0;
  let i = 0;
  while (i < sorted.length) {
    const start = Math.max(sorted[i].start, at);
    let end = sorted[i].end;
    const inRun = [];
    while (i < sorted.length && sorted[i].start < end) {
      end = Math.max(end, sorted[i].end);
      inRun.push({ term: sorted[i].term, tier: sorted[i].tier });
      i++;
    }
    if (start > at) runs.push({ text: message.slice(at, start), matches: [] });
    if (end > start) runs.push({ text: message.slice(start, end), matches: inRun });
    at = Math.max(at, end);
  }
  if (at < message.length || runs.length === 0) runs.push({ text: message.slice(at), matches: [] });
  return runs;
}
