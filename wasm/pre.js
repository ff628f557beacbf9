// --pre-js for dist/nova.mjs (Emscripten 3.1.6): how the module loads its embedded wasm.
// wasm/embed.mjs stores the wasm in NOVA_WASM_BYTES as a string of one character per
// byte instead of the glue's base64 data: URI: a quarter smaller, and ~8 KB less once
// gzipped, since gzip then sees the wasm's own repetitions. A JS decoding loop is slow
// cold (15-20 ms in Deno when this was chosen), so: TextEncoder writes the string as
// UTF-8 into the memory of a 124-byte wasm module (wasm/latin1.wat, NOVA_LATIN1_DECODER),
// which folds each two-byte sequence back into one byte. Skipped when the caller brings its own
// instantiateWasm (loadNova({ module }), and always in dist/nova-glue.mjs, whose string is
// empty).
// A failure rejects the module's promise and does nothing else. Not abort(): it prints,
// then throws from inside this promise chain, an unhandled rejection that kills Node and
// makes it print the offending source line, this whole 100 KB file. readyPromiseReject
// and ABORT are the glue's own variables (in scope here).
if (!Module['instantiateWasm']) {
  Module['instantiateWasm'] = function (imports, receiveInstance) {
    Promise.resolve().then(function () {
      var text = "NOVA_WASM_BYTES";
      if (!text) throw new Error('this build has no embedded wasm (dist/nova-glue.mjs): give it the module');
      var decoder = new WebAssembly.Instance(
        new WebAssembly.Module(new Uint8Array("NOVA_LATIN1_DECODER"))).exports;
      var memory = decoder['m'];
      memory.grow((2 * text.length >> 16) + 1); // UTF-8 takes at most 2 bytes a character here
      var n = new TextEncoder().encodeInto(text, new Uint8Array(memory.buffer))['written'];
      return WebAssembly.instantiate(new Uint8Array(memory.buffer, 0, decoder['d'](n)), imports);
    }).then(function (result) {
      receiveInstance(result['instance'], result['module']);
    }).catch(function (reason) {
      ABORT = true;
      readyPromiseReject(reason);
    });
    return {};
  };
}
