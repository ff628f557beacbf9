// The runtimes the chat route runs in, each from the packed tarball: prepare (install,
// build: cached by content where that is honest) and start (a server on a free port),
// returning { url, stop() }. Every server is a child process group (or an in-process
// server) that stop() ends.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';

export const HERE = join(dirname(new URL(import.meta.url).pathname), '..');
export const ROOT = join(HERE, '../..');
const BIN = join(HERE, 'node_modules/.bin');
const DENO = join(ROOT, 'node_modules/.bin/deno');
const EXAMPLES = join(ROOT, 'examples');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${(r.stdout ?? '') + (r.stderr ?? '')}`.slice(0, 6000));
  return r.stdout;
}

// Starts a server process in its own group; resolves when `ready` matches its output.
function startProcess(name, cmd, args, { env, cwd, ready, timeoutMs = 90_000 }) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    try { process.kill(-child.pid, 'SIGTERM'); } catch { resolve(); }
    setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000).unref();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`${name} not ready after ${timeoutMs} ms:\n${log.slice(-3000)}`)); }, timeoutMs);
    const onData = (d) => {
      log += d;
      if (ready.test(log)) {
        clearTimeout(timer);
        resolve({ stop, log: () => log });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited ${code}:\n${log.slice(-3000)}`)); });
  }).then((p) => {
    child.removeAllListeners('exit');
    return p;
  });
}

/** A key of the files' contents: a cached build is reused only for the very same inputs. */
function contentKey(paths) {
  const h = createHash('sha256');
  const walk = (p) => {
    if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
    else h.update(relative(ROOT, p)).update('\0').update(readFileSync(p)).update('\0');
  };
  for (const p of paths) walk(p);
  return h.digest('hex');
}

/**
 * The apps folder: the tarball installed once (node_modules/nova-layers), next, react,
 * supabase-js & co. found one level up (tests/runtimes/node_modules, installed at setup).
 */
export function prepareApps(work, tarball) {
  const apps = join(work, 'apps');
  rmSync(join(apps, 'node_modules'), { recursive: true, force: true });
  mkdirSync(apps, { recursive: true });
  writeFileSync(join(apps, 'package.json'), '{ "name": "nova-runtimes-apps", "private": true, "type": "module" }\n');
  run('npm', ['install', '--offline', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: apps });
  return apps;
}

const envVars = (e) => ({
  SUPABASE_URL: e.supabaseUrl, SUPABASE_ANON_KEY: e.anonKey, SUPABASE_SERVICE_ROLE_KEY: e.serviceRoleKey,
  LLM_BASE_URL: e.llmBaseUrl, LLM_API_KEY: e.llmApiKey, LLM_MODEL: e.llmModel,
});

// ---- Supabase Edge Function under the real Deno ------------------------------------------
/**
 * The example README's own `deno check …` line (run from the project's root, the folder
 * that holds supabase/), as argv: the suite runs exactly what a user is told to run.
 */
