// Validates nova_prompt_context outputs against the contract's $defs/prompt_context.
// Usage: node validate-context.mjs <schema.json> <context.json>...
// Prints one TAP-style line per file ("ok - name" / "not ok - name") plus the errors.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';

const [schemaPath, ...files] = process.argv.slice(2);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(schema);
const validate = ajv.getSchema(`${schema.$id}#/$defs/prompt_context`);

let bad = 0;
for (const file of files) {
  const name = `prompt_context ${basename(file, '.json')} matches the contract`;
  let value;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`not ok - ${name}`);
    console.log(`#   not JSON: ${e.message}`);
    bad++;
    continue;
  }
  if (validate(value)) {
    console.log(`ok - ${name}`);
  } else {
    console.log(`not ok - ${name}`);
    for (const err of validate.errors) console.log(`#   ${err.instancePath || '/'} ${err.message}`);
    bad++;
  }
}
process.exitCode = bad ? 1 : 0;
