// state — the preview's one piece of state, the assemble request, as plain JSON: reading
// and writing it by the engine's error-path syntax (context.memories[3].confidence), and
// keeping it in the URL's #fragment (deflated, base64url) so a preview can be shared
// without the request ever reaching a server.

/** "context.memories[3].confidence" -> ["context", "memories", 3, "confidence"]. */
export function parsePath(path) {
  const keys = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m;
  while ((m = re.exec(path)) !== null) keys.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return keys;
}

/** The value at path, or undefined when any step is missing. */
export function getPath(obj, path) {
  let v = obj;
  for (const k of parsePath(path)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[k];
  }
  return v;
}

/**
 * Sets the value at path, making the objects and arrays on the way (replacing a null or
 * a non-object there). undefined deletes the member.
 */
export function setPath(obj, path, value) {
  const keys = parsePath(path);
  let v = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    if (v[k] === null || typeof v[k] !== 'object') v[k] = typeof keys[i + 1] === 'number' ? [] : {};
    v = v[k];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) {
    if (Array.isArray(v) && typeof last === 'number') v.splice(last, 1);
    else delete v[last];
  } else v[last] = value;
}

/**
 * Whether `prefix` is `path` or one of its ancestors ("a.b" of "a.b[2]" and "a.b.c", not
 * of "a.bc").
 */
export function pathWithin(path, prefix) {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

// ---------------------------------------------------------------------------------------
// The URL: #r=<base64url of the deflated JSON>; #j=<base64url of the JSON> where the browser
// has no CompressionStream.

const toB64url = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
};
const fromB64url = (text) => {
  const s = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
};

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** The #fragment that holds the request. */
export async function encodeHash(request) {
  const bytes = new TextEncoder().encode(JSON.stringify(request));
  if (typeof CompressionStream === 'function') return `#r=${toB64url(await pipe(bytes, new CompressionStream('deflate-raw')))}`;
  return `#j=${toB64url(bytes)}`;
}

/**
 * The request a #fragment holds; null when it holds none; throws (with a message saying
 * what is wrong) when it holds a broken one.
 */
export async function decodeHash(hash) {
  const m = /^#([rj])=([A-Za-z0-9_-]*)$/.exec(hash);
  if (!m) return null;
  let bytes;
  try {
    bytes = fromB64url(m[2]);
    if (m[1] === 'r') bytes = await pipe(bytes, new DecompressionStream('deflate-raw'));
  } catch {
    throw new Error('the link is cut or damaged (its #fragment does not decode)');
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new Error('the link does not hold a JSON request');
  }
}
