// demo-script — the people and the conversations of `nova-layers demo`: a couple who link
// their accounts (Maya and Sam) and a solo user whose partner has no account (Jordan, who
// talks about Alex). Nova's replies and the memory step's model outputs are recorded here;
// with NOVA_LLM_BASE_URL set they come from the model instead.

// Demo accounts are marked so that only they are ever removed (see demo.js).
export const DEMO_EMAIL_DOMAIN = 'nova-layers-demo.invalid';

export const PEOPLE = {
  maya: {
    email: `maya@${DEMO_EMAIL_DOMAIN}`,
    full_name: 'Maya',
    // Filled in by Maya herself (the app's profile form: an update of her own row).
    profile: {
      tone: 'warm and direct, a little playful',
      interests: ['hiking', 'pottery', 'jazz'],
      emotional_patterns: 'Replays an argument in her head for hours afterwards.',
      communication_style: 'Direct; appreciates honesty more than comfort.',
      setup_mode: 'self_written',
    },
  },
  sam: {
    email: `sam@${DEMO_EMAIL_DOMAIN}`,
    full_name: 'Sam',
    profile: {
      tone: 'calm and concise',
      interests: ['cycling', 'coffee', 'board games'],
      emotional_patterns: 'Needs time alone to process before talking.',
      communication_style: 'Prefers short, concrete conversations.',
      setup_mode: 'quiz_generated',
    },
  },
  jordan: {
    email: `jordan@${DEMO_EMAIL_DOMAIN}`,
    full_name: 'Jordan',
    profile: null, // never filled in: the prompt uses the sign-up name only
  },
};

// The couple's detection settings (service role): a nickname and a phrase of their own.
export const COUPLE_DETECTION = {
  partner_names: ['Sammy'],
  custom_keywords: { strong: null, medium: ['dishes'], weak: null },
  relationship_threshold: 2,
};

// Jordan's AI-built profile of Alex as earlier chats left it (partner_profiles: the
// service role writes it; the memory update appends to it).
export const SOLO_PARTNER_PROFILE = {
  name: 'Alex',
  traits: ['works long shifts as a chef'],
  relational_tendencies: null,
  important_truths: null,
  ai_notes: 'Jordan describes Alex as warm but often tired.',
};

// An insight as a background job would write it (the insight layer's data).
export const COUPLE_INSIGHT = {
  category: 'conflict_style',
  about: null, // the relationship
  title: 'Pursue and withdraw',
  content: 'When Maya presses to talk, Sam tends to withdraw; both do better with a time set aside to talk.',
};

// The memory step's recorded model outputs: what a model answers to the memory prompt
// (prompts/memory_update.txt: {"operations": [...]}, memories named m1, m2, ...).
const ops = (...operations) => JSON.stringify({ operations });

/**
 * The conversations, in the order they run. Each turn: the message, Nova's recorded reply
 * and the memory step's recorded model output (used unless a live model is configured).
 */
export const CONVERSATIONS = [
  {
    title: 'Maya (linked with Sam)',
    person: 'maya',
    turns: [
      {
        message: 'Sam and I argued about the dishes again last night. How do I bring it up without another fight?',
        reply: 'That sounds exhausting, especially when it keeps coming back. Pick a calm moment, not right after dinner, and start with how it feels for you rather than who did what: "I feel alone with the dishes and it is wearing on me." Then ask Sam what would work for him.',
        memory: ops(
          { op: 'add', category: 'pattern', about: 'relationship', content: 'Maya and Sam keep coming back to arguments about the dishes.', confidence: 0.9 },
          { op: 'add', category: 'emotional_need', about: 'user', content: 'Maya wants to raise problems calmly, without it turning into a fight.', confidence: 0.8 },
        ),
      },
      {
        message: 'Our anniversary is on June 12 and I want to plan something small that Sammy would love.',
        reply: 'Small can be perfect. Sam loves cycling and good coffee: a morning ride to a café you have never tried, then a quiet breakfast together, could feel just right for him. Would you like a few café ideas along an easy route?',
        // The first is already recorded (m1): the engine drops it as a duplicate.
        memory: ops(
          { op: 'add', category: 'pattern', about: 'relationship', content: 'Maya and Sam keep coming back to arguments about the dishes.', confidence: 0.9 },
          { op: 'add', category: 'important_date', about: 'relationship', content: 'Maya and Sam\'s anniversary is on June 12.', confidence: 1 },
          { op: 'add', category: 'preference', about: 'user', content: 'Maya wants to mark the anniversary with something small.', confidence: 0.8 },
        ),
      },
    ],
  },
  {
    title: 'Sam (linked with Maya)',
    person: 'sam',
    turns: [
      {
        message: 'Work has been brutal this week and I keep snapping at people. How do I switch off in the evening?',
        reply: 'A hard week leaves little patience. Try a short transition between work and home: ten minutes of cycling or a walk before you walk in the door, phone away. It gives your head a moment to land before anyone needs you.',
        memory: ops(), // a passing mood: nothing worth keeping
      },
      {
        message: 'I think Maya noticed I was short with her. How do I apologize?',
        reply: 'Keep it short and honest, which suits you: name what you did, own it, and say what you will try. "I was short with you this week. That was not fair to you; work got to me. I am taking a walk after work to reset." Then listen.',
        memory: ops(
          { op: 'add', category: 'growth_moment', about: 'user', content: 'Sam wants to own it and apologize when he has been short with Maya.', confidence: 0.8 },
        ),
      },
    ],
  },
  {
    title: 'Jordan (solo: the partner has no account)',
    person: 'jordan',
    turns: [
      {
        message: 'My boyfriend Alex keeps cancelling our plans at the last minute. How do I tell him it hurts?',
        reply: 'It makes sense that it hurts: plans are a way of being chosen. Tell Alex at a calm time, with one example and how it felt: "When Friday got cancelled an hour before, I felt like an afterthought." Then ask what is going on for him.',
        // Jordan has no partnership: a shared memory is not on offer, only notes about Alex.
        memory: ops(
          { op: 'partner_note', field: 'relational_tendencies', content: 'Alex often cancels plans at the last minute.' },
          { op: 'add', category: 'pattern', about: 'relationship', content: 'Alex cancels plans at the last minute.', confidence: 0.9 },
        ),
      },
      {
        message: 'Alex said he has been anxious about money lately. Should I offer to split costs differently?',
        reply: 'That is a kind instinct. Before offering a new split, ask Alex how he sees it: some people feel relief, others feel embarrassed. Low-cost plans you both enjoy can take the pressure off while you talk it through.',
        memory: ops(
          { op: 'partner_note', field: 'important_truths', content: 'Alex has been anxious about money lately.' },
        ),
      },
    ],
  },
];
