// checks — the counted-result helpers of the Node-driven suites (browser, demo): each check
// prints "ok   NAME" or "FAIL NAME" with the first lines of the failure, and the suite's
// last line is "SUITE: N passed, N failed" (what scripts/run-tests.sh reads).

export function checks(suite) {
  let passed = 0;
  let failed = 0;
  return {
    async check(name, fn) {
      try {
        await fn();
        passed++;
        console.log(`ok   ${name}`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n     ')}`);
      }
    },
    /** A failure outside any check (the session itself broke): counted once. */
    fail(what, e) {
      failed++;
      console.log(`FAIL ${what}: ${e?.stack ?? e}`);
    },
    /** Prints the result line and exits with the suite's status. */
    finish() {
      console.log(`${suite}: ${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
}

/** Equal as JSON; the message shows both sides, cut. */
export function assertEq(a, b, what) {
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  if (sa !== sb) throw new Error(`${what}: expected ${sb?.slice(0, 400)}, got ${sa?.slice(0, 400)}`);
}

export function assert(cond, what) {
  if (!cond) throw new Error(what);
}
