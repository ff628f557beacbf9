// What the JS benchmarks need from their runtime, the same under Node and Deno.
export const isDeno = typeof globalThis.Deno !== 'undefined';
export const runtime = isDeno ? `deno ${Deno.version.deno}` : `node ${process.versions.node}`;
export const args = isDeno ? Deno.args : process.argv.slice(2);

export async function readBytes(url) {
  if (isDeno) return Deno.readFile(url);
  const { readFile } = await import('node:fs/promises');
  return new Uint8Array(await readFile(url));
}

export async function readText(url) {
  return new TextDecoder().decode(await readBytes(url));
}

/** The creator texts and keyword lists, for the template peer. */
export async function peerTexts() {
  const at = (p) => new URL(`../../${p}`, import.meta.url);
  const [core, memory, insight, relationship, strong, medium, weak] = await Promise.all(
    ['prompts/core.txt', 'prompts/memory.txt', 'prompts/insight.txt', 'prompts/relationship.txt',
      'src/detect_lists/strong.txt', 'src/detect_lists/medium.txt', 'src/detect_lists/weak.txt'].map((p) => readText(at(p))));
  return { core, memory, insight, relationship, keywords: { strong, medium, weak } };
}
