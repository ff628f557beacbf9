// Request builders shared by the JS, Deno, browser suites and bench/: valid requests
// in the contract's shape (schema/nova-contract.schema.json) of a chosen size. Pure
// functions of their arguments (no clock, no randomness), so every runtime builds the same
// bytes.

const CATEGORIES = ['preference', 'emotional_need', 'important_date', 'gift_idea',
  'growth_moment', 'pattern', 'general'];
const INSIGHT_CATEGORIES = ['emotional_need', 'communication', 'appreciation',
  'conflict_style', 'growth_area', 'strength', 'gift_relevant'];

/** A deterministic UUID from a number (version-4 shaped). */
export function uuid(n, prefix = 'a') {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix.repeat(8)}-0000-4000-8000-${hex}`;
}

export const USER_ID = uuid(1, '1');
export const PARTNER_ID = uuid(2, '2');

/**
 * @param {{ memories?: number, insights?: number, message?: string }} [size]
 */
export function makeRequest({ memories = 3, insights = 2, message } = {}) {
  const mem = [];
  for (let i = 0; i < memories; i++) {
    mem.push({
      id: uuid(1000 + i),
      category: CATEGORIES[i % CATEGORIES.length],
      about_user: i % 3 === 0 ? PARTNER_ID : i % 3 === 1 ? USER_ID : null,
      content: `Memory ${i}: Sam likes ${['hiking', 'jazz', 'ramen', 'early mornings', 'board games'][i % 5]} — noted ${i % 7} times.`,
      confidence: ((i * 37) % 100) / 100,
      updated_at: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
    });
  }
  const ins = [];
  for (let i = 0; i < insights; i++) {
    ins.push({
      id: uuid(5000 + i),
      category: INSIGHT_CATEGORIES[i % INSIGHT_CATEGORIES.length],
      about_user: i % 2 ? PARTNER_ID : null,
      title: `Insight ${i}`,
      content: `When plans change late, Sam feels unheard; naming the change early helps (${i}).`,
      updated_at: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}T08:30:00Z`,
    });
  }
  return {
    context: {
      user_id: USER_ID,
      user: {
        name: 'Alex',
        tone: 'warm and direct',
        interests: ['climbing', 'cooking'],
        emotional_patterns: 'withdraws when stressed',
        communication_style: 'prefers writing things down',
        memory_summary: { themes: ['trust', 'time together'] },
        setup_mode: 'self_written',
        version: 3,
      },
      partnership: { id: uuid(3, '3'), status: 'active', partner_user_id: PARTNER_ID },
      reference: {
        source: 'ai_generated',
        user_id: null,
        name: 'Sam',
        traits: ['thoughtful', 'punctual'],
        relational_tendencies: ['needs time to process'],
        important_truths: ['values honesty'],
        ai_notes: 'Sam opens up on walks.',
      },
      detection: {
        partner_names: ['Sam', 'Sammy'],
        custom_keywords: { strong: ['anniversary'], medium: ['date night'], weak: ['dinner'] },
        relationship_threshold: 2,
      },
      memories: mem,
      insights: ins,
      chat_memory_summary: 'They talked about planning a weekend away.',
    },
    message: message ?? 'I had a fight with Sam about our anniversary dinner, what should I do?',
    options: { max_chars: 24000, insights: 'auto', now: '2026-11-25T12:00:00Z' },
  };
}

export const small = () => makeRequest({ memories: 3, insights: 2 });
export const medium = () => makeRequest({ memories: 50, insights: 10 });
export const large = () => makeRequest({ memories: 500, insights: 10 });

/** The request split as the route has it: the RPC's context, and what the route adds
 * (assembleContext's input). */
export function routeParts(req) {
  const { chat_memory_summary, fallback_name, ...context } = req.context;
  return { context, input: { message: req.message, chatMemorySummary: chat_memory_summary ?? null,
    fallbackName: fallback_name ?? null, options: req.options } };
}
