// database — where the CLI's flow runs: an embedded PostgreSQL (PGlite: Postgres compiled to
// wasm, in this process, its data kept in a folder) or a real Postgres / Supabase database
// at a URL (node-postgres). Both drivers are optional peer dependencies of nova-layers,
// imported only by the command that needs them, so `import 'nova-layers'` stays
// dependency-free. Both give the same small handle:
//   query(sql, params?) -> rows     exec(text) -> multi-statement text, no parameters
//   transaction(async (tx) => ...)  tx has query/exec; commit on return, rollback on throw
//   close()                         label: what to print about it
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CliError, importOptional } from './errors.js';

/** The package root: migrations/ and the Supabase bootstrap ship with the package. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
// What a Supabase project has before any migration runs (roles, auth schema, default
// grants): the SQL suite's fixture, shipped as is; never applied to a database that
// already has auth.users (a Supabase project).
const BOOTSTRAP = join(PACKAGE_ROOT, 'tests/sql/bootstrap.sql');
const MIGRATIONS = join(PACKAGE_ROOT, 'migrations');
// The Supabase CLI's own record of applied migrations: a database migrated here is seen
// as up to date by `supabase db push`, and the other way round.
const HISTORY_DDL = `
  create schema if not exists supabase_migrations;
  create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
  alter table supabase_migrations.schema_migrations add column if not exists statements text[];
  alter table supabase_migrations.schema_migrations add column if not exists name text;`;

/** The functions the flow calls: present means the migrations are applied. */
export const REQUIRED_FUNCTIONS = [
  'public.create_partnership()',
  'public.join_partnership(text)',
  'public.nova_prompt_context(uuid)',
  'public.nova_apply_memory_update(uuid, uuid, jsonb, jsonb, text)',
];

/** migrations/*.sql in file order: { file, version, name, text }. */
export function migrationFiles() {
  if (!existsSync(MIGRATIONS)) throw new CliError(`the migrations folder is missing: ${MIGRATIONS}`);
  return readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = /^(\d+)_(.*)\.sql$/.exec(file);
      if (!m) throw new CliError(`migrations/${file}: not named <timestamp>_<name>.sql as Supabase expects`);
      return { file: `migrations/${file}`, version: m[1], name: m[2], text: readFileSync(join(MIGRATIONS, file), 'utf8') };
    });
}

// "migrations/x.sql:12: syntax error at ..." from a Postgres error raised by a file's text.
function sqlFailure(what, text, e) {
  const err = /** @type {any} */ (e);
  const pos = Number(err?.position);
  const line = pos > 0 ? `:${text.slice(0, pos - 1).split('\n').length}` : '';
  const detail = [err?.detail, err?.hint].filter(Boolean).join('; ');
  return new CliError(`${what}${line}: ${err?.message ?? err}${detail ? ` (${detail})` : ''}`, { cause: e });
}

/**
 * Applies the Supabase bootstrap (only where auth.users does not exist: a plain Postgres)
 * and every migration not yet recorded in supabase_migrations.schema_migrations, each file
 * in its own transaction, in file order.
 * @returns {Promise<{ bootstrapped: boolean, applied: string[], skipped: string[] }>}
 */
export async function migrate(db, progress) {
  const out = { bootstrapped: false, applied: [], skipped: [] };
  const [{ has_auth }] = await db.query(`select to_regclass('auth.users') is not null as has_auth`);
  if (!has_auth) {
    progress(`applying ${relative(PACKAGE_ROOT, BOOTSTRAP)} (what Supabase has before migrations: roles, auth schema, grants)`);
    const text = readFileSync(BOOTSTRAP, 'utf8');
    try {
      await db.exec(text);
    } catch (e) {
      throw sqlFailure(relative(PACKAGE_ROOT, BOOTSTRAP), text, e);
    }
    out.bootstrapped = true;
  }
  await db.exec(HISTORY_DDL);
  const done = new Set((await db.query('select version from supabase_migrations.schema_migrations')).map((r) => r.version));
  for (const m of migrationFiles()) {
    if (done.has(m.version)) {
      out.skipped.push(m.file);
      continue;
    }
    progress(`applying ${m.file}`);
    try {
      await db.transaction(async (tx) => {
        await tx.exec(m.text);
        await tx.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)',
          [m.version, m.name, [m.text]]);
      });
    } catch (e) {
      throw sqlFailure(m.file, m.text, e);
    }
    out.applied.push(m.file);
  }
  return out;
}

