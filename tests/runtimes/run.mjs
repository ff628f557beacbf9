// The runtimes suite: the chat route of the examples, from the packed tarball, in every
// runtime it is written for, against real PostgreSQL (through the PostgREST/Auth stand-in)
// and a streaming LLM stand-in. Called by tests/runtimes/run.sh with the database ready:
//   node tests/runtimes/run.mjs TARBALL WORK_DIR PG_URL_BASE TEMPLATE_DB
// Prints one line per check and last "runtimes: N passed, N failed[, N skipped]".
// NOVA_RUNTIMES=deno,next-turbopack,next-webpack,workerd,edge-runtime,browser picks targets.
// NOVA_GOLDEN_UPDATE=1 rewrites tests/runtimes/golden/ from the native CLI (review the diff).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHATS, GOLDEN_DIR, PROMPT_CASES, USERS, golden, runCases } from './lib/cases.mjs';
import { browserPrompts } from './lib/browser.mjs';
import { startLlmStub } from './lib/llm-stub.mjs';
import { createStandIn, projectKeys, serve } from './lib/standin.mjs';
import { HERE, ROOT, deno, edgeRuntime, nextjs, prepareApps, workerd } from './lib/targets.mjs';

const pg = (await import(join(HERE, 'node_modules/pg/lib/index.js'))).default;
const [tarball, work, pgUrlBase, template] = process.argv.slice(2);

let passed = 0;
let failed = 0;
let skipped = 0;
async function check(name, fn) {
  if (typeof fn === 'object' && fn.skip) {
    skipped++;
    console.log(`skip ${name}: ${fn.skip}`);
    return;
  }
  const t0 = performance.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Math.round(performance.now() - t0)} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split('\n').slice(0, 8).join('\n     ')}`);
  }
}

const admin = new pg.Pool({ connectionString: `${pgUrlBase}/postgres`, max: 1 });

// ---- Goldens: the native CLI on the seed database's contexts ----------------------------
// The route's request for each case, built here independently of the JS glue: the
// database function's context, the chat's summary, the auth user's fallback name.
async function expectedPrompts() {
  const seed = new pg.Pool({ connectionString: `${pgUrlBase}/${template}`, max: 1 });
  const { fallbackName } = await import(join(ROOT, 'js/supabase.js'));
  const out = {};
  const requests = {};
  try {
    for (const c of PROMPT_CASES) {
      const uid = USERS[c.user];
      const { rows: [ctx] } = await seed.query('select public.nova_prompt_context($1)::text as c', [uid]);
      const { rows: [chat] } = await seed.query('select memory_summary from public.chats where id = $1', [CHATS[c.user]]);
      const { rows: [u] } = await seed.query('select email, raw_user_meta_data as m from auth.users where id = $1', [uid]);
      const request = {
        context: { ...JSON.parse(ctx.c), chat_memory_summary: chat.memory_summary, fallback_name: fallbackName({ email: u.email, user_metadata: JSON.parse(u.m) }) },
        message: c.message,
      };
      const r = spawnSync(join(ROOT, 'build/nova-prompt'), ['assemble'], { input: JSON.stringify(request), encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`nova-prompt assemble (${c.name}): ${r.stderr}`);
      out[c.name] = r.stdout;
      requests[c.name] = request;
    }
  } finally {
    await seed.end();
  }
  return { prompts: out, requests };
}

const { prompts: expected, requests: goldenRequests } = await expectedPrompts();
if (process.env.NOVA_GOLDEN_UPDATE) {
  for (const [name, prompt] of Object.entries(expected)) writeFileSync(join(GOLDEN_DIR, `${name}.prompt.txt`), prompt);
  console.log(`golden: wrote ${Object.keys(expected).length} prompts to ${GOLDEN_DIR}`);
}
for (const c of PROMPT_CASES) {
  await check(`golden/${c.name}.prompt.txt = the native CLI on the seed database`, () => {
    if (golden(c.name) !== expected[c.name]) throw new Error('stale golden: NOVA_GOLDEN_UPDATE=1 bash tests/runtimes/run.sh, then read the diff');
  });
}

// ---- The examples agree with each other and with this suite's pins -----------------------
await check('the two examples carry the same chat.ts', () => {
  const a = readFileSync(join(ROOT, 'examples/nextjs/lib/chat.ts'), 'utf8');
  const b = readFileSync(join(ROOT, 'examples/supabase-edge-function/supabase/functions/_shared/chat.ts'), 'utf8');
  if (a !== b) throw new Error('examples/nextjs/lib/chat.ts and the Edge Function\'s _shared/chat.ts differ');
});
await check("the Next.js example's dependencies are the versions tested here", () => {
  const example = JSON.parse(readFileSync(join(ROOT, 'examples/nextjs/package.json'), 'utf8'));
  const tested = JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8')).dependencies;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const [name, v] of Object.entries({ ...example.dependencies, ...example.devDependencies })) {
    // nova-layers: the tarball `npm pack` writes at the checkout's root (not published yet)
    const want = name === 'nova-layers' ? `file:../../${pkg.name}-${pkg.version}.tgz` : tested[name];
    if (v !== want) throw new Error(`${name}: example ${v}, tested ${want}`);
  }
  const imports = JSON.parse(readFileSync(join(ROOT, 'examples/supabase-edge-function/supabase/functions/chat/deno.json'), 'utf8')).imports;
  if (imports['@supabase/supabase-js'] !== `npm:@supabase/supabase-js@${tested['@supabase/supabase-js']}`) throw new Error('deno.json supabase-js pin');
});

await check("examples/nextjs: `npm install` as its README says resolves every dependency (nova-layers from the packed tarball)", () => {
  // The README's steps on a copy: the tarball where `npm pack` leaves it (the checkout's
  // root), the example two folders below; `--package-lock-only` resolves the whole tree
  // (what fails with E404 for a name not on the registry) without installing it.
  const root = join(work, 'npm-install-check');
  const app = join(root, 'examples/nextjs');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  const example = JSON.parse(readFileSync(join(ROOT, 'examples/nextjs/package.json'), 'utf8'));
  copyFileSync(join(ROOT, 'examples/nextjs/package.json'), join(app, 'package.json'));
  copyFileSync(tarball, resolve(app, example.dependencies['nova-layers'].replace(/^file:/, '')));
  const r = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    { cwd: app, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm install exited ${r.status}: ${(r.stdout + r.stderr).slice(0, 2000)}`);
  const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'));
  const nova = lock.packages['node_modules/nova-layers'];
  if (nova?.version !== JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version) throw new Error(`nova-layers in the lock: ${JSON.stringify(nova)}`);
  for (const name of Object.keys(example.dependencies)) {
    if (!lock.packages[`node_modules/${name}`]) throw new Error(`${name} not resolved`);
  }
  rmSync(root, { recursive: true, force: true });
});

