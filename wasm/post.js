// --post-js for dist/nova.mjs: the instance's WebAssembly.Memory as Module.memory, so
// js/index.js never looks into the glue's internals (Module.asm, whose export names are
// minified). A getter, because the memory exists only once the wasm is instantiated;
// wasmMemory is the glue's own variable (set before the module's promise resolves) and
// stays the same object when memory grows (only its buffer changes).
Object.defineProperty(Module, 'memory', {
  get: function () { return wasmMemory; },
});
