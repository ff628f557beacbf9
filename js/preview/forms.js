// forms — the request as forms: the message, the user's profile, the partner (AI-built or
// linked account), memories, insights, detection settings, the chat summary and options,
// and the raw JSON, all bound to paths of one request object. The forms never hold state of
// their own: fill() writes the request into them, an edit writes one path back.
import { DEFAULT_MAX_CHARS, DEFAULT_THRESHOLD, INSIGHT_CATEGORIES, MEMORY_CATEGORIES } from '../rules.js';
import { el, makeField } from './fields.js';
import { getPath, pathWithin, setPath } from './state.js';

const enumOptions = (values) => values.map((v) => ({ value: v, label: v.replaceAll('_', ' ') }));
// Long lists are shown in pages, so a 500-memory request stays quick to edit.
const LIST_PAGE = 50;

const USER_FIELDS = [
  { path: 'context.user.name', label: 'Name', kind: 'text', empty: '' },
  { path: 'context.user.tone', label: 'Preferred tone', kind: 'text' },
  { path: 'context.user.interests', label: 'Interests', kind: 'lines', hint: 'One per line.' },
  { path: 'context.user.emotional_patterns', label: 'Emotional patterns', kind: 'block' },
  { path: 'context.user.communication_style', label: 'Communication style', kind: 'text' },
  { path: 'context.user.setup_mode', label: 'How the profile was set up', kind: 'select',
    options: [{ value: 'pending', label: 'pending (not filled in)' }, { value: 'self_written', label: 'written by the user' },
      { value: 'quiz_generated', label: 'from the onboarding quiz' }, { value: null, label: 'not given' }] },
  { path: 'context.user.memory_summary', label: 'Memory summary (a JSON object)', kind: 'json', rows: 5,
    hint: 'What the AI keeps about the user; shown as key: value lines.' },
];
const FALLBACK_FIELD = { path: 'context.fallback_name', label: 'Name from sign-up (used when there is no profile row)', kind: 'text' };

const PARTNER_COMMON = [{ path: 'context.reference.name', label: 'Partner\'s name', kind: 'text', empty: '' }];
const PARTNER_AI = [
  { path: 'context.reference.traits', label: 'Traits', kind: 'lines', hint: 'One per line.' },
  { path: 'context.reference.relational_tendencies', label: 'Relational tendencies', kind: 'lines', hint: 'One per line.' },
  { path: 'context.reference.important_truths', label: 'Important truths', kind: 'lines', hint: 'One per line.' },
  { path: 'context.reference.ai_notes', label: 'AI notes', kind: 'block' },
];
const PARTNER_ACCOUNT = [
  { path: 'context.reference.tone', label: 'Preferred tone', kind: 'text' },
  { path: 'context.reference.interests', label: 'Interests', kind: 'lines', hint: 'One per line.' },
  { path: 'context.reference.emotional_patterns', label: 'Emotional patterns', kind: 'block' },
  { path: 'context.reference.communication_style', label: 'Communication style', kind: 'text' },
  { path: 'context.reference.memory_summary', label: 'Their memory summary (JSON; never shown to this user)', kind: 'json', rows: 4,
    hint: 'It summarizes the partner\'s own chats, so the prompt leaves it out.' },
];
const PARTNER_SOURCES = [
  { value: null, label: 'no partner profile' },
  { value: 'ai_generated', label: 'AI-built profile (the partner has no account)' },
  { value: 'partner_account', label: 'linked account (the partner\'s own profile)' },
];

