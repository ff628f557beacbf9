// The preview page: the package's own loader in a browser. One request object is the state;
// the forms and the raw JSON edit it, every edit assembles the prompt again (the engine is
// fast enough to run per keystroke), and the request is kept in the URL's #fragment.
// Also what tests/browser drives (window.preview).
import { engineMessage } from '../engine.js';
import { NovaError, loadNova } from '../index.js';
import examples from '../../dist/preview-examples.js';
import { createForms } from './forms.js';
import { createOutput } from './output.js';
import { decodeHash, encodeHash } from './state.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const status = (text) => {
  $('status').textContent = text;
};

let nova;
let request;
let lastGood = null;
const localErrors = new Map(); // field -> message: edits that are not even JSON
let engineTarget = null; // the field showing the engine's error

const output = createOutput();
const forms = createForms({
  getRequest: () => request,
  changed(path, replacement) {
    if (path === null) {
      request = replacement;
      forms.fill({ json: false });
    } else {
      // The raw JSON view is rewritten from the request: an unfinished edit there is gone.
      forms.syncJson();
      localErrors.delete(forms.json);
      forms.json.showError(null);
    }
    run();
  },
  localError(field, message) {
    if (message === null) localErrors.delete(field);
    else localErrors.set(field, message);
    field.showError(message);
    if (message !== null) run();
  },
});

// Opens the collapsed groups around a field and moves the focus to it.
function reveal(target) {
  for (let e = target.root; e; e = e.parentElement) if (e.tagName === 'DETAILS') e.open = true;
}
function goTo(target) {
  reveal(target);
  target.control.focus();
}
const where = (target) => (target.def?.label ? `“${target.def.label}”` : 'the field');

function run() {
  if (engineTarget) {
    engineTarget.showError(null);
    engineTarget = null;
  }
  const [local] = localErrors;
  if (local) {
    const [field, message] = local;
    output.problem({ text: `${where(field)}: ${message}.`, where: where(field), goTo: () => goTo(field) });
    saveUrlSoon();
    return;
  }
  try {
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      throw new NovaError('wrong_type', 'the request must be a JSON object', '');
    }
    lastGood = nova.assemble(request);
    output.show(lastGood, String(request.message));
    output.problem(null);
  } catch (e) {
    if (!(e instanceof NovaError)) throw e;
    const target = forms.targetFor(e.path);
    const text = engineMessage(e); // NovaError: "PATH: message"
    target.showError(`${e.code}: ${text}`);
    engineTarget = target;
    reveal(target);
    output.problem({ text: `${e.code}: ${text} (at ${e.path || 'the request'}).`, where: where(target), goTo: () => goTo(target) });
  }
  saveUrlSoon();
}

// --- the URL: written a moment after the last edit (compression is asynchronous)
let saveTimer = null;
let saving = Promise.resolve();
function saveUrlSoon() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    const snapshot = JSON.parse(JSON.stringify(request));
    saving = encodeHash(snapshot).then((hash) => {
      if (hash !== location.hash) history.replaceState(null, '', hash);
    });
  }, 200);
}

async function fromUrl() {
  try {
    return await decodeHash(location.hash);
  } catch (e) {
    status(`This link's request could not be read (${/** @type {Error} */ (e).message}); showing an example instead.`);
    return null;
  }
}

function load(req) {
  request = structuredClone(req);
  localErrors.clear();
  for (const f of document.querySelectorAll('.field.invalid, fieldset.invalid')) f.classList.remove('invalid');
  forms.fill();
  run();
}

// --- copy
async function copyPrompt() {
  if (!lastGood) return;
  const text = lastGood.prompt;
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.append(area);
    area.select();
    ok = document.execCommand('copy');
    area.remove();
  }
  $('copy-status').textContent = ok ? `Copied the prompt (${text.length} characters).` : 'Copying failed: select the layers\' text instead.';
}

try {
  nova = await loadNova();
} catch (e) {
  status(`The engine failed to load: ${/** @type {Error} */ (e).message}`);
  throw e;
}
const select = /** @type {HTMLSelectElement} */ ($('example'));
select.replaceChildren(...examples.map((ex, i) => Object.assign(document.createElement('option'), { value: String(i), textContent: ex.title })));
$('load-example').addEventListener('click', () => load(examples[Number(select.value)].request));
$('copy').addEventListener('click', copyPrompt);
window.addEventListener('hashchange', async () => {
  const req = await fromUrl();
  if (req !== null && JSON.stringify(req) !== JSON.stringify(request)) load(req);
});

const shared = await fromUrl();
if (shared === null && !$('status').textContent.startsWith('This link')) status(`Engine ${nova.version} ready.`);
else if (shared !== null) status(`Engine ${nova.version} ready; showing the request from this link.`);
load(shared ?? examples[0].request);

window.nova = nova; // for the console and tests/browser
window.preview = {
  get request() {
    return request;
  },
  get result() {
    return lastGood;
  },
  /** Resolves once the URL holds the current request. */
  async urlSaved() {
    clearTimeout(saveTimer);
    saving = encodeHash(JSON.parse(JSON.stringify(request))).then((hash) => {
      if (hash !== location.hash) history.replaceState(null, '', hash);
    });
    await saving;
  },
};
document.body.dataset.ready = 'true';