/** The required functions that the database lacks (empty: the migrations are applied). */
export async function missingFunctions(db) {
  const rows = await db.query('select f, to_regprocedure(f) is null as missing from unnest($1::text[]) as f', [REQUIRED_FUNCTIONS]);
  return rows.filter((r) => r.missing).map((r) => r.f);
}

// ---------------------------------------------------------------------------------------
// Embedded: PGlite in DATA_DIR/pgdata. DATA_DIR/state.json records what the database was
// built from (PGlite version, bootstrap and migration texts); when any of it changed, the
// database is built again rather than trusted. DATA_DIR/lock keeps two runs apart.

function pgliteVersion() {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}

function fingerprint(version) {
  const h = createHash('sha256').update(`pglite ${version}\n`).update(readFileSync(BOOTSTRAP));
  for (const m of migrationFiles()) h.update(`\n${m.file}\n`).update(m.text);
  return h.digest('hex');
}

function takeLock(file) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if (/** @type {any} */ (e).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8'));
      let alive = false;
      try {
        alive = pid > 0 && process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive) {
        throw new CliError(`the embedded database in ${dirname(file)} is in use by process ${pid}`, {
          hint: 'wait for it to finish, or pass --data-dir with another folder',
        });
      }
      rmSync(file, { force: true }); // left by a run that died
    }
  }
  throw new CliError(`could not lock ${file}`);
}

// A new data directory is made in a worker thread: initdb keeps a thread busy for seconds,
// and the main one has progress lines to print meanwhile.
function initInWorker(pgdata) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pglite-init.js', import.meta.url), { workerData: { dataDir: pgdata } });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new CliError(`creating the embedded database failed (worker exit ${code})`))));
  });
}

// Prints "… what (N s)" every few seconds while a slow step runs.
async function withTicker(progress, what, promise) {
  const t0 = Date.now();
  const timer = setInterval(() => progress(`  … ${what} (${Math.round((Date.now() - t0) / 1000)} s)`), 2000);
  try {
    return await promise;
  } finally {
    clearInterval(timer);
  }
}

function pgliteHandle(pg) {
  const wrap = (q) => ({
    query: async (sql, params = []) => (await q.query(sql, params)).rows,
    exec: async (text) => {
      await q.exec(text);
    },
  });
  return {
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
  };
}

/**
 * Opens (creating or rebuilding when needed) the embedded database in dataDir.
 * @param {{ dataDir: string, fresh?: boolean, progress: (line: string) => void }} opts
 */
