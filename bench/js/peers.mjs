// The alternative a route author would pick instead of the engine: a hand-written template
// assembler in the route itself (template literals, map/join, one regex for the keywords).
// It builds the same six layers from the same context, in the same order, with the same
// creator texts and headings, so its prompt is the engine's prompt give or take the
// engine's extras. What it does NOT do (the engine does): Unicode sanitizing (invisible
// and bidi characters, markers, caps), whole-word matching with case/accent folding and
// possessives, distinct-term scoring, relevance ranking, the exact code-point budget. It
// collapses white space in one-line fields and drops the least confident memories when
// over max_chars, as a careful author would. Used by bench/js/assemble.mjs, in the same
// process and loop as the engine.
const MEMORY_HEADINGS = [['important_date', 'Important dates'], ['emotional_need', 'Emotional needs'],
  ['preference', 'Preferences'], ['pattern', 'Patterns'], ['growth_moment', 'Growth moments'],
  ['gift_idea', 'Gift ideas'], ['general', 'Other']];
const INSIGHT_HEADINGS = [['emotional_need', 'Emotional needs'], ['communication', 'Communication'],
  ['conflict_style', 'Conflict style'], ['appreciation', 'Appreciation'], ['strength', 'Strengths'],
  ['growth_area', 'Growth areas'], ['gift_relevant', 'Gifts']];
const WEIGHTS = { strong: 2, medium: 1, weak: 0.5 };

const line = (s) => String(s).replace(/\s+/g, ' ').trim();
const field = (label, v) => (v ? `${label}: ${line(v)}\n` : '');

/** texts: { core, memory, insight, relationship, keywords: { strong, medium, weak } } (file contents). */
export function makeTemplateAssembler(texts) {
  const builtin = {};
  for (const tier of ['strong', 'medium', 'weak']) {
    builtin[tier] = texts.keywords[tier].split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  }
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const detectors = new Map(); // one compiled regex per detection configuration
  function detector(detection, partnerName) {
    const key = JSON.stringify([detection, partnerName]);
    let d = detectors.get(key);
    if (!d) {
      const tierOf = new Map();
      const add = (terms, tier) => {
        for (const t of terms ?? []) if (t && !tierOf.has(t.toLowerCase())) tierOf.set(t.toLowerCase(), tier);
      };
      add(detection?.partner_names, 'strong');
      if (partnerName) add([partnerName], 'strong');
      for (const tier of ['strong', 'medium', 'weak']) {
        add(detection?.custom_keywords?.[tier], tier);
        add(builtin[tier], tier);
      }
      const terms = [...tierOf.keys()].sort((a, b) => b.length - a.length);
      d = { tierOf, re: new RegExp(`\\b(?:${terms.map(escape).join('|')})\\b`, 'gi'),
        threshold: detection?.relationship_threshold ?? 2 };
      detectors.set(key, d);
    }
    return d;
  }

  return function assemble(context, message, { chatMemorySummary = null, fallbackName = null, options = {} } = {}) {
    const user = context.user;
    const ref = context.reference;
    const userName = user?.name ?? fallbackName ?? 'the user';
    const partnerName = ref?.name ?? context.detection?.partner_names?.[0] ?? 'their partner';
    const who = (id) => (id == null ? 'the relationship' : id === context.user_id ? userName
      : id === (ref?.user_id ?? context.partnership?.partner_user_id) ? partnerName : 'someone else');

    const d = detector(context.detection, ref?.name);
    const seen = new Set();
    let score = 0;
    for (const m of message.matchAll(d.re)) {
      const t = m[0].toLowerCase();
      if (!seen.has(t)) { seen.add(t); score += WEIGHTS[d.tierOf.get(t)] ?? 0; }
    }
    const relationship = score >= d.threshold;

    let mainUser = `<nova:main_user>\nThe user you are talking with:\nName: ${line(userName)}\n`;
    if (user) {
      mainUser += field('Preferred tone', user.tone) + field('Interests', user.interests?.join(', ')) +
        field('Emotional patterns', user.emotional_patterns) + field('Communication style', user.communication_style);
      const summary = Object.entries(user.memory_summary ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `- ${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : v}`);
      if (summary.length) mainUser += `What Nova has learned about them (profile summary):\n${summary.join('\n')}\n`;
    }
    mainUser += '</nova:main_user>\n';

    let reference = '';
    if (ref) {
      reference = '<nova:reference>\nThe user\'s partner, as Nova has come to know them from the user\'s conversations.\n' +
        field('Name', ref.name) + field('Preferred tone', ref.tone) + field('Emotional patterns', ref.emotional_patterns) +
        field('Communication style', ref.communication_style) + field('Notes', ref.ai_notes);
      for (const [h, list] of [['Important to know', ref.important_truths], ['Traits', ref.traits],
        ['How they tend to act in the relationship', ref.relational_tendencies], ['Interests', ref.interests]]) {
        if (list?.length) reference += `${h}:\n${list.map((x) => `- ${line(x)}`).join('\n')}\n`;
      }
      reference += '</nova:reference>\n';
    }

    const memoryLayer = (memories) => {
      if (!memories.length && !chatMemorySummary) return '';
      let s = `<nova:memory>\n${texts.memory.trimEnd()}\n`;
      for (const [cat, heading] of MEMORY_HEADINGS) {
        const items = memories.filter((m) => m.category === cat);
        if (!items.length) continue;
        s += `${heading}:\n${items.map((m) => `- About ${who(m.about_user)}${m.confidence < 0.5 ? ' (tentative)' : ''}: ${m.content}`).join('\n')}\n`;
      }
      if (chatMemorySummary) s += `Summary of this conversation so far: ${chatMemorySummary}\n`;
      return `${s}</nova:memory>\n`;
    };
    const active = (context.memories ?? []).filter((m) => m.is_active !== false)
      .sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1));

    let insight = '';
    const insights = (context.insights ?? []).filter((i) => i.is_active !== false);
    const mode = options.insights ?? 'auto';
    if (insights.length && (mode === 'always' || (mode === 'auto' && relationship))) {
      insight = `<nova:insight>\n${texts.insight.trimEnd()}\n`;
      for (const [cat, heading] of INSIGHT_HEADINGS) {
        const items = insights.filter((i) => i.category === cat);
        if (items.length) insight += `${heading}:\n${items.map((i) => `- ${i.title} (about ${who(i.about_user)}): ${i.content}`).join('\n')}\n`;
      }
      insight += '</nova:insight>\n';
    }
    const rel = relationship ? `<nova:relationship>\n${texts.relationship.trimEnd()
      .replaceAll('{{user_name}}', userName).replaceAll('{{partner_name}}', partnerName)}\n</nova:relationship>\n` : '';

    const fixed = `<nova:core>\n${texts.core.trimEnd()}\n</nova:core>\n\n${mainUser}${reference ? `\n${reference}` : ''}`;
    const tail = `${insight ? `\n${insight}` : ''}${rel ? `\n${rel}` : ''}`;
    const max = options.max_chars ?? 24000;
    let kept = active;
    let memory = memoryLayer(kept);
    if (fixed.length + memory.length + tail.length + 1 > max && kept.length) {
      // Over budget: drop the least confident memories, then try again.
      kept = [...active].sort((a, b) => b.confidence - a.confidence);
      while (kept.length && fixed.length + (memory = memoryLayer(kept)).length + tail.length + 1 > max) {
        kept = kept.slice(0, Math.floor(kept.length * 0.9));
      }
      if (!kept.length) memory = memoryLayer(kept);
    }
    return { prompt: `${fixed}${memory ? `\n${memory}` : ''}${tail}`, relationship, score };
  };
}
