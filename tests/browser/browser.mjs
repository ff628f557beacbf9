// Browser suite: headless Debian Chromium (playwright-core) loads js/preview/ from a tiny
// http server on 127.0.0.1, assembles fixtures through the page and compares with the
// native CLI. Prints "browser: N passed, N failed" last.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { makeRequest, medium, small } from '../js/requests.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = process.env.NOVA_CLI ?? join(ROOT, 'build/nova-prompt');
const SHOT = process.env.NOVA_SCREENSHOT ?? join(tmpdir(), 'nova-preview.png');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

function serve() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(ROOT, path);
    if (!file.startsWith(ROOT + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

// The native result JSON (the CLI prints it plus a newline); an error result exits 2 with
// "nova-prompt: CODE: message (at PATH)" on stderr, returned as { cliError }.
function native(op, text) {
  const r = spawnSync(CLI, [op, '--json'], { input: text, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status === 0) return r.stdout.replace(/\n$/, '');
  if (r.status === 2) return JSON.stringify({ cliError: r.stderr.replace(/\n$/, '') });
  throw new Error(`nova-prompt ${op} exited ${r.status}: ${r.stderr}`);
}

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split('\n').slice(0, 4).join('\n     ')}`);
  }
}
function assertEq(a, b, what) {
  if (a !== b) throw new Error(`${what}: expected ${JSON.stringify(b)?.slice(0, 200)}, got ${JSON.stringify(a)?.slice(0, 200)}`);
}

const golden = existsSync(join(ROOT, 'tests/golden'))
  ? readdirSync(join(ROOT, 'tests/golden')).filter((f) => f.endsWith('.request.json')).sort()
  : [];

const server = await serve();
const base = `http://127.0.0.1:${server.address().port}`;
const profile = mkdtempSync(join(tmpdir(), 'nova-chromium-'));
let browser;
try {
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
  });
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));

  await check('preview page loads the engine', async () => {
    await page.goto(`${base}/js/preview/index.html`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    const status = await page.textContent('#status');
    if (!/engine \d+\.\d+\.\d+ ready/.test(status)) throw new Error(`status: ${status}`);
  });

  // Paste a request, press Assemble, read what the page shows. (The value is set directly:
  // page.fill() stalls on a 170 KB text.)
  const paste = (text) => page.$eval('#request', (el, t) => { el.value = t; }, text);
  async function assembleInPage(text) {
    await paste(text);
    await page.click('#assemble');
    return page.evaluate(() => ({
      prompt: document.getElementById('prompt').textContent,
      layers: document.querySelectorAll('#layers tbody tr').length,
      error: document.getElementById('error').hidden ? null : document.getElementById('error').textContent,
    }));
  }

  await check('golden fixtures exist', () => {
    if (golden.length === 0) throw new Error('no tests/golden/*.request.json');
  });
  for (const f of golden) {
    await check(`page prompt = native prompt: golden/${f}`, async () => {
      const text = readFileSync(join(ROOT, 'tests/golden', f), 'utf8');
      const nat = JSON.parse(native('assemble', text));
      const shown = await assembleInPage(text);
      if (nat.cliError) {
        const code = /^nova-prompt: ([a-z_]+):/.exec(nat.cliError)?.[1];
        assertEq(shown.error?.startsWith(code), true, 'error shown');
      } else {
        assertEq(shown.error, null, 'error');
        assertEq(shown.prompt, nat.prompt, 'prompt');
        assertEq(shown.layers, 6, 'layer rows');
      }
    });
  }
  for (const [name, req] of [['small', small()], ['medium', medium()]]) {
    await check(`page prompt = native prompt: ${name}`, async () => {
      const text = JSON.stringify(req, null, 2);
      const shown = await assembleInPage(text);
      assertEq(shown.prompt, JSON.parse(native('assemble', text)).prompt, 'prompt');
    });
  }

  await check('raw result in the page is byte-identical to native (large)', async () => {
    const text = JSON.stringify(makeRequest({ memories: 500, insights: 10 }));
    assertEq(await page.evaluate((t) => window.nova.assembleJSON(t), text), native('assemble', text), 'raw');
  });

  await check('an error result is shown with code and path', async () => {
    const req = small();
    req.context.memories[0].confidence = 5;
    const shown = await assembleInPage(JSON.stringify(req));
    const line = JSON.parse(native('assemble', JSON.stringify(req))).cliError;
    const m = /^nova-prompt: invalid_value: (.*) \(at context\.memories\[0\]\.confidence\)$/.exec(line);
    if (!m) throw new Error(`native: ${line}`);
    assertEq(shown.error, `invalid_value at context.memories[0].confidence: ${m[1]}`, 'error text');
  });

  await check('detect marks the matches at UTF-16 indices', async () => {
    const req = makeRequest({ message: '😀 Ça va? 𝒜 Sam forgot our anniversary' });
    await paste(JSON.stringify(req));
    await page.click('#detect');
    const marks = await page.$$eval('#detection mark', (ms) => ms.map((m) => m.textContent));
    if (!marks.includes('Sam') || !marks.includes('anniversary')) throw new Error(`marks: ${marks}`);
  });

  await check('loadNova({ module }) and loadNovaWasi() in the page', async () => {
    const text = JSON.stringify(medium());
    const out = await page.evaluate(async (t) => {
      const { loadNova } = await import('/js/index.js');
      const { loadNovaWasi } = await import('/js/wasi.js');
      const module = await WebAssembly.compileStreaming(fetch('/dist/nova.wasm'));
      const a = (await loadNova({ module })).assembleJSON(t);
      const b = (await loadNovaWasi()).assembleJSON(t);
      return [a, b];
    }, text);
    const nat = native('assemble', text);
    assertEq(out[0], nat, 'module path');
    assertEq(out[1], nat, 'WASI');
  });

  await check('no uncaught page errors', () => {
    assertEq(pageErrors.map(String).join('\n'), '', 'page errors');
  });

  // For a person to look at: the sample request, assembled.
  await page.click('#sample');
  await page.click('#assemble');
  await page.screenshot({ path: SHOT, fullPage: true });
  console.log(`screenshot: ${SHOT}`);
} catch (e) {
  failed++;
  console.log(`FAIL browser session: ${e?.stack ?? e}`);
} finally {
  await browser?.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
