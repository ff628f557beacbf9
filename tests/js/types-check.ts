// Compiled by `tsc --noEmit -p tests/js` and `deno check` (tests/deno/run.sh): the .d.ts
// files must describe the JS API as the tests use it. Never run.
import {
  type AssembleContextInput,
  type AssembleRequest,
  type AssembleResult,
  type Detection,
  type ChatMessage,
  type ErrorCode,
  type MemoryOp,
  type MemoryOpsRequest,
  type MemoryOpsResult,
  type MemoryPromptRequest,
  type MemoryPromptResult,
  type MemoryRejectionReason,
  type Nova,
  type PartnerNote,
  type TranscriptTurn,
  NovaError,
  loadNova,
} from 'nova-layers';
import {
  type MemoryUpdateReport,
  type SystemPrompt,
  NovaStepError,
  buildSystemPrompt,
  fallbackName,
  updateSharedMemories,
} from 'nova-layers/supabase';
import novaWasm from 'nova-layers/nova.wasm';
import { loadNovaWasi } from 'nova-layers/wasi';

export async function check(wasmModule: WebAssembly.Module): Promise<string> {
  const nova: Nova = await loadNova();
  const viaModule: Nova = await loadNova({ module: wasmModule });
  const wasi: Nova = await loadNovaWasi({ bytes: new Uint8Array(0) });
  const request: AssembleRequest = {
    context: { user_id: '11111111-0000-4000-8000-000000000001', memories: [], user: null },
    message: 'Sam',
    options: { max_chars: 1000, insights: 'never' },
  };
  const result: AssembleResult = nova.assemble(request);
  const detection: Detection = viaModule.detect(request);
  const start: number = detection.matches[0].start + result.detection.matches.length;
  const raw: string = wasi.assembleJSON(JSON.stringify(request));
  const pages: number = nova.memory.buffer.byteLength;
  const input: AssembleContextInput = { message: 'Sam', fallbackName: null, options: { insights: 'never' } };
  const fromText: AssembleResult = nova.assembleContext('{"user_id":"11111111-0000-4000-8000-000000000001"}', input);
  const fromBytes: string = wasi.assembleContext(new Uint8Array(0), { message: 'x', chatMemorySummary: 's' }).prompt;
  try {
    nova.assemble(request);
  } catch (e) {
    if (e instanceof NovaError) {
      const code: ErrorCode | string = e.code;
      const where: string = e.path;
      return code + where + e.message;
    }
  }
  // The shape of supabase-js's rpc() (the runtime test uses the real client).
  const admin = {
    rpc: async (fn: string, args?: Record<string, unknown>) => ({ data: { fn, args }, error: null }),
  };
  let res2: SystemPrompt | null = null;
  try {
    res2 = await buildSystemPrompt({ nova, admin, userId: 'x', message: 'hi', fallbackName: fallbackName({ email: 'a@b.c' }) });
  } catch (e) {
    if (e instanceof NovaStepError) {
      const step: 'database' | 'contract' | 'engine' = e.step;
      return step + (e.code ?? '') + (e.path ?? '');
    }
  }
  const memoryNova = Object.assign(nova, {
    memoryPrompt: () => ({ messages: [], allowed: { memories: false, partner_notes: false } }),
    memoryOps: () => ({ ops: [], partner_notes: [], partner_name: null, rejected: [] }),
  });
  const report: MemoryUpdateReport = await updateSharedMemories({
    nova: memoryNova, admin, userId: 'x', transcript: [{ role: 'user', content: 'hi' }],
    llm: async (messages) => messages.map((m) => m.content).join(), context: res2?.context,
  });
  const step: string | undefined = report.error?.step;
  const fromWasm: Nova = await loadNova({ module: novaWasm });
  // @ts-expect-error: layer names are an enum
  const bad: AssembleResult['layers'][number]['name'] = 'other';
  const memory = memoryCalls(wasi, request.context);
  return `${nova.version}${start}${raw}${pages}${res2?.prompt}${report.applied}${step}${fromWasm.version}${bad}${memory}`;
}

// The memory update's two calls, as a route would chain them.
function memoryCalls(nova: Nova, context: MemoryPromptRequest['context']): string {
  const transcript: TranscriptTurn[] = [{ role: 'user', content: 'Sam loves trains.' }];
  const prompt: MemoryPromptResult = nova.memoryPrompt({ context, transcript });
  const messages: ChatMessage[] = prompt.messages;
  if (!prompt.allowed.memories && !prompt.allowed.partner_notes) return 'skip';
  const request: MemoryOpsRequest = { context, llm_output: '{"operations": []}' };
  const ops: MemoryOpsResult = nova.memoryOps(request);
  const first: MemoryOp | undefined = ops.ops[0];
  const id: string = first && first.op !== 'add' ? first.updated_at : '';
  const reason: MemoryRejectionReason | undefined = ops.rejected[0]?.reason;
  const index: number | null = ops.rejected[0]?.index ?? null;
  const note: PartnerNote | undefined = ops.partner_notes[0];
  const raw: string = nova.memoryOpsJSON(nova.memoryPromptJSON('{}'));
  // @ts-expect-error: the roles of a transcript are user and assistant
  const wrong: TranscriptTurn = { role: 'system', content: '' };
  return `${messages.length}${id}${reason}${index}${note?.field}${ops.partner_name}${raw}${wrong.content}`;
}
