// Runs identity cases ([{name, op, text}] in a JSON file) through js/index.js in Deno and
// writes the raw result JSON strings, in order, to a JSON file. Used by tests/js/identity.
import { loadNova } from '../../js/index.js';

const [casesFile, outFile] = Deno.args;
const cases = JSON.parse(await Deno.readTextFile(casesFile));
const nova = await loadNova();
const METHOD = { assemble: 'assembleJSON', detect: 'detectJSON', 'memory-prompt': 'memoryPromptJSON', 'memory-ops': 'memoryOpsJSON' };
const out = cases.map((c) => nova[METHOD[c.op]](c.text));
await Deno.writeTextFile(outFile, JSON.stringify(out));
