// serve — `nova-layers preview`: a static file server for the preview page on 127.0.0.1.
// It serves the package's js/ and dist/ folders only (the page, the engine's loader, the
// wasm build and the examples), with a Content-Security-Policy that lets the page load
// nothing from anywhere else and send nothing anywhere: the request never leaves it.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { PACKAGE_ROOT } from './database.js';
import { CliError } from './errors.js';

export const PREVIEW_PATH = '/js/preview/';
const DEFAULT_PORT = 8787;
const SERVED = ['js', 'dist'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png' };
// The same policy the page declares in its <meta>; 'wasm-unsafe-eval' lets it compile the engine.
export const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The file under the package root that a URL path names, or null (outside js/ and dist/). */
export function servedFile(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const rel = normalize(path).replace(/^[/\\]+/, '');
  if (!SERVED.some((d) => rel === d || rel.startsWith(d + sep))) return null;
  const file = join(PACKAGE_ROOT, rel);
  if (!file.startsWith(PACKAGE_ROOT)) return null;
  return file;
}

function handler(req, res) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (url.pathname === '/' || url.pathname === '/js/preview') {
    res.writeHead(302, { location: PREVIEW_PATH }).end();
    return;
  }
  let file = servedFile(url.pathname);
  if (file && url.pathname.endsWith('/')) file = join(file, 'index.html');
  let size = -1;
  try {
    const s = file ? statSync(file) : null;
    if (s?.isFile()) size = s.size;
  } catch {
    size = -1;
  }
  if (!file || size < 0) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    const onError = (e) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address().port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

/**
 * Starts the server and prints the page's URL. port null: 8787, or the next free one.
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function servePreview({ port, print }) {
  if (statSafe(join(PACKAGE_ROOT, 'dist/nova.mjs')) === null) {
    throw new CliError('the engine build dist/nova.mjs is missing', { hint: 'build it in the checkout: make wasm' });
  }
  const server = createServer(handler);
  let bound = null;
  const tries = port === null ? Array.from({ length: 20 }, (_, i) => DEFAULT_PORT + i) : [port];
  for (const p of tries) {
    try {
      bound = await listen(server, p);
      break;
    } catch (e) {
      if (/** @type {any} */ (e).code !== 'EADDRINUSE' || p === tries[tries.length - 1]) {
        throw new CliError(`cannot listen on 127.0.0.1:${p}: ${/** @type {any} */ (e).message}`, { hint: 'pick another with --port N (0: any free port)' });
      }
    }
  }
  const url = `http://127.0.0.1:${bound}${PREVIEW_PATH}`;
  print(`nova-layers preview: ${url}`);
  print('(serves this package\'s js/ and dist/ on 127.0.0.1 only; the page sends nothing anywhere; Ctrl-C stops it)');
  return { url, close: () => new Promise((ok) => server.close(() => ok())) };
}

function statSafe(file) {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