const DETECTION_FIELDS = [
  { path: 'context.detection.partner_names', label: 'Partner names and nicknames', kind: 'lines', hint: 'One per line; strong terms. The partner\'s name counts anyway.' },
  { path: 'context.detection.custom_keywords.strong', label: 'Strong keywords', kind: 'lines', hint: 'One per line; 2 points each.' },
  { path: 'context.detection.custom_keywords.medium', label: 'Medium keywords', kind: 'lines', hint: 'One per line; 1 point each.' },
  { path: 'context.detection.custom_keywords.weak', label: 'Weak keywords', kind: 'lines', hint: 'One per line; half a point each.' },
  { path: 'context.detection.relationship_threshold', label: 'Relationship threshold', kind: 'number', hint: `Score that switches the relationship layer on; empty: ${DEFAULT_THRESHOLD}.` },
];
const OPTION_FIELDS = [
  { path: 'context.chat_memory_summary', label: 'This chat\'s memory summary', kind: 'block' },
  { path: 'options.max_chars', label: 'Budget (max_chars)', kind: 'number', empty: 'omit', hint: `Characters for the whole prompt; empty: ${DEFAULT_MAX_CHARS.toLocaleString('en-US')}.` },
  { path: 'options.insights', label: 'Insight layer', kind: 'select',
    options: [{ value: 'auto', label: 'auto (with the relationship layer)' }, { value: 'always', label: 'always' }, { value: 'never', label: 'never' }] },
  { path: 'options.now', label: 'Now (for memory ages)', kind: 'text', empty: 'omit', placeholder: '2026-11-25T12:00:00Z', hint: 'ISO-8601; empty: ages are not used.' },
];

const newId = () => (crypto.randomUUID ? crypto.randomUUID() : '00000000-0000-4000-8000-000000000000'.replace(/0/g, () => Math.floor(Math.random() * 16).toString(16)));

/**
 * Builds every form into the page.
 * @param {{ getRequest(): any, changed(path: string | null): void, localError(field, message: string | null): void }} host
 *   changed(path): the request was edited (null: replaced by the raw JSON)
 */