// ---- The runtimes -------------------------------------------------------------------------
const apps = prepareApps(work, tarball);
const installed = await import(join(apps, 'node_modules/nova-layers/js/index.js'));
const engine = await installed.loadNova();
const seedDb = new pg.Pool({ connectionString: `${pgUrlBase}/${template}`, max: 1 });
const { rows: [fn] } = await seedDb.query("select to_regproc('public.nova_apply_memory_update') is not null as ok");
await seedDb.end();
const memoryLanded = typeof engine.memoryPrompt === 'function' && fn.ok
  ? true
  : `the AI update flow is not on main yet (engine memoryPrompt: ${typeof engine.memoryPrompt === 'function'}, nova_apply_memory_update: ${fn.ok})`;

const llm = await startLlmStub();
const keys = await projectKeys();
const TARGETS = {
  deno, 'next-turbopack': nextjs('turbopack'), 'next-webpack': nextjs('webpack'), workerd, 'edge-runtime': edgeRuntime, browser: 'browser',
};
const chosen = (process.env.NOVA_RUNTIMES ?? Object.keys(TARGETS).join(',')).split(',').filter(Boolean);

let dbIndex = 0;
async function withDatabase(fn) {
  // A fresh copy of the seeded database per runtime: every runtime sees the same rows.
  const db = `nova_rt_${process.pid}_${dbIndex++}`;
  await admin.query(`create database ${db} template ${template}`);
  const pool = new pg.Pool({ connectionString: `${pgUrlBase}/${db}`, max: 6 });
  pool.on('error', () => {}); // a connection ended by the drop below
  const standIn = createStandIn({ pool });
  const server = await serve(standIn);
  try {
    return await fn({ pool, server });
  } finally {
    await server.close();
    await pool.end();
    await admin.query(`drop database if exists ${db} with (force)`);
  }
}

