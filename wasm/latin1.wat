;; The decoder wasm/pre.js uses for the wasm embedded in dist/nova.mjs (wasm/embed.mjs
;; stores it as a string of one character per byte, U+0000..U+00FF). TextEncoder writes
;; that string as UTF-8 into this module's memory at 0; d(n) folds the n bytes back in
;; place: a byte < 0x80 stays, a lead byte 0xC2/0xC3 and its continuation byte become one
;; byte (U+0080..U+00FF). Returns the decoded length. wasm/build.sh assembles it with
;; wat2wasm (wabt) and wasm/embed.mjs puts the bytes into pre.js.
(module
  (memory (export "m") 1)
  (func (export "d") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.ge_u (local.get $c) (i32.const 0xC2))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $c (i32.or
              (i32.shl (i32.and (local.get $c) (i32.const 3)) (i32.const 6))
              (i32.and (i32.load8_u (local.get $i)) (i32.const 0x3F))))))
        (i32.store8 (local.get $j) (local.get $c))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (local.get $j)))
