-- Seed data of the runtimes suite (after migrations/ and the example's chat tables). Fixed
-- ids and timestamps, so the prompts are the golden files' bytes.
--   Nora  signed up, but has no user_profiles row (the fallback name path)
--   Sol   solo: no partnership, an AI-built partner profile of Robin
--   Alex + Sam  a linked couple: profiles, detection config, shared memories and insights
--   Eve   a stranger, with a chat of her own
insert into auth.users (id, email, raw_user_meta_data) values
  ('10000000-0000-4000-8000-000000000001', 'nora@example.test', '{"full_name": "Nora Quinn"}'),
  ('10000000-0000-4000-8000-000000000002', 'sol@example.test', '{"full_name": "Sol"}'),
  ('10000000-0000-4000-8000-000000000003', 'alex@example.test', '{"full_name": "Alex"}'),
  ('10000000-0000-4000-8000-000000000004', 'sam@example.test', '{"full_name": "Sam"}'),
  ('10000000-0000-4000-8000-000000000005', 'eve@example.test', '{"full_name": "Eve"}');

-- The signup trigger made a row for everyone: Nora's goes, the others get their answers.
delete from public.user_profiles where id = '10000000-0000-4000-8000-000000000001';
update public.user_profiles set tone = 'calm and curious', interests = array['running', 'poetry'],
       communication_style = 'thinks out loud', setup_mode = 'self_written'
 where id = '10000000-0000-4000-8000-000000000002';
update public.user_profiles set tone = 'warm and direct', interests = array['climbing', 'cooking'],
       emotional_patterns = 'withdraws when stressed', communication_style = 'prefers writing things down',
       memory_summary = '{"themes": ["trust", "time together"]}', setup_mode = 'self_written'
 where id = '10000000-0000-4000-8000-000000000003';
update public.user_profiles set tone = 'playful', interests = array['jazz', 'board games'],
       emotional_patterns = 'needs time to process', communication_style = 'talks it through on walks',
       setup_mode = 'quiz_generated'
 where id = '10000000-0000-4000-8000-000000000004';

insert into public.partner_profiles (id, owner_user_id, name, traits, relational_tendencies, important_truths, ai_notes, source, updated_at)
values ('20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', 'Robin',
        array['patient', 'private'], array['goes quiet after an argument'], array['their father was ill last year'],
        'Robin opens up over cooking.', 'ai_generated', '2026-10-01 09:00:00+00');

insert into public.partnerships (id, user_a, user_b, invite_code, status)
values ('30000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000003',
        '10000000-0000-4000-8000-000000000004', '0000-0000-0001', 'active');

insert into public.detection_config (partnership_id, partner_names, custom_keywords, relationship_threshold)
values ('30000000-0000-4000-8000-000000000001', array['Sam', 'Sammy'],
        '{"strong": ["anniversary"], "medium": ["date night"], "weak": ["dinner"]}', 2.0);

insert into public.shared_memories (id, partnership_id, category, about_user, content, confidence, created_at, updated_at) values
  ('40000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', 'important_date',
   null, 'Their anniversary is on June 12.', 1.0, '2026-06-01 10:00:00+00', '2026-06-01 10:00:00+00'),
  ('40000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000001', 'preference',
   '10000000-0000-4000-8000-000000000004', 'Sam loves jazz brunches.', 0.9, '2026-07-03 10:00:00+00', '2026-07-03 10:00:00+00'),
  ('40000000-0000-4000-8000-000000000003', '30000000-0000-4000-8000-000000000001', 'emotional_need',
   '10000000-0000-4000-8000-000000000003', 'Alex needs a heads-up before plans change.', 0.8, '2026-08-15 10:00:00+00', '2026-08-15 10:00:00+00'),
  ('40000000-0000-4000-8000-000000000004', '30000000-0000-4000-8000-000000000001', 'pattern',
   null, 'Arguments about chores start on Sunday evenings.', 0.4, '2026-09-20 10:00:00+00', '2026-09-20 10:00:00+00');

insert into public.shared_insights (id, partnership_id, category, about_user, title, content, updated_at) values
  ('50000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', 'communication',
   null, 'Walk and talk', 'Hard conversations go better on a walk than at the table.', '2026-10-02 08:30:00+00'),
  ('50000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000001', 'appreciation',
   '10000000-0000-4000-8000-000000000004', 'Small gestures', 'Sam feels loved through small, planned surprises.', '2026-10-05 08:30:00+00');

insert into public.chats (id, user_id, title, memory_summary) values
  ('60000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'First chat', null),
  ('60000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000002', 'About Robin', 'Sol wants to support Robin without pushing.'),
  ('60000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000003', 'Weekend plans', 'They talked about planning a weekend away.'),
  ('60000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000005', 'Eve''s chat', null);

insert into public.messages (chat_id, role, content, created_at) values
  ('60000000-0000-4000-8000-000000000003', 'user', 'We want a weekend away, somewhere quiet.', '2026-11-20 18:00:00+00'),
  ('60000000-0000-4000-8000-000000000003', 'assistant', 'A quiet cabin could be lovely. What does Sam enjoy?', '2026-11-20 18:00:05+00');
