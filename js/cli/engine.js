// engine — the package as a user's code imports it: 'nova-layers' (the wasm engine) and
// 'nova-layers/supabase' (the route glue), by their public names (Node resolves a package's
// own name through its "exports"), so the CLI runs exactly what a route runs.
import { CliError } from './errors.js';

/** @returns {Promise<{ nova: import('../types.js').Nova, glue: typeof import('../supabase.js'), NovaError: Function }>} */
export async function loadEngine() {
  let index;
  try {
    index = await import('nova-layers');
  } catch (e) {
    const err = /** @type {any} */ (e);
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && /nova\.mjs/.test(String(err.message))) {
      throw new CliError('the engine build dist/nova.mjs is missing', { hint: 'build it in the checkout: make wasm', cause: e });
    }
    throw e;
  }
  const glue = await import('nova-layers/supabase');
  return { nova: await index.loadNova(), glue, NovaError: index.NovaError };
}
