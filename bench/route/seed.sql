-- Route benchmark data: the measured couple (Alex & Sam: profiles, an AI-built partner profile
-- left over from before they linked, a detection config, 200 active memories (+20 inactive),
-- 20 insights) among 200 other couples with 100 memories each, so the indexes matter.
-- Deterministic: ids and timestamps come from row numbers.
create or replace function pg_temp.u(kind int, n int) returns uuid language sql immutable as $$
  select (lpad(to_hex(kind), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid
$$;

insert into auth.users (id, email, raw_user_meta_data)
select pg_temp.u(1, g), 'user' || g || '@bench.test', jsonb_build_object('full_name', 'User ' || g)
  from generate_series(1, 402) g;
update public.user_profiles set tone = 'warm and direct', interests = array['climbing', 'cooking', 'jazz'],
       emotional_patterns = 'withdraws when stressed', communication_style = 'prefers writing things down',
       memory_summary = '{"themes": ["trust", "time together"], "goals": {"short": "weekly date night"}}',
       setup_mode = 'self_written';

insert into public.partnerships (id, user_a, user_b, invite_code, status)
select pg_temp.u(2, g), pg_temp.u(1, 2 * g - 1), pg_temp.u(1, 2 * g), '0000-0000-' || lpad(g::text, 4, '0'), 'active'
  from generate_series(1, 201) g;

insert into public.partner_profiles (owner_user_id, name, traits, relational_tendencies, important_truths, ai_notes, source)
select pg_temp.u(1, 2 * g - 1), 'User ' || (2 * g), array['patient', 'private'], array['goes quiet after an argument'],
       array['values honesty'], 'Opens up on walks.', 'ai_generated'
  from generate_series(1, 201) g;

insert into public.detection_config (partnership_id, partner_names, custom_keywords)
select pg_temp.u(2, g), array['User ' || (2 * g)], '{"strong": ["anniversary"], "medium": ["date night"], "weak": ["dinner"]}'
  from generate_series(1, 201) g;

-- Couple 1 (the measured one): 220 memories, 200 of them active; the others 100 each.
insert into public.shared_memories (partnership_id, category, about_user, content, confidence, is_active, created_at, updated_at)
select pg_temp.u(2, g),
       (array['preference', 'emotional_need', 'important_date', 'gift_idea', 'growth_moment', 'pattern', 'general'])[1 + (k % 7)],
       case k % 3 when 0 then pg_temp.u(1, 2 * g - 1) when 1 then pg_temp.u(1, 2 * g) end,
       'Memory ' || k || ' of couple ' || g || ': ' || repeat('a detail worth keeping, ', 4),
       ((g * 37 + k * 53) % 101) / 100.0,
       case when g = 1 then k <= 200 else k % 10 <> 0 end,
       timestamptz '2026-11-01 00:00:00+00' - k * interval '1 hour',
       timestamptz '2026-11-01 00:00:00+00' - k * interval '1 hour'
  from generate_series(1, 201) g, generate_series(1, 220) k
 where g = 1 or k <= 100;

insert into public.shared_insights (partnership_id, category, about_user, title, content, updated_at)
select pg_temp.u(2, g),
       (array['emotional_need', 'communication', 'appreciation', 'conflict_style', 'growth_area', 'strength', 'gift_relevant'])[1 + (k % 7)],
       case k % 2 when 0 then pg_temp.u(1, 2 * g - 1) end,
       'Insight ' || k, 'Insight ' || k || ' of couple ' || g || ': naming the change early helps.',
       timestamptz '2026-11-01 00:00:00+00' - k * interval '1 day'
  from generate_series(1, 201) g, generate_series(1, 20) k;

analyze;
