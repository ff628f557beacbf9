#!/usr/bin/env node
// nova-layers — the package's command line (npx nova-layers ...): the demo flow, assemble
// and detect from a request or from a user's rows in a database, and the preview server.
// Exit status: 0 ok, 1 a step failed, 2 the engine refused the request, 64 usage, 74 a
// request file or stdin could not be read (the codes of build/nova-prompt).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { engineMessage } from '../engine.js';
import { CliError, EXIT_IO, EXIT_REFUSED, EXIT_USAGE } from './errors.js';

const USAGE = `usage: nova-layers <command> [options]

commands:
  demo                   the real flow end to end: migrations, sign-ups, a linked couple and a
                         solo user, scripted chats with each prompt and memory update
  assemble [FILE]        the system prompt for an assemble request (FILE, or stdin)
  assemble --user U --message TEXT
                         ... for a user of the database (id or e-mail), as a chat route builds it
  detect [FILE]          the relationship detector's verdict; --user/--message as for assemble
  preview                serve the prompt preview page on 127.0.0.1 and print its URL
  help [COMMAND]         this text

options:
  --database-url URL     a Postgres or Supabase database instead of the embedded one
                         (needs the npm package pg; the embedded one needs @electric-sql/pglite)
  --migrate              with --database-url: apply the migrations it lacks first (and the
                         Supabase bootstrap on a plain Postgres without auth.users)
  --data-dir DIR         folder of the embedded database (default: $NOVA_DEMO_DATA_DIR, else
                         ~/.cache/nova-layers/demo); a second run reuses it
  --fresh                build the embedded database again
  --full                 demo: print each prompt whole (default: the core layer and unchanged
                         layers shortened)
  --keep                 demo with --database-url: keep the demo accounts afterwards
  --user ID|EMAIL        assemble/detect: whose context to load
  --message TEXT         assemble/detect with --user: the user's message
  --json                 assemble/detect: the engine's whole result as JSON
  --report               assemble/detect: detection, layers, budget and prompt, as the demo shows them
  --port N               preview: the port (default 8787, the next free one if taken; 0: any)
  --no-color             no ANSI colours (also when NO_COLOR is set or stdout is not a terminal)

model (demo): Nova's replies and the memory step's model outputs are recorded ones, unless
  NOVA_LLM_BASE_URL (an OpenAI-compatible API, e.g. https://api.openai.com/v1),
  NOVA_LLM_MODEL and, when the endpoint needs one, NOVA_LLM_API_KEY are set.`;

const FLAGS = { '--full': 'full', '--keep': 'keep', '--json': 'json', '--report': 'report', '--migrate': 'migrate', '--fresh': 'fresh', '--no-color': 'noColor' };
const VALUES = { '--database-url': 'databaseUrl', '--data-dir': 'dataDir', '--user': 'user', '--message': 'message', '--port': 'port' };
const COMMANDS = new Set(['demo', 'assemble', 'detect', 'preview', 'help']);

function usage(message) {
  return new CliError(message, { exitCode: EXIT_USAGE, hint: 'nova-layers help lists the commands and options' });
}

/** argv (without node and the script) -> { command, files, options }. */
export function parseArgs(argv) {
  const opts = { files: [] };
  let command = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (FLAGS[name] && name === a) opts[FLAGS[a]] = true;
    else if (VALUES[name]) {
      const value = name !== a ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw usage(`${name} needs a value`);
      opts[VALUES[name]] = value;
    } else if (a === '-h' || a === '--help') command = 'help';
    else if (a.startsWith('-') && a !== '-') throw usage(`unknown option ${a}`);
    else if (command === null) {
      if (!COMMANDS.has(a)) throw usage(`unknown command ${a}`);
      command = a;
    } else opts.files.push(a);
  }
  return { command: command ?? 'help', opts };
}

