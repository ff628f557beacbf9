// errors — the one failure type of the CLI: a message a person can act on (what failed,
// what is missing, what to run), and the exit status. Anything else that escapes is a bug
// and is printed with its stack.

export const EXIT_FAILED = 1; // a step of the flow failed
export const EXIT_REFUSED = 2; // the engine refused the request (as nova-prompt)
export const EXIT_USAGE = 64; // bad command line (as nova-prompt, sysexits EX_USAGE)
export const EXIT_IO = 74; // a request file or stdin could not be read (as nova-prompt, EX_IOERR)

export class CliError extends Error {
  /**
   * @param {string} message what failed, in one line
   * @param {{ exitCode?: number, hint?: string, cause?: unknown }} [opts]
   *   hint: what to do about it (printed on its own line)
   */
  constructor(message, opts = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CliError';
    this.exitCode = opts.exitCode ?? EXIT_FAILED;
    this.hint = opts.hint ?? null;
  }
}

/**
 * Imports an optional peer dependency, or fails with the command that installs it.
 * @param {string} name   the npm package
 * @param {string} needed who needs it, e.g. "the embedded database (nova-layers demo)"
 */
export async function importOptional(name, needed) {
  try {
    return await import(name);
  } catch (e) {
    const err = /** @type {any} */ (e);
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(`'${name}'`)) {
      throw new CliError(`${needed} needs the npm package ${name}, which is not installed`, {
        // Not `npx -p NAME`: an installed nova-layers resolves from its own node_modules and
        // never sees the package npx puts in its cache.
        hint: `install it in this project, next to nova-layers: npm install ${name}`,
      });
    }
    throw e;
  }
}
