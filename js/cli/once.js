// once — `nova-layers assemble|detect`: one engine call, on a request given as JSON (a file
// or stdin: the C API as is, like build/nova-prompt) or built from a user's rows in a
// database the way a chat route builds it (buildSystemPrompt: nova_prompt_context over the
// service role), then shown from that request.
import { openDatabase } from './database.js';
import { CliError, EXIT_REFUSED } from './errors.js';
import { loadEngine } from './engine.js';
import { budgetLine, detectionLines, layerLines, markedMessage, promptLines, styles } from './report.js';
import { serviceRoleClient } from './rest.js';

async function findUser(db, who) {
  const rows = await db.query(
    `select id::text, email, raw_app_meta_data, raw_user_meta_data as user_metadata from auth.users
      where id::text = lower($1) or lower(email) = lower($1) order by created_at limit 2`, [who]);
  if (rows.length === 0) throw new CliError(`no auth user has the id or e-mail ${who}`);
  return rows[0];
}

// The request a route would send for this user and message.
async function requestFromDatabase(opts, nova, glue) {
  const db = await openDatabase(opts, opts.progress);
  try {
    const user = await findUser(db, opts.user);
    const options = { now: new Date().toISOString() };
    const { context } = await glue.buildSystemPrompt({
      nova, admin: serviceRoleClient(db), userId: user.id, message: opts.message, fallbackName: glue.fallbackName(user), options,
    });
    return { context, message: opts.message, options };
  } finally {
    await db.close();
  }
}

/**
 * @param {'assemble' | 'detect'} command
 * @param {{ request: (() => string) | null, json?: boolean, report?: boolean, color: boolean,
 *           print: (line?: string) => void } & Record<string, any>} opts
 * @returns {Promise<number>} the exit status
 */
export async function runOnce(command, opts) {
  const given = opts.request ? opts.request() : null; // a file that cannot be read fails first
  const { nova, glue } = await loadEngine();
  const text = given ?? JSON.stringify(await requestFromDatabase(opts, nova, glue));
  const raw = command === 'assemble' ? nova.assembleJSON(text) : nova.detectJSON(text);
  const result = JSON.parse(raw);
  if (result.error) {
    const e = result.error;
    if (opts.json) opts.print(raw);
    process.stderr.write(`nova-layers: ${e.code}: ${e.message}${e.path ? ` (at ${e.path})` : ''}\n`);
    return EXIT_REFUSED;
  }
  if (opts.json) {
    opts.print(raw); // byte offsets, exactly what the C API and build/nova-prompt --json give
    return 0;
  }
  // The object API: match offsets as JS string indices, for marking the message.
  const request = JSON.parse(text);
  const st = styles(opts.color);
  if (command === 'detect') {
    const d = nova.detect(request);
    opts.print(`message: ${markedMessage(String(request.message), d.matches, st)}`);
    for (const l of detectionLines(d, st)) opts.print(l);
    return 0;
  }
  if (!opts.report) {
    process.stdout.write(result.prompt); // it ends with a line break, as build/nova-prompt prints it
    return 0;
  }
  const r = nova.assemble(request);
  opts.print(`message: ${markedMessage(String(request.message), r.detection.matches, st)}`);
  for (const l of detectionLines(r.detection, st)) opts.print(l);
  opts.print('layers:');
  for (const l of layerLines(r.layers, st)) opts.print(l);
  opts.print(budgetLine(r.budget, st));
  opts.print('prompt:');
  for (const l of promptLines(r.prompt, null, { full: true, st })) opts.print(l);
  return 0;
}