export function readmeDenoCheck() {
  const readme = readFileSync(join(EXAMPLES, 'supabase-edge-function/README.md'), 'utf8');
  const line = /^deno check .*$/m.exec(readme)?.[0];
  if (!line) throw new Error('examples/supabase-edge-function/README.md shows no `deno check` command');
  return line.replace(/\s+#.*$/, '').trim().split(/\s+/).slice(2);
}

export const deno = {
  name: 'deno (Supabase Edge Function example)',
  prepare(apps, tarball) {
    // A project's root, as the example's README has it: supabase/functions/..., and a
    // package.json + node_modules beside supabase/.
    const dir = join(apps, 'deno');
    rmSync(dir, { recursive: true, force: true });
    cpSync(join(EXAMPLES, 'supabase-edge-function/supabase/functions'), join(dir, 'supabase/functions'), { recursive: true });
    // "Relative path" install of the package, as the example's README says: the unpacked
    // tarball in _shared/nova-layers/ (js/ and dist/ side by side inside it).
    const pkg = join(dir, 'supabase/functions/_shared/nova-layers');
    mkdirSync(pkg, { recursive: true });
    run('tar', ['xzf', tarball, '--strip-components=1', '-C', pkg]);
    // supabase-js for the import map's npm: specifier, from the suite's node_modules
    // (--node-modules-dir=manual: no download; a user's deno fetches it from npm).
    writeFileSync(join(dir, 'package.json'), '{ "private": true, "dependencies": { "@supabase/supabase-js": "2.109.0" } }\n');
    symlinkSync(join(HERE, 'node_modules'), join(dir, 'node_modules'));
    return dir;
  },
  check(dir) {
    // The README's command from the project's root, plus only what keeps it offline here.
    run(DENO, ['check', '--quiet', '--node-modules-dir=manual', ...readmeDenoCheck()],
      { cwd: dir, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', DENO_DIR: join(dir, '.deno') } });
  },
  async start(dir, env) {
    const port = await freePort();
    const p = await startProcess('deno', DENO, ['run', '--node-modules-dir=manual', '--config', 'supabase/functions/chat/deno.json',
      '--allow-net=127.0.0.1', '--allow-env', 'supabase/functions/chat/index.ts'], {
      cwd: dir,
      env: { ...envVars(env), DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', DENO_DIR: join(dir, '.deno') },
      ready: /Listening on/,
    });
    return { url: `http://127.0.0.1:${port}`, path: '/', stop: p.stop, log: p.log };
  },
};

// ---- Next.js: next build + next start, Turbopack or webpack, both runtimes ----------------
export function nextjs(bundler) {
  return {
    name: `next (${bundler})`,
    prepare(apps) {
      const dir = join(apps, `next-${bundler}`);
      const src = join(EXAMPLES, 'nextjs');
      const parts = ['app', 'lib', 'next.config.ts', 'tsconfig.json'];
      const key = contentKey([...parts.map((p) => join(src, p)), join(apps, 'node_modules/nova-layers'), join(HERE, 'package-lock.json')]) + bundler;
      const stamp = join(dir, '.nova-build-key');
      if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return { dir, cached: true };
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      for (const p of parts) cpSync(join(src, p), join(dir, p), { recursive: true });
      const out = run(join(BIN, 'next'), ['build', bundler === 'webpack' ? '--webpack' : '--turbopack'],
        { cwd: dir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' } });
      writeFileSync(join(dir, 'build.log'), out);
      writeFileSync(stamp, key);
      return { dir, cached: false };
    },
    async start({ dir }, env) {
      const port = await freePort();
      const p = await startProcess(`next start (${bundler})`, join(BIN, 'next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
        cwd: dir, env: { ...envVars(env), NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' }, ready: /Ready in/,
      });
      return { url: `http://127.0.0.1:${port}`, stop: p.stop, log: p.log };
    },
  };
}

// ---- Cloudflare Workers: wrangler dev --local (workerd) -----------------------------------
export const workerd = {
  name: 'workerd (wrangler dev --local)',
  prepare(apps) {
    const dir = join(apps, 'worker');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of ['worker.ts', 'wrangler.toml']) cpSync(join(HERE, 'apps', f), join(dir, f));
    cpSync(join(EXAMPLES, 'nextjs/lib/chat.ts'), join(dir, 'chat.ts'));
    return dir;
  },
  async start(dir, env) {
    const [port, inspector] = [await freePort(), await freePort()];
    const vars = Object.entries(envVars(env)).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
    const p = await startProcess('wrangler dev', join(BIN, 'wrangler'), ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port),
      '--inspector-port', String(inspector), '--show-interactive-dev-session=false', ...vars], {
      cwd: dir,
      env: { WRANGLER_SEND_METRICS: 'false', XDG_CONFIG_HOME: join(dir, '.config'), CI: 'true', NO_COLOR: '1' },
      ready: /Ready on http/,
    });
    return { url: `http://127.0.0.1:${port}`, path: '/', stop: p.stop, log: p.log };
  },
};

// ---- Vercel's edge-runtime: esbuild bundle ("edge-light"), wasm bound precompiled ---------
export const edgeRuntime = {
  name: 'edge-runtime (Vercel)',
  async prepare(apps) {
    const dir = join(apps, 'edge');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(join(HERE, 'apps/edge.ts'), join(dir, 'edge.ts'));
    cpSync(join(EXAMPLES, 'nextjs/lib/chat.ts'), join(dir, 'chat.ts'));
    const esbuild = await import(join(HERE, 'node_modules/esbuild/lib/main.js'));
    // What Vercel's build does with `import … from './x.wasm?module'`: the file becomes a
    // binding, a global the platform fills with the module it compiled at deploy time.
    const wasm = [];
    const wasmModules = {
      name: 'wasm-module-bindings',
      setup(build) {
        build.onResolve({ filter: /\.wasm\?module$/ }, (a) => ({ path: join(a.resolveDir, a.path.replace(/\?module$/, '')), namespace: 'wasm-binding' }));
        build.onLoad({ filter: /.*/, namespace: 'wasm-binding' }, (a) => {
          const name = `wasm_${createHash('sha1').update(a.path).digest('hex')}`;
          wasm.push({ name, filePath: a.path });
          return { contents: `export default globalThis[${JSON.stringify(name)}];`, loader: 'js' };
        });
      },
    };
    await esbuild.build({
      entryPoints: [join(dir, 'edge.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'es2022',
      conditions: ['edge-light', 'worker', 'browser'], outfile: join(dir, 'bundle.js'), plugins: [wasmModules], logLevel: 'error',
    });
    writeFileSync(join(dir, 'wasm.json'), JSON.stringify(wasm));
    return dir;
  },
  async start(dir, env) {
    const { EdgeRuntime, createHandler } = await import(join(HERE, 'node_modules/edge-runtime/dist/index.js'));
    const wasm = JSON.parse(readFileSync(join(dir, 'wasm.json'), 'utf8'));
    // Compiled here, in the host's realm, as Vercel does: the edge code sees a module of
    // another realm.
    const bindings = Object.fromEntries(wasm.map((w) => [w.name, new WebAssembly.Module(readFileSync(w.filePath))]));
    const runtime = new EdgeRuntime({
      initialCode: readFileSync(join(dir, 'bundle.js'), 'utf8'),
      // Vercel refuses eval and compiling wasm from bytes; so does this sandbox.
      codeGeneration: { strings: false, wasm: false },
      extend: (context) => Object.assign(context, bindings, { NOVA_ENV: envVars(env) }),
    });
    // edge-runtime's runServer leaves a response stream that errors (the LLM dying
    // mid-stream) as an unhandled rejection that kills the host; a platform aborts that one
    // response instead, and so does this server.
    const { handler, waitUntil } = createHandler({ runtime });
    const server = createHttpServer((req, res) => handler(req, res).catch(() => res.destroy()));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const stop = () => Promise.all([waitUntil(), new Promise((r) => { server.closeAllConnections(); server.close(r); })]);
    // The proof that the route used the bound module: this sandbox cannot compile one.
    const selfCheck = async () => {
      const refused = await runtime.evaluate('WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => null, (e) => String(e))');
      if (!refused || !/disallowed|code generation/i.test(refused)) throw new Error(`the sandbox compiled wasm from bytes (${refused})`);
    };
    return { url: `http://127.0.0.1:${server.address().port}`, path: '/', stop, log: () => '', selfCheck };
  },
};
