// Validates the contract on real data, with ajv (JSON Schema 2020-12):
// - every tests/golden/*.request.json against $defs/request;
// - every `nova-prompt assemble --json` result on those fixtures against $defs/assemble_result;
// - the error result `nova-prompt assemble --json` prints on stdout for a few bad requests
//   against $defs/error_result.
// Usage: node tests/schema/validate.mjs <path to nova-prompt>
// Prints one line per failure and, last, "schema: N passed, N failed".
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = process.argv[2] ?? join(root, 'build', 'nova-prompt');
const schema = JSON.parse(readFileSync(join(root, 'schema', 'nova-contract.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(schema);
const validator = (def) => ajv.getSchema(`${schema.$id}#/$defs/${def}`);
const checks = { request: validator('request'), result: validator('assemble_result'), error: validator('error_result') };

let passed = 0;
let failed = 0;
function check(label, ok, detail) {
  if (ok) passed++;
  else {
    failed++;
    console.log(`FAIL ${label}${detail ? `: ${detail}` : ''}`);
  }
}
const errorsOf = (v) => ajv.errorsText(v.errors, { separator: '; ' });

function runCli(args, input) {
  return spawnSync(cli, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const goldenDir = join(root, 'tests', 'golden');
const fixtures = readdirSync(goldenDir).filter((f) => f.endsWith('.request.json')).sort();
check('golden fixtures present', fixtures.length >= 12, `${fixtures.length} found`);
for (const f of fixtures) {
  const text = readFileSync(join(goldenDir, f), 'utf8');
  check(`${f} is a valid request`, checks.request(JSON.parse(text)), errorsOf(checks.request));
  const r = runCli(['assemble', '--json'], text);
  let result = null;
  try {
    result = JSON.parse(r.stdout);
  } catch {
    /* reported below */
  }
  check(`${f}: nova-prompt assemble --json exits 0`, r.status === 0, `status ${r.status} ${r.stderr}`);
  check(`${f}: result matches $defs/assemble_result`, result && checks.result(result),
    result ? errorsOf(checks.result) : 'not JSON');
}

// Bad inputs: the CLI exits 2, reports on stderr ("nova-prompt: CODE: message (at PATH)")
// and, with --json, prints the engine's error result JSON on stdout: that is what is
// validated, and the stderr line must say the same.
function errorResult(r) {
  try {
    return JSON.parse(r.stdout);
  } catch {
    return null;
  }
}
const stderrLine = (e) => `nova-prompt: ${e.code}: ${e.message}${e.path ? ` (at ${e.path})` : ''}\n`;
const valid = JSON.parse(readFileSync(join(goldenDir, 'solo_no_profile.request.json'), 'utf8'));
const bad = [
  ['malformed JSON', '{"context": ', 'invalid_json'],
  ['empty request', '', 'invalid_json'],
  ['message of the wrong type', JSON.stringify({ ...valid, message: 42 }), 'wrong_type'],
  ['missing context', JSON.stringify({ message: 'hi' }), 'missing_field'],
  ['max_chars too small for core', JSON.stringify({ ...valid, options: { max_chars: 50 } }), 'over_budget'],
  ['bad memory confidence', JSON.stringify({ ...valid, context: { ...valid.context, memories: [{ id: 'aaaaaaaa-0000-4000-8000-000000000001', category: 'general', content: 'x', confidence: 7, updated_at: '2026-01-01T00:00:00Z' }] } }), 'invalid_value'],
];
for (const [label, input, code] of bad) {
  const r = runCli(['assemble', '--json'], input);
  check(`${label}: exit status 2`, r.status === 2, `status ${r.status}`);
  const result = errorResult(r);
  check(`${label}: error result matches $defs/error_result`, result && checks.error(result),
    result ? errorsOf(checks.error) : `no error result: ${r.stdout.slice(0, 200)} ${r.stderr.slice(0, 200)}`);
  check(`${label}: code ${code}`, result?.error?.code === code, `got ${result?.error?.code}`);
  check(`${label}: stderr line matches the JSON`, result?.error && r.stderr === stderrLine(result.error),
    `stderr ${JSON.stringify(r.stderr)}`);
}

console.log(`schema: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