export function createForms(host) {
  /** @type {Map<string, ReturnType<typeof makeField>>} every field by path */
  const fields = new Map();
  /** error targets that are not fields: a list item, a group */
  const targets = new Map();
  const stash = {}; // what a toggle took out of the request, to give it back

  function onInput(field) {
    const r = field.read();
    if (r.error !== undefined) {
      host.localError(field, r.error);
      return;
    }
    host.localError(field, null);
    setPath(host.getRequest(), field.path, r.value);
    host.changed(field.path);
  }
  function add(def, parent) {
    const f = makeField(def, onInput);
    fields.set(def.path, f);
    parent.append(f.root);
    return f;
  }
  function dropFields(prefix) {
    for (const p of [...fields.keys()]) if (pathWithin(p, prefix)) fields.delete(p);
    for (const p of [...targets.keys()]) if (pathWithin(p, prefix)) targets.delete(p);
  }
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

  // --- message and raw JSON
  add({ path: 'message', label: 'The user\'s message', kind: 'block', empty: '', rows: 3 }, $('message-field'));
  const json = makeField({ path: '', label: 'Request JSON', kind: 'json', rows: 16,
    hint: 'The whole assemble request (schema/nova-contract.schema.json); edits here update the forms.' }, () => {
    const r = json.read();
    if (r.error !== undefined) {
      host.localError(json, r.error);
      return;
    }
    host.localError(json, null);
    host.changed(null, r.value);
  });
  json.control.id = 'request';
  json.root.querySelector('label').setAttribute('for', 'request');
  $('json-field').append(json.root);

  // --- user
  const userBox = $('user-fields');
  const hasUser = makeField({ path: 'context.user', label: 'The user has a profile row', kind: 'bool' }, () => {
    const req = host.getRequest();
    if (hasUser.control.checked) {
      req.context.user = stash.user ?? { name: req.context.fallback_name || 'Alex', setup_mode: 'pending' };
    } else {
      stash.user = req.context.user;
      req.context.user = null;
    }
    fillUser();
    host.changed('context.user');
  });
  userBox.append(hasUser.root);
  targets.set('context.user', hasUser);
  const userFields = el('div', { class: 'subfields' });
  userBox.append(userFields);
  for (const d of USER_FIELDS) add(d, userFields);
  add(FALLBACK_FIELD, userBox);
  function fillUser() {
    const user = getPath(host.getRequest(), 'context.user');
    hasUser.control.checked = user !== null && user !== undefined;
    userFields.hidden = !hasUser.control.checked;
  }

  // --- partner
  const partnerBox = $('partner-fields');
  const source = makeField({ path: 'context.reference', label: 'Partner profile', kind: 'select', options: PARTNER_SOURCES }, () => {
    const req = host.getRequest();
    const ctx = req.context;
    const want = source.read().value;
    const had = ctx.reference ?? null;
    if (had) stash[had.source] = had;
    if (want === null) ctx.reference = null;
    else {
      const name = had?.name ?? 'Sam';
      ctx.reference = stash[want] ?? (want === 'ai_generated'
        ? { source: want, user_id: null, name, traits: null, relational_tendencies: null, important_truths: null, ai_notes: null }
        : { source: want, user_id: ctx.partnership?.partner_user_id ?? newId(), name });
    }
    fillPartner();
    host.changed('context.reference');
  });
  partnerBox.append(source.root);
  targets.set('context.reference', source);
  const partnerFields = el('div', { class: 'subfields' });
  partnerBox.append(partnerFields);
  let partnerShape = undefined;
  function fillPartner() {
    const ref = getPath(host.getRequest(), 'context.reference');
    const kind = ref && typeof ref === 'object' ? ref.source : null;
    source.set(kind ?? null);
    if (kind !== partnerShape) {
      dropFields('context.reference.');
      partnerFields.replaceChildren();
      const defs = kind === 'ai_generated' ? [...PARTNER_COMMON, ...PARTNER_AI]
        : kind === 'partner_account' ? [...PARTNER_COMMON, ...PARTNER_ACCOUNT] : kind ? PARTNER_COMMON : [];
      for (const d of defs) add(d, partnerFields);
      partnerShape = kind;
    }
    for (const [p, f] of fields) if (p.startsWith('context.reference.')) f.set(getPath(host.getRequest(), p));
  }

  // --- memories and insights: one fieldset per item
  function aboutOptions(req) {
    const ctx = req.context ?? {};
    const partnerId = ctx.reference?.user_id ?? ctx.partnership?.partner_user_id ?? null;
    const opts = [{ value: null, label: 'the relationship' }];
    if (typeof ctx.user_id === 'string') opts.push({ value: ctx.user_id, label: 'the user' });
    if (typeof partnerId === 'string' && partnerId !== ctx.user_id) opts.push({ value: partnerId, label: 'the partner' });
    return opts;
  }
  function listEditor({ key, noun, categories, itemFields, fresh }) {
    const list = $(`${key}-list`);
    const count = $(`${key}-count`);
    let showAll = false;
    function fill() {
      const req = host.getRequest();
      const items = getPath(req, `context.${key}`);
      dropFields(`context.${key}`);
      list.replaceChildren();
      const arr = Array.isArray(items) ? items : [];
      count.textContent = `(${arr.length})`;
      const about = aboutOptions(req);
      const limit = showAll ? arr.length : Math.min(arr.length, LIST_PAGE);
      for (let i = 0; i < limit; i++) {
        const base = `context.${key}[${i}]`;
        const box = el('fieldset', { class: 'item', 'data-path': base });
        box.append(el('legend', { text: `${noun} ${i + 1}` }));
        const err = el('p', { class: 'field-error', hidden: true });
        targets.set(base, {
          root: box,
          control: box,
          showError(message) {
            err.hidden = message === null;
            err.textContent = message ?? '';
            box.classList.toggle('invalid', message !== null);
          },
        });
        add({ path: `${base}.category`, label: 'Category', kind: 'select', options: enumOptions(categories) }, box);
        add({ path: `${base}.about_user`, label: 'About', kind: 'select', options: about, otherLabel: (v) => `someone else (${String(v).slice(0, 8)}…)` }, box);
        for (const d of itemFields) add({ ...d, path: `${base}.${d.path}` }, box);
        const remove = el('button', { type: 'button', class: 'remove', text: `Remove ${noun.toLowerCase()} ${i + 1}` });
        remove.addEventListener('click', () => {
          getPath(host.getRequest(), `context.${key}`).splice(i, 1);
          fill();
          host.changed(`context.${key}`);
          $(`add-${noun.toLowerCase()}`).focus();
        });
        box.append(err, remove);
        list.append(box);
        for (const p of [...fields.keys()]) if (p.startsWith(`${base}.`)) fields.get(p).set(getPath(req, p));
      }
      if (limit < arr.length) {
        const more = el('button', { type: 'button', text: `Show all ${arr.length} ${key}` });
        more.addEventListener('click', () => {
          showAll = true;
          fill();
        });
        list.append(more);
      }
    }
    $(`add-${noun.toLowerCase()}`).addEventListener('click', () => {
      const req = host.getRequest();
      if (!Array.isArray(req.context[key])) req.context[key] = [];
      req.context[key].push(fresh(req));
      showAll = true;
      fill();
      host.changed(`context.${key}`);
      const added = list.querySelectorAll('fieldset.item');
      added[added.length - 1]?.querySelector('textarea')?.focus();
    });
    return fill;
  }
  const now = (req) => req.options?.now ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const fillMemories = listEditor({
    key: 'memories', noun: 'Memory', categories: MEMORY_CATEGORIES,
    itemFields: [
      { path: 'content', label: 'What Nova remembers', kind: 'block', empty: '', rows: 2 },
      { path: 'confidence', label: 'Confidence (0 to 1)', kind: 'number', empty: 'omit' },
      { path: 'updated_at', label: 'Updated at', kind: 'text', empty: 'omit' },
      { path: 'is_active', label: 'Active', kind: 'bool' },
    ],
    // A new item's category is one of the contract's (js/rules.js): the memories' catch-all
    // last one, the insights' second.
    fresh: (req) => ({ id: newId(), category: MEMORY_CATEGORIES.at(-1), about_user: null, content: 'Something Nova learned.', confidence: 1, updated_at: now(req) }),
  });
  const fillInsights = listEditor({
    key: 'insights', noun: 'Insight', categories: INSIGHT_CATEGORIES,
    itemFields: [
      { path: 'title', label: 'Title', kind: 'text', empty: '' },
      { path: 'content', label: 'Insight', kind: 'block', empty: '', rows: 2 },
      { path: 'updated_at', label: 'Updated at', kind: 'text', empty: 'omit' },
      { path: 'is_active', label: 'Active', kind: 'bool' },
    ],
    fresh: (req) => ({ id: newId(), category: INSIGHT_CATEGORIES[1], about_user: null, title: 'A new insight', content: 'Something Nova noticed.', updated_at: now(req) }),
  });

  // --- detection, options
  for (const d of DETECTION_FIELDS) add(d, $('detection-fields'));
  for (const d of OPTION_FIELDS) add(d, $('options-fields'));
  targets.set('context.detection', { root: $('group-detection'), control: $('group-detection').querySelector('summary'), showError() {} });

  return {
    json,
    /** Writes the whole request into the forms (not into the raw JSON while it is being edited). */
    fill({ json: alsoJson = true } = {}) {
      const req = host.getRequest();
      fillUser();
      fillPartner();
      fillMemories();
      fillInsights();
      for (const [p, f] of fields) {
        if (p.startsWith('context.reference.') || /^context\.(memories|insights)\[/.test(p)) continue;
        f.set(getPath(req, p));
      }
      if (alsoJson) json.set(req);
    },
    /** The raw JSON view after a form edit. */
    syncJson() {
      json.set(host.getRequest());
    },
    /**
     * The field (or list item, or group) an engine error path points at: the deepest one
     * whose path contains it; the raw JSON when none does.
     */
    targetFor(path) {
      let best = null;
      let bestLen = -1;
      for (const map of [fields, targets]) {
        for (const [p, f] of map) {
          if (p.length > bestLen && pathWithin(path, p)) {
            best = f;
            bestLen = p.length;
          }
        }
      }
      return best ?? json;
    },
  };
}
