// `deno check` target: the package's .d.ts files as Deno sees them (via @ts-self-types).
import { type AssembleRequest, type AssembleResult, type MemoryOpsResult, type MemoryPromptResult, type Nova, NovaError, loadNova } from '../../js/index.js';
import { loadNovaWasi } from '../../js/wasi.js';
import { buildSystemPrompt, fallbackName, NovaStepError, type RpcClient, type SystemPrompt } from '../../js/supabase.js';

export async function check(module: WebAssembly.Module): Promise<string> {
  const nova: Nova = await loadNova({ module });
  const wasi: Nova = await loadNovaWasi({ module });
  const req: AssembleRequest = { context: { user_id: 'x' }, message: 'hi' };
  const res: AssembleResult = nova.assemble(req);
  const client: RpcClient = { rpc: async () => ({ data: null, error: null }) };
  try {
    const built: SystemPrompt = await buildSystemPrompt({ nova, admin: client, userId: 'x', message: 'hi',
      fallbackName: fallbackName(null) });
    wasi.detect({ context: built.context, message: 'hi' });
  } catch (e) {
    if (e instanceof NovaError) return e.code + e.path;
    if (e instanceof NovaStepError) return e.step;
  }
  const prompt: MemoryPromptResult = wasi.memoryPrompt({ context: req.context, transcript: [{ role: 'user', content: 'hi' }] });
  const ops: MemoryOpsResult = nova.memoryOps({ context: req.context, llm_output: prompt.messages[0].content });
  if (ops.rejected.length && prompt.allowed.memories) return ops.rejected[0].reason;
  return res.prompt + res.detection.matches.map((m) => m.end - m.start).join();
}
