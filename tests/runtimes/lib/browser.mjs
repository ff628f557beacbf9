// Browsers, from the installed tarball: the same `import { loadNova } from 'nova-layers'`
// bundled by esbuild for the browser ("browser" condition) and unbundled (an import map to
// the installed package's files, served as they are), in headless Chromium. Each page
// assembles a golden request; the prompt must be the native CLI's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { HERE, ROOT } from './targets.mjs';

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.json': 'application/json', '.wasm': 'application/wasm' };

function serveDir(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)),
  })));
}

const page = (script, importMap) => `<!doctype html><meta charset="utf-8"><title>nova</title>
${importMap ? `<script type="importmap">${JSON.stringify(importMap)}</script>` : ''}
<script type="module">${script}</script>`;

/** Runs both pages; resolves to { bundled, unbundled, expected } prompts. */
export async function browserPrompts(apps, request, expected) {
  const { chromium } = await import(join(ROOT, 'node_modules/playwright-core/index.mjs'));
  const esbuild = await import(join(HERE, 'node_modules/esbuild/lib/main.js'));
  const dir = join(apps, 'browser');
  rmSync(dir, { recursive: true, force: true });
  const app = `import { loadNova } from 'nova-layers';
const request = ${JSON.stringify(request)};
loadNova().then((nova) => { window.novaPrompt = nova.assemble(request).prompt; },
                (e) => { window.novaPrompt = 'ERROR ' + e.message; });`;
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.js'), app);
  const bundle = await esbuild.build({
    entryPoints: [join(dir, 'app.js')], bundle: true, format: 'esm', platform: 'browser', write: false,
    nodePaths: [join(apps, 'node_modules')], logLevel: 'error',
  });
  writeFileSync(join(dir, 'bundled.html'), page(bundle.outputFiles[0].text));
  // Unbundled: the installed package's files, as a site would serve them.
  writeFileSync(join(dir, 'unbundled.html'), page(app, { imports: { 'nova-layers': '/node_modules/nova-layers/js/index.js' } }));
  const server = await serveDir(apps);
  const profile = mkdtempSync(join(tmpdir(), 'nova-rt-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const out = { expected };
    for (const name of ['bundled', 'unbundled']) {
      const p = await browser.newPage();
      await p.goto(`${server.url}/browser/${name}.html`);
      await p.waitForFunction(() => typeof window.novaPrompt === 'string', null, { timeout: 30_000 });
      out[name] = await p.evaluate(() => window.novaPrompt);
      await p.close();
    }
    return out;
  } finally {
    await browser.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
