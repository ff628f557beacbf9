// output — what the preview shows of an assemble result: each of the six layers as a
// collapsible section (its size and why it is on or off, its text with the marker lines),
// the budget as a bar, the message with the detector's matches highlighted, and a problem
// box when the current edit is invalid (the last good prompt stays, marked as such).
import { el } from './fields.js';
import { messageSegments, promptLayers, thousands as n } from './view-model.js';

const LAYER_TITLES = {
  core: 'Core', main_user: 'Main user', reference: 'Reference (the partner)', memory: 'Shared memory',
  insight: 'Shared insight', relationship: 'Relationship',
};

export function createOutput() {
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const slots = new Map(); // layer name -> { box, summary parts, body }
  // The core layer is the long fixed text: closed until opened; the others open.
  const opened = new Map([['core', false]]);

  function slot(name) {
    if (slots.has(name)) return slots.get(name);
    const state = el('span', { class: 'state' });
    const size = el('span', { class: 'size' });
    const why = el('span', { class: 'why' });
    const summary = el('summary', {}, el('span', { class: 'name', text: LAYER_TITLES[name] ?? name }), state, size, why);
    const body = el('div', { class: 'layer-body' });
    const box = el('details', { class: 'layer', 'data-layer': name }, summary, body);
    box.open = opened.get(name) ?? true;
    box.addEventListener('toggle', () => opened.set(name, box.open));
    $('layers').append(box);
    const s = { box, state, size, why, body };
    slots.set(name, s);
    return s;
  }

  function renderLayers(result) {
    const texts = new Map(promptLayers(result.prompt).map((l) => [l.name, l.text]));
    for (const layer of result.layers) {
      const s = slot(layer.name);
      s.box.classList.toggle('off', !layer.included);
      s.box.dataset.included = String(layer.included);
      s.state.textContent = layer.included ? 'on' : 'off';
      s.size.textContent = layer.included ? `${n(layer.chars)} chars` : '';
      s.why.textContent = layer.reason;
      const text = texts.get(layer.name);
      if (layer.included && text !== undefined) {
        const pre = s.body.firstElementChild?.tagName === 'PRE' ? s.body.firstElementChild : el('pre', { class: 'layer-text' });
        if (pre.textContent !== text) pre.textContent = text;
        if (s.body.firstElementChild !== pre) s.body.replaceChildren(pre);
      } else {
        s.body.replaceChildren(el('p', { class: 'off-note', text: `Not in the prompt: ${layer.reason}.` }));
      }
    }
  }

  function renderBudget(result) {
    const b = result.budget;
    const share = Math.min(1, b.used_chars / b.max_chars);
    const d = b.dropped;
    const dropped = d.memories + d.insights + d.reference_items + d.memory_summary_lines;
    $('budget-text').textContent = `Budget: ${n(b.used_chars)} of ${n(b.max_chars)} characters used (${(share * 100).toFixed(1)}%)` +
      (dropped ? `; the budget dropped ${d.memories} memories, ${d.insights} insights, ${d.reference_items} partner items and ${d.memory_summary_lines} profile summary lines.` : '.');
    const bar = $('budget-bar');
    const legend = $('budget-legend');
    bar.replaceChildren();
    legend.replaceChildren();
    for (const l of result.layers) {
      if (!l.included || l.chars === 0) continue;
      const seg = el('span', { class: `seg seg-${l.name}` });
      seg.style.width = `${(Math.min(l.chars, b.max_chars) / b.max_chars) * 100}%`;
      bar.append(seg);
      legend.append(el('li', {}, el('span', { class: `swatch seg-${l.name}` }), `${l.name} ${n(l.chars)}`));
    }
  }

  function renderDetection(detection, message) {
    const marked = $('marked');
    marked.replaceChildren(...messageSegments(message, detection.matches).map((r) => {
      if (r.matches.length === 0) return r.text;
      const label = r.matches.map((m) => `${m.term} (${m.tier})`).join(', ');
      return el('mark', { class: `tier-${r.matches[0].tier}`, title: label, text: r.text });
    }));
    if (message === '') marked.textContent = '(no message)';
    const terms = detection.matches.map((m) => `“${m.term}” ${m.tier}`).join(', ');
    $('detection-summary').textContent = `Score ${detection.score} ${detection.relationship ? '≥' : '<'} threshold ${detection.threshold}: ` +
      `relationship layer ${detection.relationship ? 'on' : 'off'}.` + (terms ? ` Matched: ${terms}.` : ' No relationship terms matched.');
  }

  return {
    /** Shows a result of nova.assemble() for the message it was made from. */
    show(result, message) {
      renderLayers(result);
      renderBudget(result);
      renderDetection(result.detection, message);
      $('layers').classList.remove('stale');
      $('copy').disabled = false;
    },
    /**
     * The current edit is invalid: say what and where, keep the last good prompt (marked
     * stale). goTo focuses the field. null clears it.
     * @param {{ text: string, where: string, goTo: () => void } | null} problem
     */
    problem(problem) {
      const box = $('problem');
      box.replaceChildren();
      box.hidden = problem === null;
      $('layers').classList.toggle('stale', problem !== null);
      if (problem === null) return;
      const go = el('button', { type: 'button', class: 'link', text: `Go to ${problem.where}` });
      go.addEventListener('click', problem.goTo);
      const keep = slots.size ? ' The prompt below is the last valid one.' : '';
      box.append(el('p', {}, el('strong', { text: 'This edit is not a valid request: ' }), problem.text + keep), go);
    },
  };
}
