// A STAND-IN for an OpenAI-compatible LLM provider (no model can run here): POST
// /v1/chat/completions on loopback, answering as the Chat Completions API does, streamed
// as server-sent events (`data: {chunk}` lines, then `data: [DONE]`) when `stream` is true,
// one JSON completion otherwise. Its answers are scripted by the last user message:
//   contains "[fail-midstream]"  two chunks of the reply, then the connection is cut (a
//                                provider dying mid-stream)
//   anything else                "Stub reply to: <the message's first 60 characters>" in
//                                chunks of 8 characters
// A non-streaming call is the memory step: its answer is an {"operations": [...]} object,
// with one "add" (about the relationship) for each "[remember: TEXT]" in the request, and
// no operations otherwise. Every request body is kept (requests()) for the test to read the
// system prompt the route sent.
import { createServer } from 'node:http';

const CHUNK = 8;

function lastUserText(body) {
  const users = (body.messages ?? []).filter((m) => m.role === 'user');
  return String(users.at(-1)?.content ?? '');
}

export function replyFor(message) {
  return `Stub reply to: ${message.slice(0, 60)}`;
}

function memoryOutput(body) {
  const all = (body.messages ?? []).map((m) => String(m.content)).join('\n');
  const operations = [...all.matchAll(/\[remember: ([^\]]+)\]/g)].map((m) => ({
    op: 'add', category: 'general', about: 'relationship', content: m[1], confidence: 0.9,
  }));
  // Chatty models wrap their JSON in prose: the engine must find it anyway.
  return `Here is what I would keep:\n${JSON.stringify({ operations })}`;
}

/** Starts the stub on 127.0.0.1 (a free port): { url (the /v1 base), requests(), reset(), close() }. */
export function startLlmStub({ apiKey = 'stub-key' } = {}) {
  const seen = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    seen.push(body);
    const id = `chatcmpl-stub-${seen.length}`;
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id, object: 'chat.completion', model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: memoryOutput(body) }, finish_reason: 'stop' }],
      }));
      return;
    }
    const message = lastUserText(body);
    const reply = replyFor(message);
    const fail = message.includes('[fail-midstream]');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (delta, finish = null) => res.write(`data: ${JSON.stringify({
      id, object: 'chat.completion.chunk', model: body.model, choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`);
    send({ role: 'assistant', content: '' });
    for (let i = 0, n = 0; i < reply.length; i += CHUNK, n++) {
      if (fail && n === 2) {
        await new Promise((r) => setTimeout(r, 20));
        res.socket.destroy(); // the provider dies: no [DONE], no finish_reason
        return;
      }
      send({ content: reply.slice(i, i + CHUNK) });
    }
    send({}, 'stop');
    res.end('data: [DONE]\n\n');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}/v1`,
      apiKey,
      requests: () => seen.slice(),
      reset: () => { seen.length = 0; },
      close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
    }));
  });
}
