// --pre-js for dist/nova.mjs (Emscripten 3.1.6): how the module loads its embedded wasm.
// With SINGLE_FILE and ENVIRONMENT=web the glue fetch()es its own data: URI; in Node that
// first fetch() costs ~70 ms (undici loads lazily) and ~15 ms in Deno. Unless the caller
// brings its own instantiateWasm (loadNova({ module })), decode the embedded base64 here
// with the fastest native decoder the runtime has (Uint8Array.fromBase64: Deno, recent
// browsers; Buffer: Node), else the glue's own atob loop. A failure aborts, which rejects
// the module's promise. tryParseAsDataURI, wasmBinaryFile and abort are the glue's own.
if (!Module['instantiateWasm']) {
  Module['instantiateWasm'] = function (imports, receiveInstance) {
    var b64 = wasmBinaryFile.slice(wasmBinaryFile.indexOf(',') + 1);
    var bytes = typeof Uint8Array.fromBase64 == 'function' ? Uint8Array.fromBase64(b64)
      : typeof Buffer == 'function' ? Buffer.from(b64, 'base64')
      : tryParseAsDataURI(wasmBinaryFile);
    WebAssembly.instantiate(bytes, imports).then(
      function (result) { receiveInstance(result['instance'], result['module']); },
      function (reason) { abort(reason); });
    return {};
  };
}