export async function openEmbedded({ dataDir, fresh = false, progress }) {
  const { PGlite } = await importOptional('@electric-sql/pglite', 'the embedded database');
  const { pgcrypto } = await import('@electric-sql/pglite/contrib/pgcrypto');
  const version = pgliteVersion();
  mkdirSync(dataDir, { recursive: true });
  const release = takeLock(join(dataDir, 'lock'));
  try {
    const pgdata = join(dataDir, 'pgdata');
    const stateFile = join(dataDir, 'state.json');
    const want = fingerprint(version);
    let state = null;
    try {
      state = JSON.parse(readFileSync(stateFile, 'utf8'));
    } catch {
      state = null;
    }
    const reuse = !fresh && existsSync(pgdata) && state?.fingerprint === want;
    if (!reuse) {
      const why = fresh ? '--fresh' : !existsSync(pgdata) || !state ? 'first run'
        : 'the migrations, the bootstrap or PGlite changed since it was built';
      progress(`creating the embedded database in ${dataDir} (${why}; this takes 10 to 40 s, once)`);
      rmSync(pgdata, { recursive: true, force: true });
      rmSync(stateFile, { force: true });
    } else {
      progress(`opening the embedded database in ${dataDir} (saved by an earlier run)`);
    }
    const t0 = Date.now();
    if (!reuse) await withTicker(progress, 'initializing PostgreSQL (initdb in wasm)', initInWorker(pgdata));
    const pg = await PGlite.create({ dataDir: pgdata, extensions: { pgcrypto } });
    const db = pgliteHandle(pg);
    const [{ server }] = await db.query(`select current_setting('server_version') as server`);
    const label = `embedded PostgreSQL ${server} (PGlite ${version}) in ${dataDir}`;
    let migrated;
    try {
      migrated = await migrate(db, progress);
    } catch (e) {
      await pg.close();
      throw e;
    }
    if (!reuse) writeFileSync(stateFile, JSON.stringify({ fingerprint: want, pglite: version, created: new Date().toISOString() }, null, 2));
    progress(`database ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${label}`);
    return {
      ...db,
      label,
      kind: 'embedded',
      reused: reuse,
      migrated,
      close: async () => {
        try {
          await pg.close();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------
// A database URL: node-postgres, one connection (the CLI runs one step at a time).

/** The URL without its password, for messages. */
export function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<the --database-url value, which is not a valid URL>';
  }
}

/**
 * Connects to a Postgres / Supabase database. With migrate, applies what is missing (see
 * migrate()); without, refuses a database that lacks the migrations.
 * @param {{ url: string, migrate?: boolean, progress: (line: string) => void }} opts
 */
export async function openUrl({ url, migrate: doMigrate = false, progress }) {
  const { default: pg } = await importOptional('pg', '--database-url');
  const shown = redactUrl(url);
  const client = new pg.Client({ connectionString: url });
  progress(`connecting to ${shown}`);
  try {
    await client.connect();
  } catch (e) {
    throw new CliError(`could not connect to ${shown}: ${/** @type {any} */ (e).message}`, { cause: e });
  }
  // Rows as the embedded driver gives them: timestamps as the server's text, not Date.
  const text = (v) => v;
  const types = { getTypeParser: (oid, format) => ([1082, 1114, 1184].includes(oid) ? text : pg.types.getTypeParser(oid, format)) };
  const q = {
    query: async (sql, params = []) => (await client.query({ text: sql, values: params, types })).rows,
    exec: async (sql) => {
      await client.query(sql);
    },
  };
  const db = {
    ...q,
    transaction: async (fn) => {
      await client.query('begin');
      try {
        const r = await fn(q);
        await client.query('commit');
        return r;
      } catch (e) {
        await client.query('rollback').catch(() => {});
        throw e;
      }
    },
  };
  try {
    const [{ server }] = await db.query(`select current_setting('server_version') as server`);
    let migrated = null;
    if (doMigrate) migrated = await migrate(db, progress);
    const missing = await missingFunctions(db);
    if (missing.length) {
      throw new CliError(`${shown} lacks the nova-layers migrations (${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing)`, {
        hint: 'apply them with the Supabase CLI (supabase db push --db-url URL),\n' +
          'or pass --migrate: applies migrations/*.sql not yet recorded in supabase_migrations.schema_migrations\n' +
          '(and the Supabase bootstrap first on a plain Postgres without auth.users)',
      });
    }
    return { ...db, label: `PostgreSQL ${server} at ${shown}`, kind: 'url', reused: true, migrated, close: () => client.end() };
  } catch (e) {
    await client.end().catch(() => {});
    throw e;
  }
}

/**
 * The database the command runs on: --database-url, else the embedded one in dataDir.
 * @param {{ databaseUrl?: string | null, migrate?: boolean, dataDir: string, fresh?: boolean }} opts
 * @param {(line: string) => void} progress
 */
export function openDatabase(opts, progress) {
  return opts.databaseUrl
    ? openUrl({ url: opts.databaseUrl, migrate: opts.migrate, progress })
    : openEmbedded({ dataDir: opts.dataDir, fresh: opts.fresh, progress });
}
