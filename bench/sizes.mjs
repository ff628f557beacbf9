// The requests every assemble benchmark measures, native and JS alike (one definition):
// tests/js/requests.js's makeRequest, a couple with full profiles, N memories and 10
// insights (2 for S), a message that switches the relationship layer on, the default
// max_chars. XL is far over the budget (most memories dropped by relevance); XXL is over
// the engine's 2,000-item limit, so it measures how fast such a request is refused.
import { makeRequest } from '../tests/js/requests.js';

export { routeParts } from '../tests/js/requests.js';

export const SIZES = [
  { id: 'S', memories: 3, insights: 2, label: 'S: 3 memories, 2 insights' },
  { id: 'M', memories: 50, insights: 10, label: 'M: 50 memories, 10 insights' },
  { id: 'L', memories: 200, insights: 10, label: 'L: 200 memories, 10 insights' },
  { id: 'XL', memories: 2000, insights: 10, label: 'XL: 2,000 memories (the limit), far over budget' },
  { id: 'XXL', memories: 10000, insights: 10, label: 'XXL: 10,000 memories: refused (limit_exceeded)' },
];

/** The cost-against-size sweep (native): 0 to 2,000 memories. */
export const SWEEP = Array.from({ length: 21 }, (_, i) => i * 100);

export function request(size) {
  return makeRequest({ memories: size.memories, insights: size.insights });
}
