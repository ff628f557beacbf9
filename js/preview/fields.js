// fields — one form control bound to one path of the request: its label, hint and error
// slot, and the conversion between what the control holds and the JSON value. A value the
// control cannot turn into the right type (a confidence of "high") goes to the request as
// typed: the engine then names the error and its path, as it would for any caller.

let nextId = 0;
const idFor = (path) => `f${++nextId}-${path.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-+$/, '')}`;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children);
  return e;
}
export { el };

// What "empty" means for a field: null (text_or_null, lists), '' or absent ('omit').
function emptyValue(def) {
  return def.empty === 'omit' ? undefined : def.empty === undefined ? null : def.empty;
}

const shown = (v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * A field for def = { path, label, kind, hint?, options?, empty?, rows?, placeholder? }
 *   kind: text | block | lines | number | select | json | bool
 *   options (select): [{ value, label }] with JSON values (null allowed)
 * onInput(field) is called on every edit.
 * @returns {{ def, root: HTMLElement, control: HTMLElement, path: string,
 *             set(value: unknown): void, read(): { value?: unknown, error?: string },
 *             showError(message: string | null): void }}
 */
export function makeField(def, onInput) {
  const id = idFor(def.path);
  const errId = `${id}-error`;
  const hintId = def.hint ? `${id}-hint` : null;
  let control;
  const described = [hintId, errId].filter(Boolean).join(' ');
  if (def.kind === 'select') {
    control = el('select', { id, 'aria-describedby': described });
  } else if (def.kind === 'bool') {
    control = el('input', { id, type: 'checkbox', 'aria-describedby': described });
  } else if (def.kind === 'text' || def.kind === 'number') {
    control = el('input', {
      id, type: 'text', 'aria-describedby': described, spellcheck: def.kind === 'number' ? 'false' : null,
      inputmode: def.kind === 'number' ? 'decimal' : null, autocomplete: 'off', placeholder: def.placeholder ?? null,
    });
  } else {
    control = el('textarea', { id, rows: String(def.rows ?? (def.kind === 'json' ? 8 : 3)), 'aria-describedby': described,
      spellcheck: def.kind === 'json' ? 'false' : null, placeholder: def.placeholder ?? null });
  }
  const label = el('label', { for: id, text: def.label });
  const error = el('p', { class: 'field-error', id: errId, hidden: true });
  const root = el('div', { class: `field field-${def.kind}`, 'data-path': def.path });
  if (def.kind === 'bool') root.append(el('div', { class: 'check' }, control, label));
  else root.append(label, control);
  if (hintId) root.append(el('p', { class: 'hint', id: hintId, text: def.hint }));
  root.append(error);

  let options = def.options ?? [];
  function fillOptions(extra) {
    control.replaceChildren(...[...options, ...(extra ? [extra] : [])].map((o, i) => el('option', { value: String(i), text: o.label })));
  }
  if (def.kind === 'select') fillOptions(null);

  const field = {
    def,
    root,
    control,
    path: def.path,
    setOptions(list) {
      options = list;
      fillOptions(null);
    },
    set(value) {
      switch (def.kind) {
        case 'bool':
          control.checked = value !== false;
          break;
        case 'lines':
          control.value = Array.isArray(value) ? value.map(shown).join('\n') : shown(value);
          break;
        case 'json':
          control.value = value === null || value === undefined ? '' : JSON.stringify(value, null, 2);
          break;
        case 'select': {
          const key = JSON.stringify(value ?? null);
          let i = options.findIndex((o) => JSON.stringify(o.value) === key);
          if (i < 0) {
            // A value the form has no option for (an id of someone else, a bad enum):
            // shown as it is, and kept until the user picks another.
            const extra = { value: value ?? null, label: def.otherLabel ? def.otherLabel(value) : `other: ${key}` };
            fillOptions(extra);
            i = options.length;
            control.dataset.extra = key;
          } else if (control.dataset.extra) {
            delete control.dataset.extra;
            fillOptions(null);
          }
          control.value = String(i);
          break;
        }
        default:
          control.value = shown(value);
      }
    },
    read() {
      const raw = control.value;
      switch (def.kind) {
        case 'bool':
          return { value: control.checked };
        case 'lines': {
          const items = raw.split('\n').filter((l) => l.trim() !== '');
          return { value: items.length ? items : emptyValue(def) };
        }
        case 'number': {
          const t = raw.trim();
          if (t === '') return { value: emptyValue(def) };
          return { value: NUMBER.test(t) ? Number(t) : raw };
        }
        case 'json': {
          if (raw.trim() === '') return { value: emptyValue(def) };
          try {
            return { value: JSON.parse(raw) };
          } catch (e) {
            return { error: `not valid JSON: ${/** @type {Error} */ (e).message}` };
          }
        }
        case 'select': {
          const i = Number(control.value);
          const extra = control.dataset.extra;
          if (i === options.length && extra !== undefined) return { value: JSON.parse(extra) };
          return { value: options[i]?.value ?? null };
        }
        default:
          return { value: raw === '' ? emptyValue(def) : raw };
      }
    },
    showError(message) {
      error.hidden = message === null;
      error.textContent = message ?? '';
      if (message === null) control.removeAttribute('aria-invalid');
      else control.setAttribute('aria-invalid', 'true');
      root.classList.toggle('invalid', message !== null);
    },
  };
  control.addEventListener(def.kind === 'select' || def.kind === 'bool' ? 'change' : 'input', () => onInput(field));
  return field;
}