function check(command, o) {
  const only = (flag, cmds) => {
    const key = FLAGS[flag] ?? VALUES[flag];
    if (o[key] !== undefined && !cmds.includes(command)) throw usage(`${flag} is not an option of ${command}`);
  };
  only('--full', ['demo']);
  only('--keep', ['demo']);
  only('--port', ['preview']);
  for (const f of ['--user', '--message', '--json', '--report']) only(f, ['assemble', 'detect']);
  for (const f of ['--database-url', '--data-dir', '--fresh']) only(f, ['demo', 'assemble', 'detect']);
  if (o.migrate && !o.databaseUrl) throw usage('--migrate goes with --database-url (the embedded database is always migrated)');
  if (o.keep && !o.databaseUrl) throw usage('--keep goes with --database-url (the embedded database keeps the demo accounts anyway)');
  if (command === 'assemble' || command === 'detect') {
    if ((o.user === undefined) !== (o.message === undefined)) throw usage('--user and --message go together');
    if (o.user !== undefined && o.files.length) throw usage(`${command}: give a request FILE or --user/--message, not both`);
    if (o.files.length > 1) throw usage(`${command}: one request file at most`);
    if (o.json && o.report) throw usage('--json and --report exclude each other');
    if (o.user === undefined && (o.databaseUrl || o.dataDir || o.fresh)) throw usage('a database option needs --user and --message');
  } else if (command === 'help') {
    // `help demo`, `demo --help`, `-h preview`: one usage text covers every command.
    if (o.files.length > 1) throw usage('help takes one command at most');
    if (o.files.length && !COMMANDS.has(o.files[0])) throw usage(`help: unknown command ${o.files[0]}`);
  } else if (o.files.length) throw usage(`${command} takes no file arguments`);
  if (o.port !== undefined && !(/^\d+$/.test(o.port) && Number(o.port) <= 65535)) throw usage(`--port: not a port number: ${o.port}`);
}

/** The request text of FILE ('-' or none: stdin); a file that cannot be read is EXIT_IO. */
function readRequest(file) {
  const name = file && file !== '-' ? file : null;
  try {
    return readFileSync(name ?? 0, 'utf8');
  } catch (e) {
    const err = /** @type {NodeJS.ErrnoException} */ (e);
    const why = {
      ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory', EPERM: 'operation not permitted',
    }[err.code ?? ''] ?? String(err.message).replace(/, (open|read) .*$/, '');
    throw new CliError(`cannot read ${name === null ? 'the request from stdin' : name}: ${why}`, { exitCode: EXIT_IO });
  }
}

function defaultDataDir(env) {
  if (env.NOVA_DEMO_DATA_DIR) return env.NOVA_DEMO_DATA_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nova-layers', 'demo');
}

async function main(argv, env) {
  const { command, opts } = parseArgs(argv);
  check(command, opts);
  const color = !opts.noColor && !env.NO_COLOR && process.stdout.isTTY === true;
  const print = (line = '') => process.stdout.write(`${line}\n`);
  const progress = (line) => process.stderr.write(`nova-layers: ${line}\n`);
  const common = { ...opts, color, env, print, progress, dataDir: opts.dataDir ?? defaultDataDir(env), defaultDataDir: opts.dataDir === undefined && !env.NOVA_DEMO_DATA_DIR };
  switch (command) {
    case 'help':
      print(USAGE);
      return 0;
    case 'demo':
      await (await import('./demo.js')).runDemo({ databaseUrl: null, migrate: false, fresh: false, full: false, keep: false, ...common });
      return 0;
    case 'assemble':
    case 'detect': {
      const { runOnce } = await import('./once.js');
      return runOnce(command, { ...common, request: opts.user === undefined ? () => readRequest(opts.files[0]) : null });
    }
    case 'preview': {
      const { servePreview } = await import('./serve.js');
      await servePreview({ port: opts.port === undefined ? null : Number(opts.port), print });
      return null; // runs until interrupted
    }
    default:
      throw usage(`unknown command ${command}`);
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (e) => {
    if (e instanceof CliError) {
      process.stderr.write(`nova-layers: ${e.message}\n${e.hint ? `${e.hint.replace(/^/gm, '  ')}\n` : ''}`);
      process.exitCode = e.exitCode;
    } else if (e?.name === 'NovaStepError') {
      // nova-layers/supabase: which step of the route failed (database, contract, engine).
      process.stderr.write(`nova-layers: ${e.message}\n`);
      process.exitCode = e.step === 'engine' ? EXIT_REFUSED : 1;
    } else if (e?.name === 'NovaError') {
      // As for a request file (once.js): "CODE: message (at PATH)", the path said once.
      process.stderr.write(`nova-layers: ${e.code}: ${engineMessage(e)}${e.path ? ` (at ${e.path})` : ''}\n`);
      process.exitCode = EXIT_REFUSED;
    } else {
      process.stderr.write(`nova-layers: unexpected failure: ${e?.stack ?? e}\n`);
      process.exitCode = 1;
    }
  },
);
