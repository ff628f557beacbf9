// Per-call assemble latency in one JS runtime, the engine beside the route author's
// alternative, in the same loop (bench/js/timing.mjs interleaves them):
//   node bench/js/assemble.mjs > OUT.json       deno run --allow-read bench/js/assemble.mjs > OUT.json
// For each size of bench/sizes.mjs:
//   template        the hand-written template assembler (bench/js/peers.mjs) on the context
//                   object (what supabase-js's rpc() gives)
//   parse_template  JSON.parse of the RPC's text + the template: the text path's peer
//   objects         nova.assemble(request) (Emscripten build): JSON.stringify in, JSON.parse out
//   text            nova.assembleContext(contextText, input): the RPC's text straight in
//   raw             nova.assembleJSON(requestText): the C call and the copies alone
//   wasi_objects, wasi_text   the same two through the WASI build
// Prints one JSON object: p50/p99/mean µs per variant and size.
import { loadNova } from '../../js/index.js';
import { loadNovaWasi } from '../../js/wasi.js';
import { SIZES, request, routeParts } from '../sizes.mjs';
import { peerTexts, readBytes, runtime } from './env.mjs';
import { makeTemplateAssembler } from './peers.mjs';
import { interleaved } from './timing.mjs';

const nova = await loadNova();
const wasi = await loadNovaWasi({ bytes: await readBytes(new URL('../../dist/nova-wasi.wasm', import.meta.url)) });
const template = makeTemplateAssembler(await peerTexts());
const quiet = (fn) => () => {
  try {
    return fn();
  } catch (e) {
    return e; // XXL: the engine refuses it (limit_exceeded), which is what is measured
  }
};
const ROUNDS = { S: [3000, 200], M: [1000, 100], L: [300, 30], XL: [40, 5], XXL: [20, 3] };

const out = { runtime, sizes: {} };
for (const size of SIZES) {
  const req = request(size);
  const text = JSON.stringify(req);
  const { context, input } = routeParts(req);
  const contextText = JSON.stringify(context);
  const variants = {
    template: () => template(context, input.message, input),
    parse_template: () => template(JSON.parse(contextText), input.message, input),
    objects: quiet(() => nova.assemble(req)),
    text: quiet(() => nova.assembleContext(contextText, input)),
    raw: () => nova.assembleJSON(text),
    wasi_objects: quiet(() => wasi.assemble(req)),
    wasi_text: quiet(() => wasi.assembleContext(contextText, input)),
  };
  const [rounds, warmup] = ROUNDS[size.id];
  const engine = variants.objects();
  out.sizes[size.id] = {
    label: size.label,
    memories: size.memories,
    request_bytes: new TextEncoder().encode(text).length,
    context_bytes: new TextEncoder().encode(contextText).length,
    engine_prompt_chars: engine.prompt ? engine.prompt.length : null,
    engine_status: engine.prompt ? 'ok' : engine.code,
    peer_prompt_chars: variants.template().prompt.length,
    results: interleaved(variants, { rounds, warmup }),
  };
}
console.log(JSON.stringify(out));
