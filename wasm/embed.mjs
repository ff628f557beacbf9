// Embeds the wasm into the Emscripten glue; wasm/build.sh runs it after `emcc -sSINGLE_FILE`:
//   node wasm/embed.mjs SINGLE.mjs BARE.wasm DECODER.wasm OUT.mjs [GLUE.mjs]
// SINGLE.mjs carries the wasm as a base64 data: URI; BARE.wasm is the same link without
// SINGLE_FILE; DECODER.wasm is wasm/latin1.wat assembled. Checks SINGLE.mjs and BARE.wasm
// hold the same bytes (the glue's minified import names must match dist/nova.wasm under
// loadNova({ module })), then writes OUT.mjs with the base64 copy emptied, wasm/pre.js's
// "NOVA_WASM_BYTES" replaced by a string literal of one character per byte and
// "NOVA_LATIN1_DECODER" by the decoder's bytes. Only the quote, backslash, LF, CR and NUL
// are escaped: every other code point U+0001..U+00FF may stand in a JS string, and ES
// modules are always read as UTF-8. Finally decodes the literal the way pre.js does and
// compares the result with BARE.wasm. GLUE.mjs, when given, gets the same glue with an empty
// string instead: the edge entry (js/edge.js) hands it the precompiled module, so the bytes
// would only be dead weight there.
import { readFileSync, writeFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';

const [singleFile, wasmFile, decoderFile, outFile, glueFile] = process.argv.slice(2);
const fail = (msg) => { console.error(`wasm/embed.mjs: ${msg}`); process.exit(1); };
let src = readFileSync(singleFile, 'utf8');
const wasm = readFileSync(wasmFile);
const decoder = readFileSync(decoderFile);

// Replaces the one match of re in src (a function, so no `$` patterns apply).
const replaceOnce = (re, by, what) => {
  const found = [...src.matchAll(re)];
  if (found.length !== 1) fail(`expected one ${what} in ${singleFile}, found ${found.length}`);
  src = src.replace(found[0][0], () => by);
  return found[0];
};

const uri = replaceOnce(/(["'])data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)\1/g,
  '"data:application/octet-stream;base64,"', 'embedded wasm');
if (!Buffer.from(uri[2], 'base64').equals(wasm)) fail('embedded wasm differs from nova.wasm');

let lit = '"';
for (let i = 0; i < wasm.length; i++) {
  const b = wasm[i];
  if (b === 0x22) lit += '\\"';
  else if (b === 0x5c) lit += '\\\\';
  else if (b === 0x0a) lit += '\\n';
  else if (b === 0x0d) lit += '\\r';
  else if (b === 0) lit += wasm[i + 1] >= 0x30 && wasm[i + 1] <= 0x39 ? '\\x00' : '\\0';
  else lit += String.fromCharCode(b);
}
lit += '"';
replaceOnce(/(["'])NOVA_LATIN1_DECODER\1/g, `[${[...decoder].join(',')}]`, 'NOVA_LATIN1_DECODER');
const glue = src.replace(/(["'])NOVA_WASM_BYTES\1/g, '""');
replaceOnce(/(["'])NOVA_WASM_BYTES\1/g, lit, 'NOVA_WASM_BYTES');

// pre.js's decoding steps, on the literal as the JS parser reads it.
const text = runInNewContext(lit);
const d = new WebAssembly.Instance(new WebAssembly.Module(decoder)).exports;
d.m.grow((2 * text.length >> 16) + 1);
const n = new TextEncoder().encodeInto(text, new Uint8Array(d.m.buffer)).written;
if (!Buffer.from(d.m.buffer, 0, d.d(n)).equals(wasm)) fail('the embedded string does not decode to nova.wasm');
writeFileSync(outFile, src);
if (glueFile) writeFileSync(glueFile, glue);
