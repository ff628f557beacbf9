// Runs identity cases ([{name, op, text}] in a JSON file) through js/index.js in Deno and
// writes the raw result JSON strings, in order, to a JSON file. Used by tests/js/identity.
import { loadNova } from '../../js/index.js';

const [casesFile, outFile] = Deno.args;
const cases = JSON.parse(await Deno.readTextFile(casesFile));
const nova = await loadNova();
const out = cases.map((c) => (c.op === 'assemble' ? nova.assembleJSON(c.text) : nova.detectJSON(c.text)));
await Deno.writeTextFile(outFile, JSON.stringify(out));
