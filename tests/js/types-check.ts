// Compiled by `tsc --noEmit -p tests/js` and `deno check` (tests/deno/run.sh): the .d.ts
// files must describe the JS API as the tests use it. Never run.
import {
  type AssembleRequest,
  type AssembleResult,
  type Detection,
  type ErrorCode,
  type Nova,
  NovaError,
  loadNova,
} from 'nova-layers';
import { assemblePrompt, buildAssembleRequest, fallbackName, loadPromptContext } from 'nova-layers/supabase';
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
  const supabase = {
    rpc: async (fn: string, args?: Record<string, unknown>) => ({ data: { fn, args }, error: null }),
  };
  const context = await loadPromptContext(supabase, request.context.user_id);
  const req2 = buildAssembleRequest(context, 'hi', { fallbackName: fallbackName({ email: 'a@b.c' }) });
  const res2: AssembleResult = await assemblePrompt(nova, supabase, { userId: 'x', message: 'hi' });
  // @ts-expect-error: layer names are an enum
  const bad: AssembleResult['layers'][number]['name'] = 'other';
  return `${nova.version}${start}${raw}${pages}${req2.message}${res2.prompt}${bad}`;
}
