// The chat route as a Vercel edge function, run by the runtimes suite under Vercel's
// edge-runtime: bundled by esbuild with the "edge-light" condition, the way Vercel builds
// it, the wasm bound as a precompiled module and code generation from bytes refused.
// NOVA_ENV stands for the platform's environment variables.
import { chatEnvFrom, handleChat } from './chat';

declare const NOVA_ENV: Record<string, string>;

interface FetchEvent extends Event {
  request: Request;
  respondWith(response: Promise<Response>): void;
  waitUntil(work: Promise<unknown>): void;
}

addEventListener('fetch', (event) => {
  const e = event as FetchEvent;
  e.respondWith(handleChat(e.request, chatEnvFrom((name) => NOVA_ENV[name]), (work) => e.waitUntil(work)));
});
