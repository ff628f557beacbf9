-- Bench data: 1,000 active partnerships (2,000 users) x 100 memories = 100,000 memories,
-- plus 10 insights, one detection_config and one AI-built partner profile per couple.
-- Deterministic apart from invite codes: ids come from the row number.
create or replace function pg_temp.bench_uuid(kind int, n int) returns uuid language sql immutable as $$
  select (lpad(to_hex(kind), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid
$$;

insert into auth.users (id, email, raw_user_meta_data)
select pg_temp.bench_uuid(1, g), 'user' || g || '@bench.test', jsonb_build_object('full_name', 'User ' || g)
  from generate_series(1, 2000) g;

update public.user_profiles
   set tone = 'warm', interests = array['music', 'hiking'], memory_summary = '{"summary": "bench"}';

insert into public.partnerships (id, user_a, user_b, invite_code, status)
select pg_temp.bench_uuid(2, g), pg_temp.bench_uuid(1, 2 * g - 1), pg_temp.bench_uuid(1, 2 * g),
       nova.generate_invite_code(), 'active'
  from generate_series(1, 1000) g;

insert into public.partner_profiles (owner_user_id, partnership_id, name, traits, source)
select pg_temp.bench_uuid(1, 2 * g - 1), pg_temp.bench_uuid(2, g), 'User ' || (2 * g), array['kind'], 'partner_account'
  from generate_series(1, 1000) g;

insert into public.detection_config (partnership_id, partner_names, custom_keywords)
select pg_temp.bench_uuid(2, g), array['User ' || (2 * g - 1), 'User ' || (2 * g)], '{"strong": ["date night"]}'
  from generate_series(1, 1000) g;

-- 100 memories per couple: categories rotate, about one partner, the other or both,
-- confidences spread over 0..1, one in ten inactive.
insert into public.shared_memories (partnership_id, category, about_user, content, confidence, is_active, created_at, updated_at)
select pg_temp.bench_uuid(2, g),
       (array['preference', 'emotional_need', 'important_date', 'gift_idea', 'growth_moment', 'pattern', 'general'])[1 + (k % 7)],
       case k % 3 when 0 then pg_temp.bench_uuid(1, 2 * g - 1) when 1 then pg_temp.bench_uuid(1, 2 * g) end,
       'Memory ' || k || ' of couple ' || g || ': ' || repeat('detail ', 10),
       ((g * 37 + k * 53) % 101) / 100.0,
       k % 10 <> 0,
       now() - (k * interval '1 hour'),
       now() - (k * interval '1 hour')
  from generate_series(1, 1000) g, generate_series(1, 100) k;

insert into public.shared_insights (partnership_id, category, about_user, title, content, updated_at)
select pg_temp.bench_uuid(2, g),
       (array['emotional_need', 'communication', 'appreciation', 'conflict_style', 'growth_area', 'strength', 'gift_relevant'])[1 + (k % 7)],
       case k % 2 when 0 then pg_temp.bench_uuid(1, 2 * g - 1) end,
       'Insight ' || k, 'Insight ' || k || ' of couple ' || g, now() - (k * interval '1 day')
  from generate_series(1, 1000) g, generate_series(1, 10) k;

analyze;
