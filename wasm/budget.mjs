// The size budget of the module every JS runtime loads: dist/nova.mjs (glue + embedded
// wasm), gzip -9, at most this many bytes (issue 14). One place: the package suite fails
// a build over it, and bench/summarize.mjs reports the margin.
export const NOVA_MJS_GZIP_MAX = 60000;