const envFor = (server) => ({
  supabaseUrl: server.url, anonKey: keys.anonKey, serviceRoleKey: keys.serviceRoleKey,
  llmBaseUrl: llm.url, llmApiKey: llm.apiKey, llmModel: 'stub-model',
});

async function runTarget(label, target, prepared, path) {
  await withDatabase(async ({ pool, server }) => {
    let started;
    try {
      started = await target.start(prepared, envFor(server));
    } catch (e) {
      await check(`${label}: starts`, () => { throw e; });
      return;
    }
    try {
      if (started.selfCheck) await check(`${label}: the sandbox refuses to compile wasm from bytes`, started.selfCheck);
      const scoped = (name, fn) => check(`${label}: ${name}`, fn);
      await runCases(scoped, { target: { url: started.url, path }, pool, llm, memoryLanded });
    } finally {
      await started.stop();
    }
  });
}

for (const id of chosen) {
  const target = TARGETS[id];
  if (!target) {
    await check(`target ${id}`, () => { throw new Error(`unknown target (have: ${Object.keys(TARGETS).join(', ')})`); });
    continue;
  }
  if (target === 'browser') {
    // No route in a browser (the keys stay on the server): the engine alone, same import.
    const name = 'couple-relationship';
    let got;
    await check('browser: Chromium runs the import bundled and unbundled', async () => {
      got = await browserPrompts(apps, goldenRequests[name], expected[name]);
    });
    for (const how of ['bundled (esbuild, "browser" condition)', 'unbundled (import map to the files)']) {
      await check(`browser ${how}: loadNova().assemble() = golden/${name}.prompt.txt`, () => {
        const v = got?.[how.split(' ')[0]];
        if (v !== expected[name]) throw new Error(`got ${JSON.stringify(v)?.slice(0, 200)}`);
      });
    }
    continue;
  }
  let prepared;
  const t0 = performance.now();
  try {
    prepared = await target.prepare(apps, tarball);
  } catch (e) {
    await check(`${id}: prepare`, () => { throw e; });
    continue;
  }
  console.log(`--- ${target.name}: prepared in ${Math.round(performance.now() - t0)} ms${prepared?.cached ? ' (cached build)' : ''}`);
  if (id === 'deno') await check("deno: the example README's `deno check` from the project root, against the tarball", () => target.check(prepared));
  if (id.startsWith('next-')) {
    await check(`${id}: the edge route takes the precompiled nova.wasm, not the embedded copy`, () => {
      const manifest = JSON.parse(readFileSync(join(prepared.dir, '.next/server/middleware-manifest.json'), 'utf8'));
      const fnEntry = Object.values(manifest.functions).find((f) => f.page === '/api/chat/edge/route');
      if (!fnEntry) throw new Error('no edge function for /api/chat/edge in middleware-manifest.json');
      if (!fnEntry.wasm?.length) throw new Error('the edge function has no wasm binding');
      // A C string of the engine (in the wasm's data, never in the JS glue) marks the
      // embedded copy; the wasm binding itself must hold it.
      const MARK = 'relationship_threshold';
      for (const file of fnEntry.files) {
        if (readFileSync(join(prepared.dir, '.next', file), 'latin1').includes(MARK)) throw new Error(`${file} embeds the wasm bytes`);
      }
      if (!fnEntry.wasm.some((w) => readFileSync(join(prepared.dir, '.next', w.filePath), 'latin1').includes(MARK))) {
        throw new Error('the wasm binding is not the engine');
      }
    });
    await runTarget(`${id} node runtime`, target, prepared, '/api/chat');
    await runTarget(`${id} edge runtime`, target, prepared, '/api/chat/edge');
  } else {
    await runTarget(id, target, prepared, '/');
  }
}

await llm.close();
await admin.end();
console.log(skipped ? `runtimes: ${passed} passed, ${failed} failed, ${skipped} skipped` : `runtimes: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
