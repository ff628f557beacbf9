// nova-layers/nova.wasm and nova-layers/nova-wasi.wasm: the bare modules. Hosts and
// bundlers that turn a .wasm import into a compiled module (wrangler, `?module` in Next.js
// and Vercel Edge) give a WebAssembly.Module: pass it to loadNova({ module }) or
// loadNovaWasi({ module }).
declare const module: WebAssembly.Module;
export default module;
