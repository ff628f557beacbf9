// llm — where the demo's model answers come from: a real OpenAI-compatible endpoint when
// NOVA_LLM_BASE_URL is set (POST {base}/chat/completions), else the outputs recorded in the
// demo script, labelled as recorded wherever they are shown.
//   NOVA_LLM_BASE_URL   e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1 (Ollama)
//   NOVA_LLM_MODEL      the model name the endpoint serves (required with the URL)
//   NOVA_LLM_API_KEY    sent as "Authorization: Bearer ..." when set
//   NOVA_LLM_TIMEOUT_MS per call, default 60000
import { CliError } from './errors.js';

/**
 * @typedef {{ role: 'system' | 'user' | 'assistant', content: string }} ChatMessage
 * @typedef {{ live: boolean, label: string, chat(messages: ChatMessage[], recorded: string): Promise<string> }} Model
 */

/**
 * The model the demo talks to.
 * @param {Record<string, string | undefined>} env
 * @returns {Model}
 */
export function chooseModel(env) {
  const base = env.NOVA_LLM_BASE_URL?.trim();
  if (!base) {
    return { live: false, label: 'recorded', chat: async (_messages, recorded) => recorded };
  }
  const model = env.NOVA_LLM_MODEL?.trim();
  if (!model) {
    throw new CliError('NOVA_LLM_BASE_URL is set but NOVA_LLM_MODEL is not', {
      hint: 'set NOVA_LLM_MODEL to a model your endpoint serves (e.g. gpt-4o-mini), or unset NOVA_LLM_BASE_URL to use the recorded outputs',
    });
  }
  let url;
  try {
    url = new URL(`${base.replace(/\/+$/, '')}/chat/completions`);
  } catch {
    throw new CliError(`NOVA_LLM_BASE_URL is not a URL: ${base}`);
  }
  const timeout = Number(env.NOVA_LLM_TIMEOUT_MS ?? 60000);
  const headers = { 'content-type': 'application/json' };
  if (env.NOVA_LLM_API_KEY) headers.authorization = `Bearer ${env.NOVA_LLM_API_KEY}`;
  return {
    live: true,
    label: `live: ${model} at ${url.origin}`,
    async chat(messages) {
      let res;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ model, messages, temperature: 0 }),
          signal: AbortSignal.timeout(timeout),
        });
      } catch (e) {
        throw new CliError(`the model endpoint ${url} did not answer: ${/** @type {any} */ (e).cause?.message ?? /** @type {any} */ (e).message}`, { cause: e });
      }
      const body = await res.text();
      if (!res.ok) throw new CliError(`the model endpoint ${url} answered HTTP ${res.status}: ${body.slice(0, 300)}`);
      let content;
      try {
        content = JSON.parse(body).choices?.[0]?.message?.content;
      } catch {
        content = undefined;
      }
      if (typeof content !== 'string') {
        throw new CliError(`the model endpoint ${url} answered without choices[0].message.content: ${body.slice(0, 300)}`);
      }
      return content;
    },
  };
}
