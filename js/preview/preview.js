// The preview page: the package's own loader in a browser, a request in, the prompt and
// the layer report out. Also what tests/browser drives.
import { NovaError, loadNova } from '../index.js';

const $ = (id) => document.getElementById(id);

const SAMPLE = {
  context: {
    user_id: '11111111-0000-4000-8000-000000000001',
    user: { name: 'Alex', tone: 'warm and direct', interests: ['climbing', 'cooking'], setup_mode: 'self_written' },
    partnership: { id: '33333333-0000-4000-8000-000000000003', status: 'active', partner_user_id: null },
    reference: { source: 'ai_generated', name: 'Sam', traits: ['thoughtful'], important_truths: ['values honesty'] },
    detection: { partner_names: ['Sam'], custom_keywords: { strong: ['anniversary'] }, relationship_threshold: 2 },
    memories: [{
      id: 'aaaaaaaa-0000-4000-8000-000000001000', category: 'preference', about_user: null,
      content: 'Sam loves ramen on rainy days.', confidence: 0.9, updated_at: '2026-11-01T10:00:00Z',
    }],
    insights: [],
    chat_memory_summary: null,
  },
  message: 'I forgot our anniversary and Sam is upset 😞',
  options: { max_chars: 24000, insights: 'auto', now: '2026-11-25T12:00:00Z' },
};

function showError(e) {
  const box = $('error');
  box.hidden = false;
  box.textContent = e instanceof NovaError
    ? `${e.code}${e.path ? ` at ${e.path}` : ''}: ${e.message}`
    : String(e?.message ?? e);
}

function clear() {
  $('error').hidden = true;
  $('layers').tBodies[0].replaceChildren();
  for (const id of ['budget', 'detection', 'prompt']) $(id).textContent = '';
}

function showDetection(d, message) {
  const el = $('detection');
  el.replaceChildren(`score ${d.score} / threshold ${d.threshold}: relationship ${d.relationship ? 'yes' : 'no'}. `);
  // The JS API gives UTF-16 indices, so slicing the message marks exactly the match.
  for (const m of d.matches) {
    const mark = document.createElement('mark');
    mark.textContent = message.slice(m.start, m.end);
    mark.title = `${m.tier} "${m.term}" [${m.start}, ${m.end})`;
    el.append(mark, ' ');
  }
}

function showResult(r, message) {
  const body = $('layers').tBodies[0];
  for (const l of r.layers) {
    const tr = body.insertRow();
    tr.className = l.included ? 'on' : 'off';
    for (const v of [l.name, l.included ? 'yes' : 'no', l.chars, l.reason]) tr.insertCell().textContent = String(v);
  }
  const dr = r.budget.dropped;
  $('budget').textContent = `budget: ${r.budget.used_chars} of ${r.budget.max_chars} chars; dropped ` +
    `${dr.memories} memories, ${dr.insights} insights, ${dr.reference_items ?? 0} reference items`;
  showDetection(r.detection, message);
  $('prompt').textContent = r.prompt;
}

function parseRequest() {
  return JSON.parse($('request').value);
}

const nova = await loadNova().catch((e) => {
  $('status').textContent = `engine failed to load: ${e.message}`;
  throw e;
});
window.nova = nova; // for the console and tests/browser
$('status').textContent = `engine ${nova.version} ready`;
$('request').value = JSON.stringify(SAMPLE, null, 2);

// Each button parses the request box, runs one engine call and shows its result.
function onRun(id, call, show) {
  $(id).onclick = () => {
    clear();
    try {
      const req = parseRequest();
      show(call(req), req.message);
    } catch (e) {
      showError(e);
    }
  };
}
onRun('assemble', (req) => nova.assemble(req), showResult);
onRun('detect', (req) => nova.detect(req), showDetection);
$('sample').onclick = () => {
  $('request').value = JSON.stringify(SAMPLE, null, 2);
};
for (const id of ['assemble', 'detect', 'sample']) $(id).disabled = false;
document.body.dataset.ready = 'true';
