// `deno check` target: the package's .d.ts files as Deno sees them (via @ts-self-types).
import { type AssembleRequest, type AssembleResult, type Nova, NovaError, loadNova } from '../../js/index.js';
import { loadNovaWasi } from '../../js/wasi.js';
import { buildAssembleRequest, fallbackName, type RpcClient } from '../../js/supabase.js';

export async function check(module: WebAssembly.Module): Promise<string> {
  const nova: Nova = await loadNova({ module });
  const wasi: Nova = await loadNovaWasi({ module });
  const req: AssembleRequest = { context: { user_id: 'x' }, message: 'hi' };
  const res: AssembleResult = nova.assemble(req);
  const client: RpcClient = { rpc: async () => ({ data: null, error: null }) };
  const again = buildAssembleRequest({ ...req.context, user: null, partnership: null, reference: null,
    detection: null, memories: [], insights: [] }, 'hi', { fallbackName: fallbackName(null) });
  try {
    wasi.detect(again);
  } catch (e) {
    if (e instanceof NovaError) return e.code + e.path;
  }
  await client.rpc('nova_prompt_context');
  return res.prompt + res.detection.matches.map((m) => m.end - m.start).join();
}
