// Validates the contract on real data, with ajv (JSON Schema 2020-12):
// - every tests/golden/*.request.json against $defs/request;
// - every `nova-prompt assemble --json` result on those fixtures against $defs/assemble_result;
// - the error result `nova-prompt assemble --json` prints on stdout for a few bad requests
//   against $defs/error_result;
// - every tests/golden/memory_prompt/*.request.json against $defs/memory_prompt_request and
//   its `nova-prompt memory-prompt --json` result against $defs/memory_prompt_result; the
//   memory-ops requests of the corpus (tests/memory/corpus.mjs) against $defs/memory_ops_request
//   and their `nova-prompt memory-ops --json` results against $defs/memory_ops_result;
//   error results of both calls against $defs/error_result.
// Usage: node tests/schema/validate.mjs <path to nova-prompt>
// Prints one line per failure and, last, "schema: N passed, N failed".
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { corpusCases } from '../memory/corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = process.argv[2] ?? join(root, 'build', 'nova-prompt');
const schema = JSON.parse(readFileSync(join(root, 'schema', 'nova-contract.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(schema);
const validator = (def) => ajv.getSchema(`${schema.$id}#/$defs/${def}`);
const checks = {
  request: validator('request'),
  result: validator('assemble_result'),
  error: validator('error_result'),
  memoryPromptRequest: validator('memory_prompt_request'),
  memoryPromptResult: validator('memory_prompt_result'),
  memoryOpsRequest: validator('memory_ops_request'),
  memoryOpsResult: validator('memory_ops_result'),
  root: ajv.getSchema(schema.$id),
};

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

// ---- the memory update's two calls
function parsed(r) {
  try {
    return JSON.parse(r.stdout);
  } catch {
    return null;
  }
}
function checkCall(label, command, requestCheck, resultCheck, request) {
  check(`${label} is a valid request`, requestCheck(request), errorsOf(requestCheck));
  check(`${label} is valid at the schema's root`, checks.root(request), errorsOf(checks.root));
  const r = runCli([command, '--json'], JSON.stringify(request));
  const result = parsed(r);
  check(`${label}: nova-prompt ${command} --json exits 0`, r.status === 0, `status ${r.status} ${r.stderr}`);
  check(`${label}: result matches its $def`, result && resultCheck(result), result ? errorsOf(resultCheck) : 'not JSON');
  return result;
}
const memoryDir = join(root, 'tests', 'golden', 'memory_prompt');
const memoryFixtures = readdirSync(memoryDir).filter((f) => f.endsWith('.request.json')).sort();
check('memory prompt fixtures present', memoryFixtures.length >= 4, `${memoryFixtures.length} found`);
const contexts = {};
for (const f of memoryFixtures) {
  const request = JSON.parse(readFileSync(join(memoryDir, f), 'utf8'));
  contexts[f.replace('.request.json', '')] = request.context;
  checkCall(`memory_prompt/${f}`, 'memory-prompt', checks.memoryPromptRequest, checks.memoryPromptResult, request);
}
let corpus = 0;
for (const c of corpusCases()) {
  if (!c.expect.result) continue;
  const result = checkCall(`memory/${c.name}`, 'memory-ops', checks.memoryOpsRequest, checks.memoryOpsResult, c.request);
  corpus++;
  // The schema's reason enum is the engine's: every reason the engine gives is in it.
  for (const x of result?.rejected ?? []) {
    check(`memory/${c.name}: reason ${x.reason} in the schema's enum`,
      schema.$defs.memory_rejection_reason.enum.includes(x.reason));
  }
}
check('memory-ops corpus validated', corpus >= 40, `${corpus} cases`);
const someContext = contexts.linked_couple;
const memoryBad = [
  ['memory-prompt', 'memory prompt without transcript', { context: someContext }, 'missing_field'],
  ['memory-prompt', 'memory prompt with a bad role', { context: someContext, transcript: [{ role: 'system', content: 'x' }] }, 'invalid_value'],
  ['memory-ops', 'memory ops without llm_output', { context: someContext }, 'missing_field'],
  ['memory-ops', 'memory ops over 1 MiB', { context: someContext, llm_output: 'x'.repeat(1048577) }, 'limit_exceeded'],
];
for (const [command, label, request, code] of memoryBad) {
  const r = runCli([command, '--json'], JSON.stringify(request));
  const result = errorResult(r);
  check(`${label}: exit status 2`, r.status === 2, `status ${r.status}`);
  check(`${label}: error result matches $defs/error_result`, result && checks.error(result),
    result ? errorsOf(checks.error) : 'no error result');
  check(`${label}: code ${code}`, result?.error?.code === code, `got ${result?.error?.code}`);
}

console.log(`schema: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
