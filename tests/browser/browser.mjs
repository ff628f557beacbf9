// Browser suite: headless Debian Chromium (playwright-core) on the preview page, served by
// the package's own server (js/cli/serve.js, what `make preview` runs), against the native
// CLI: golden prompts, live editing through the forms and the raw JSON, errors at their
// field, the URL state, 390 px layout, keyboard use, axe-core, the copy button, and that the
// page sends nothing anywhere. Screenshots (desktop, phone) go to NOVA_ARTIFACTS.
// Prints "browser: N passed, N failed" last.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium } from 'playwright-core';
import { servePreview } from '../../js/cli/serve.js';
import { makeRequest, medium, small } from '../js/requests.js';
import { assert, assertEq, checks } from '../lib/checks.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = process.env.NOVA_CLI ?? join(ROOT, 'build/nova-prompt');
const ARTIFACTS = process.env.NOVA_ARTIFACTS ?? join(ROOT, 'build/test-artifacts');
// NOVA_UPDATE_SCREENSHOTS=1 also copies them to docs/images/ (the README's pictures).
const DOC_IMAGES = join(ROOT, 'docs/images');

function native(op, text) {
  const r = spawnSync(CLI, [op, '--json'], { input: text, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status === 0) return r.stdout.replace(/\n$/, '');
  if (r.status === 2) return JSON.stringify({ cliError: r.stderr.replace(/\n$/, '') });
  throw new Error(`nova-prompt ${op} exited ${r.status}: ${r.stderr}`);
}

const { check, fail, finish } = checks('browser');

const golden = readdirSync(join(ROOT, 'tests/golden')).filter((f) => f.endsWith('.request.json')).sort();

const lines = [];
const server = await servePreview({ port: 0, print: (l) => lines.push(l) });
const base = new URL(server.url).origin;
const pageUrl = server.url;
const profile = mkdtempSync(join(tmpdir(), 'nova-chromium-'));
mkdirSync(ARTIFACTS, { recursive: true });
let browser;
try {
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
  });
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const requests = [];
  const pageErrors = [];
  browser.on('request', (r) => requests.push(r.url()));
  const page = await browser.newPage();
  const watch = (p) => {
    p.on('pageerror', (e) => pageErrors.push(String(e)));
    p.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
  };
  watch(page);
  const ready = (p) => p.waitForSelector('body[data-ready="true"]', { timeout: 30000 });

  // --- helpers that act as a person would, and read what the page shows
  const state = (p = page) => p.evaluate(() => {
    const layers = [...document.querySelectorAll('#layers details.layer')].map((d) => ({
      name: d.dataset.layer, included: d.dataset.included === 'true', open: d.open,
      text: d.querySelector('pre')?.textContent ?? null, why: d.querySelector('.why').textContent,
    }));
    const problem = document.getElementById('problem');
    return {
      prompt: window.preview.result?.prompt ?? null,
      layers,
      problem: problem.hidden ? null : problem.textContent,
      marks: [...document.querySelectorAll('#marked mark')].map((m) => m.textContent),
      json: document.getElementById('request').value,
    };
  });
  const layer = (s, name) => s.layers.find((l) => l.name === name);
  // The raw JSON box: a 170 KB value is set directly (typing it would take minutes), then
  // the same input event a keystroke fires.
  const pasteJson = (text, p = page) => p.$eval('#request', (el, t) => {
    el.value = t;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  const fieldFor = (path, p = page) => p.locator(`.field[data-path="${path}"] :is(input, textarea, select)`).first();
  const openGroup = (id, p = page) => p.$eval(`#${id}`, (d) => { d.open = true; });
  const loadExample = async (name, p = page) => {
    await p.selectOption('#example', { label: name.replaceAll('_', ' ') });
    await p.click('#load-example');
  };

  await check('preview page loads the engine (served by nova-layers preview\'s server)', async () => {
    await page.goto(pageUrl);
    await ready(page);
    const status = await page.textContent('#status');
    assert(/Engine \d+\.\d+\.\d+ ready/.test(status), `status: ${status}`);
    assert(lines.some((l) => l.includes(pageUrl)), `printed: ${lines}`);
  });

  await check('the examples are the golden requests', async () => {
    const titles = await page.$$eval('#example option', (os) => os.map((o) => o.textContent));
    assertEq([...titles].sort(), golden.map((f) => f.replace('.request.json', '').replaceAll('_', ' ')).sort(), 'examples');
  });

  for (const f of golden) {
    await check(`example ${f}: the page's prompt = native, and its layers are the whole prompt`, async () => {
      const text = readFileSync(join(ROOT, 'tests/golden', f), 'utf8');
      const nat = JSON.parse(native('assemble', text));
      await loadExample(f.replace('.request.json', ''));
      const s = await state();
      assert(!nat.cliError, `native refused: ${nat.cliError}`);
      assertEq(s.problem, null, 'problem');
      assertEq(s.prompt, nat.prompt, 'prompt');
      assertEq(s.layers.map((l) => [l.name, l.included]), nat.layers.map((l) => [l.name, l.included]), 'layers');
      assertEq(s.layers.filter((l) => l.included).map((l) => l.text).join('\n\n') + '\n', nat.prompt, 'layer texts');
      assertEq(JSON.parse(s.json), JSON.parse(text), 'raw JSON view');
    });
  }

  for (const [name, req] of [['small', small()], ['medium', medium()]]) {
    await check(`raw JSON edit (${name}): prompt = native`, async () => {
      const text = JSON.stringify(req, null, 2);
      await pasteJson(text);
      assertEq((await state()).prompt, JSON.parse(native('assemble', text)).prompt, 'prompt');
    });
  }

  await check('raw result in the page is byte-identical to native (500 memories)', async () => {
    const text = JSON.stringify(makeRequest({ memories: 500, insights: 10 }));
    assertEq(await page.evaluate((t) => window.nova.assembleJSON(t), text), native('assemble', text), 'raw');
  });

  await check('typing a message that names the partner switches the relationship layer on; deleting it switches it off', async () => {
    await loadExample('partnership_full');
    const msg = fieldFor('message');
    await msg.fill('');
    await msg.pressSequentially('Work was long today.');
    let s = await state();
    assertEq(layer(s, 'relationship').included, false, 'relationship off before');
    assertEq(s.marks, [], 'no marks');
    await msg.pressSequentially(' Sam');
    s = await state();
    assertEq(layer(s, 'relationship').included, true, 'relationship on after typing Sam');
    assertEq(s.marks, ['Sam'], 'Sam marked in the message');
    assert(s.prompt.includes('<nova:relationship>'), 'prompt has the relationship layer');
    for (let i = 0; i < 4; i++) await msg.press('Backspace');
    s = await state();
    assertEq(layer(s, 'relationship').included, false, 'relationship off after deleting Sam');
    assert(!s.prompt.includes('<nova:relationship>'), 'prompt lost the relationship layer');
  });

  await check('matches are highlighted at the right characters (UTF-16 vs UTF-8 offsets)', async () => {
    await fieldFor('message').fill('😀 Ça va? 𝒜 Sam forgot our anniversary, cafés');
    const s = await state();
    assertEq(s.marks, ['Sam', 'our anniversary'], 'marks');
  });

  await check('a form edit updates the raw JSON; a raw JSON edit updates the forms', async () => {
    await loadExample('partnership_full');
    await fieldFor('context.reference.name').fill('Samira');
    let s = await state();
    assertEq(JSON.parse(s.json).context.reference.name, 'Samira', 'JSON after the form edit');
    assert(s.prompt.includes('Name: Samira'), 'prompt after the form edit');
    const req = JSON.parse(s.json);
    req.context.user.name = 'Mira';
    req.context.memories.push({ id: 'aaaaaaaa-0000-4000-8000-0000000000ff', category: 'gift_idea', about_user: null,
      content: 'They want a pottery class together.', confidence: 0.9, updated_at: '2026-11-24T10:00:00Z' });
    await pasteJson(JSON.stringify(req, null, 2));
    assertEq(await fieldFor('context.user.name').inputValue(), 'Mira', 'Name field after the JSON edit');
    assertEq(await page.textContent('#memories-count'), `(${req.context.memories.length})`, 'memory count');
    s = await state();
    assert(s.prompt.includes('Name: Mira') && s.prompt.includes('pottery class together'), 'prompt after the JSON edit');
  });

  await check('partner: AI-built, linked and none switch the reference layer', async () => {
    await loadExample('partnership_full');
    await fieldFor('context.reference').selectOption({ label: 'AI-built profile (the partner has no account)' });
    await fieldFor('context.reference.traits').fill('patient\nloves maps');
    let s = await state();
    assert(layer(s, 'reference').why.startsWith('ai_generated'), `why: ${layer(s, 'reference').why}`);
    assert(s.prompt.includes('- loves maps'), 'trait in the prompt');
    await fieldFor('context.reference').selectOption({ label: 'no partner profile' });
    s = await state();
    assertEq(layer(s, 'reference').included, false, 'reference off');
    await fieldFor('context.reference').selectOption({ label: 'linked account (the partner\'s own profile)' });
    s = await state();
    assert(layer(s, 'reference').included && layer(s, 'reference').why.startsWith('partner_account'), 'linked again, restored');
  });

  await check('add and remove a memory through the form', async () => {
    await loadExample('ai_generated_partner');
    const before = (await state()).prompt;
    await openGroup('group-memories');
    await page.click('#add-memory');
    const content = page.locator('#memories-list fieldset.item').last().locator('textarea');
    await content.fill('Alex is learning to cook.');
    let s = await state();
    assert(layer(s, 'memory').included && s.prompt.includes('Alex is learning to cook.'), 'memory in the prompt');
    await page.locator('#memories-list fieldset.item').last().getByRole('button', { name: /Remove memory/ }).click();
    s = await state();
    assertEq(s.prompt, before, 'prompt after removing it');
  });

  let lastGood;
  await check('an invalid form edit shows the error at its field and keeps the last good prompt', async () => {
    await loadExample('partnership_full');
    await openGroup('group-memories');
    lastGood = (await state()).prompt;
    const conf = fieldFor('context.memories[0].confidence');
    await conf.fill('5');
    const s = await state();
    assertEq(s.prompt, lastGood, 'prompt kept');
    assert(s.problem?.includes('invalid_value') && s.problem.includes('context.memories[0].confidence'), `problem: ${s.problem}`);
    assertEq(await conf.getAttribute('aria-invalid'), 'true', 'aria-invalid');
    const err = await page.locator('.field[data-path="context.memories[0].confidence"] .field-error').textContent();
    const line = JSON.parse(native('assemble', JSON.stringify({ ...(await page.evaluate(() => window.preview.request)) }))).cliError;
    const m = /^nova-prompt: invalid_value: (.*) \(at context\.memories\[0\]\.confidence\)$/.exec(line);
    assert(m, `native: ${line}`);
    assertEq(err, `invalid_value: ${m[1]}`, 'field error text = the engine\'s');
    assert(await page.locator('#layers details[data-layer="main_user"] pre').isVisible(), 'layers still shown');
  });

  await check('keyboard: "Go to" focuses the invalid field; fixing it clears the error', async () => {
    await page.getByRole('button', { name: /^Go to/ }).focus();
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement.closest('.field')?.dataset.path);
    assertEq(focused, 'context.memories[0].confidence', 'focused field');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.9');
    const s = await state();
    assertEq(s.problem, null, 'problem gone');
    assertEq(await fieldFor('context.memories[0].confidence').getAttribute('aria-invalid'), null, 'aria-invalid gone');
    assertEq(s.prompt, lastGood, 'prompt back (same value as before)');
  });

  await check('invalid raw JSON shows the error at the JSON field and keeps the last good prompt', async () => {
    const good = (await state()).prompt;
    await openGroup('group-json');
    await pasteJson('{"context": {"user_id": ');
    const s = await state();
    assertEq(s.prompt, good, 'prompt kept');
    assert(/not valid JSON/.test(await page.locator('.field[data-path=""] .field-error').textContent()), 'error at the JSON field');
    assertEq(await page.getAttribute('#request', 'aria-invalid'), 'true', 'aria-invalid');
    assert(s.problem?.includes('not valid JSON'), `problem: ${s.problem}`);
    // A form edit rewrites the raw JSON from the request: the broken text and its error go.
    await fieldFor('context.user.name').fill('Maya B');
    const after = await state();
    assertEq(after.problem, null, 'problem after a form edit');
    assertEq(JSON.parse(after.json).context.user.name, 'Maya B', 'JSON rewritten');
    assertEq(await page.getAttribute('#request', 'aria-invalid'), null, 'aria-invalid gone');
  });

  await check('the URL round-trips the state (a new tab shows the same request and prompt)', async () => {
    await loadExample('non_ascii_names');
    await fieldFor('message').fill('Zoë et moi, on s\'est disputés — 彼氏と喧嘩した');
    await page.evaluate(() => window.preview.urlSaved());
    const url = page.url();
    assert(/#r=[A-Za-z0-9_-]+$/.test(new URL(url).hash), `hash: ${new URL(url).hash.slice(0, 40)}`);
    const want = await page.evaluate(() => ({ request: window.preview.request, prompt: window.preview.result.prompt }));
    const other = await browser.newPage();
    watch(other);
    await other.goto(url);
    await ready(other);
    const got = await other.evaluate(() => ({ request: window.preview.request, prompt: window.preview.result.prompt }));
    assertEq(got, want, 'state in the new tab');
    assertEq(await other.locator('.field[data-path="message"] textarea').inputValue(), want.request.message, 'message field');
    await other.close();
  });

  await check('a damaged link says so and shows an example', async () => {
    const other = await browser.newPage();
    const errs = [];
    other.on('pageerror', (e) => errs.push(String(e)));
    await other.goto(`${pageUrl}#r=AAAA-not-deflate`);
    await ready(other);
    assert((await other.textContent('#status')).includes('could not be read'), 'status says so');
    assert((await other.evaluate(() => window.preview.result.prompt)).includes('<nova:core>'), 'an example is shown');
    assertEq(errs, [], 'page errors');
    await other.close();
  });

  await check('copy button puts the exact prompt on the clipboard', async () => {
    await loadExample('partnership_full');
    await page.click('#copy');
    await page.waitForFunction(() => document.getElementById('copy-status').textContent !== '');
    assertEq(await page.evaluate(() => navigator.clipboard.readText()), (await state()).prompt, 'clipboard');
  });

  await check('keyboard: Tab reaches the message, the copy button and a layer; Enter toggles the layer', async () => {
    await page.goto(pageUrl);
    await ready(page);
    await page.evaluate(() => document.activeElement?.blur());
    const seen = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      seen.push(await page.evaluate(() => {
        const a = document.activeElement;
        return a.closest('.field')?.dataset.path || a.id || a.closest('details')?.dataset.layer || a.tagName;
      }));
    }
    for (const want of ['example', 'load-example', 'message', 'copy', 'core']) assert(seen.includes(want), `tab order ${seen} lacks ${want}`);
    const core = page.locator('details.layer[data-layer="core"] > summary');
    await core.focus();
    const before = await page.evaluate(() => document.querySelector('details.layer[data-layer="core"]').open);
    await page.keyboard.press('Enter');
    assertEq(await page.evaluate(() => document.querySelector('details.layer[data-layer="core"]').open), !before, 'toggled');
    const outline = await core.evaluate((e) => getComputedStyle(e).outlineStyle);
    assert(outline !== 'none', 'focus is visible');
  });

  const runAxe = (p) => p.evaluate(async (source) => {
    if (!window.axe) (0, eval)(source);
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  }, axe.source);

  await check('axe-core: no violations (desktop, every group open)', async () => {
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    assertEq(await runAxe(page), [], 'violations');
  });

  await check('axe-core: no violations while an error is shown', async () => {
    await fieldFor('context.memories[0].confidence').fill('high');
    assert((await state()).problem !== null, 'error shown');
    assertEq(await runAxe(page), [], 'violations');
    await fieldFor('context.memories[0].confidence').fill('0.9');
  });

  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = d.dataset.layer !== 'core' && !['group-memories', 'group-insights', 'group-json'].includes(d.id); }));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'preview-desktop.png') });

  await check('390 px wide: nothing overflows horizontally, axe-core finds no violations', async () => {
    const phone = await browser.newPage();
    watch(phone);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(pageUrl);
    await ready(phone);
    await phone.screenshot({ path: join(ARTIFACTS, 'preview-phone.png') });
    const overflow = () => phone.evaluate(() => {
      document.querySelectorAll('details').forEach((d) => { d.open = true; });
      const w = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className}`);
      return { scroll: document.documentElement.scrollWidth, w, wide: wide.slice(0, 5) };
    });
    for (const ex of ['partnership_full', 'many_memories_over_budget', 'injection_attempts']) {
      await loadExample(ex, phone);
      const o = await overflow();
      assert(o.scroll <= o.w && o.wide.length === 0, `${ex}: scrollWidth ${o.scroll} > ${o.w}: ${o.wide}`);
    }
    await phone.locator('.field[data-path="message"] textarea').fill(`${'x'.repeat(300)} Sam ${'https://example.com/'.repeat(20)}`);
    const o = await overflow();
    assert(o.scroll <= o.w && o.wide.length === 0, `long words: scrollWidth ${o.scroll} > ${o.w}: ${o.wide}`);
    assertEq(await runAxe(phone), [], 'violations at 390 px');
    await phone.close();
  });

  await check('loadNova({ module }) and loadNovaWasi() in the page', async () => {
    const text = JSON.stringify(medium());
    const out = await page.evaluate(async (t) => {
      const { loadNova } = await import('/js/index.js');
      const { loadNovaWasi } = await import('/js/wasi.js');
      const module = await WebAssembly.compileStreaming(fetch('/dist/nova.wasm'));
      return [(await loadNova({ module })).assembleJSON(t), (await loadNovaWasi()).assembleJSON(t)];
    }, text);
    const nat = native('assemble', text);
    assertEq(out[0], nat, 'module path');
    assertEq(out[1], nat, 'WASI');
  });

  await check('nothing leaves the page: every request went to the preview server', async () => {
    const away = requests.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:'));
    assertEq(away, [], 'requests elsewhere');
    assert(requests.length > 3, 'requests were recorded');
  });

  await check('no uncaught page errors or console errors', () => {
    assertEq(pageErrors, [], 'page errors');
  });
} catch (e) {
  fail('browser session', e);
} finally {
  await browser?.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}

// The server on its own, as `make preview` starts it: the URL line, the page, the policy,
// and nothing outside js/ and dist/.
await check('nova-layers preview: prints the URL, serves the page with a CSP, and nothing outside js/ and dist/', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'js/cli/nova-layers.js'), 'preview', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /^nova-layers preview: (http:\/\/127\.0\.0\.1:\d+\/js\/preview\/)$/m.exec(out);
        if (m) ok(m[1]);
      });
      child.once('exit', (c) => fail(new Error(`exited ${c}: ${out}`)));
      setTimeout(() => fail(new Error(`no URL printed: ${out}`)), 10000);
    });
    const page = await fetch(url);
    assertEq(page.status, 200, 'page status');
    assert((page.headers.get('content-security-policy') ?? '').includes("connect-src 'self'"), 'CSP header');
    assert((await page.text()).includes('nova-layers prompt preview'), 'page body');
    const origin = new URL(url).origin;
    for (const p of ['/package.json', '/js/../package.json', '/js/%2e%2e/package.json', '/tests/sql/bootstrap.sql', '/js/..%2fpackage.json', '/etc/passwd']) {
      assertEq((await fetch(origin + p)).status, 404, `GET ${p}`);
    }
    assertEq((await fetch(`${origin}/dist/nova.wasm`)).headers.get('content-type'), 'application/wasm', 'wasm type');
    assertEq((await fetch(`${origin}/`, { redirect: 'manual' })).headers.get('location'), '/js/preview/', 'root redirect');
  } finally {
    child.kill();
  }
});

if (process.env.NOVA_UPDATE_SCREENSHOTS) {
  mkdirSync(DOC_IMAGES, { recursive: true });
  for (const f of ['preview-desktop.png', 'preview-phone.png']) copyFileSync(join(ARTIFACTS, f), join(DOC_IMAGES, f));
  console.log(`screenshots copied to ${DOC_IMAGES}`);
}
console.log(`screenshots: ${join(ARTIFACTS, 'preview-desktop.png')}, ${join(ARTIFACTS, 'preview-phone.png')}`);
finish();
