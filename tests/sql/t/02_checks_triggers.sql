-- Check constraints, the version/updated_at triggers and the signup trigger.
begin;
select plan(39);
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'p' as p, s ->> 'm' as m from tests.seed_couple() s \gset

-- Enumerations and ranges.
select throws_ok(format($$update public.user_profiles set setup_mode = 'quiz' where id = %L$$, :'a'),
  '23514', null, 'setup_mode outside the list is refused');
select lives_ok(format($$update public.user_profiles set setup_mode = 'quiz_generated' where id = %L$$, :'a'),
  'setup_mode quiz_generated is accepted');
select throws_ok(format($$update public.partnerships set status = 'paused' where id = %L$$, :'p'),
  '23514', null, 'partnership status outside the list is refused');
select throws_ok(format($$insert into public.partnerships (user_a, invite_code) values (%L, 'not-a-code')$$, :'a'),
  '23514', null, 'malformed invite code is refused');
select throws_ok(format($$insert into public.partnerships (user_a, invite_code) values (%L, 'ILOU-ILOU-ILOU')$$, :'a'),
  '23514', null, 'invite code with ambiguous letters is refused');
select throws_ok(format($$insert into public.partnerships (user_a, user_b, invite_code, status) values (%L, %L, 'ZZZZ-ZZZZ-ZZZZ', 'active')$$, :'a', :'a'),
  '23514', null, 'a user cannot partner with themselves');
select throws_ok(format($$insert into public.partnerships (user_a, invite_code, status) values (%L, 'ZZZZ-ZZZZ-ZZZY', 'active')$$, :'a'),
  '23514', null, 'an active partnership needs user_b');
select throws_ok(format($$insert into public.partnerships (user_a, invite_code) values (%L, 'AAAA-BBBB-CCCC')$$, :'b'),
  '23505', null, 'invite codes are unique');
select throws_ok(format($$insert into public.partner_profiles (owner_user_id, name, source) values (%L, 'X', 'guess')$$, :'a'),
  '23514', null, 'partner_profiles source outside the list is refused');
select throws_ok(format($$insert into public.partner_profiles (owner_user_id, name) values (%L, '')$$, :'a'),
  '23514', null, 'empty partner name is refused');
select throws_ok(format($$insert into public.partner_profiles (owner_user_id, name, traits) values (%L, 'X', array[repeat('t', 501)])$$, :'a'),
  '23514', null, 'overlong trait is refused');
select throws_ok(format($$insert into public.shared_memories (partnership_id, category, content) values (%L, 'gossip', 'x')$$, :'p'),
  '23514', null, 'memory category outside the list is refused');
select throws_ok(format($$insert into public.shared_memories (partnership_id, content, confidence) values (%L, 'x', 1.5)$$, :'p'),
  '23514', null, 'confidence above 1 is refused');
select throws_ok(format($$insert into public.shared_memories (partnership_id, content, confidence) values (%L, 'x', -0.1)$$, :'p'),
  '23514', null, 'negative confidence is refused');
select throws_ok(format($$insert into public.shared_memories (partnership_id, content) values (%L, '   ')$$, :'p'),
  '23514', null, 'blank memory content is refused');
select throws_ok(format($$insert into public.shared_memories (partnership_id, content) values (%L, repeat('x', 2001))$$, :'p'),
  '23514', null, 'memory content over 2000 characters is refused');
select throws_ok(format($$insert into public.shared_insights (partnership_id, category, title, content) values (%L, 'preference', 't', 'c')$$, :'p'),
  '23514', null, 'insight category outside the list is refused');
select throws_ok(format($$insert into public.shared_insights (partnership_id, title, content) values (%L, 't', 'c')$$, :'p'),
  '23502', null, 'insight category is required');
select throws_ok(format($$insert into public.detection_config (partnership_id, partner_names) values (%L, '{}')$$, :'p'),
  '23505', null, 'a second detection_config for one partnership is refused');
select throws_ok(format($$update public.detection_config set custom_keywords = '{"loud": ["x"]}' where partnership_id = %L$$, :'p'),
  '23514', null, 'custom_keywords with an unknown strength is refused');
select throws_ok(format($$update public.detection_config set custom_keywords = '{"strong": [1]}' where partnership_id = %L$$, :'p'),
  '23514', null, 'custom_keywords with a non-string keyword is refused');
-- Terms are limited in bytes, as the engine counts them: 200 bytes is the most.
select lives_ok(format($$update public.detection_config set partner_names = array[repeat('n', 200)], custom_keywords = jsonb_build_object('weak', jsonb_build_array(repeat('é', 100))) where partnership_id = %L$$, :'p'),
  'a 200-byte partner name and a 200-byte keyword are accepted');
select throws_ok(format($$update public.detection_config set partner_names = array[repeat('é', 101)] where partnership_id = %L$$, :'p'),
  '23514', null, 'a partner name of 101 characters but 202 bytes is refused');
select throws_ok(format($$update public.detection_config set custom_keywords = jsonb_build_object('strong', jsonb_build_array('ok', repeat('ж', 101))) where partnership_id = %L$$, :'p'),
  '23514', null, 'a custom keyword over 200 bytes is refused');
select throws_ok(format($$update public.detection_config set partner_names = array['Sam', null] where partnership_id = %L$$, :'p'),
  '23514', null, 'a null partner name is refused');
select throws_ok(format($$update public.user_profiles set name = repeat('a', 101) where id = %L$$, :'a'),
  '23514', null, 'a profile name over 100 characters (the engine''s name cap) is refused');
select throws_ok(format($$update public.detection_config set relationship_threshold = -1 where partnership_id = %L$$, :'p'),
  '23514', null, 'negative threshold is refused');
select throws_ok(format($$update public.user_profiles set memory_summary = '[1, 2]' where id = %L$$, :'a'),
  '23514', null, 'memory_summary must be an object');

-- version: bumped only when memory_summary changes, never set by hand.
update public.user_profiles set memory_summary = '{"v": 1}' where id = :'a';
select is((select version from public.user_profiles where id = :'a'), 1, 'memory_summary change bumps version to 1');
update public.user_profiles set tone = 'warm' where id = :'a';
select is((select version from public.user_profiles where id = :'a'), 1, 'other changes leave version alone');
update public.user_profiles set memory_summary = '{"v": 1}' where id = :'a';
select is((select version from public.user_profiles where id = :'a'), 1, 'writing the same memory_summary does not bump');
update public.user_profiles set version = 42 where id = :'a';
select is((select version from public.user_profiles where id = :'a'), 1, 'version cannot be set by hand');

-- updated_at follows every update (clock_timestamp differs from the transaction's now()).
update public.shared_memories set updated_at = '2000-01-01' where id = :'m';
select ok((select updated_at > '2001-01-01' from public.shared_memories where id = :'m'),
  'updated_at is set by the trigger, not by the writer');
select is(
  (select count(*)::int from pg_trigger where not tgisinternal and tgname like '%set_updated_at'
      and tgrelid in ('public.user_profiles'::regclass, 'public.partner_profiles'::regclass,
                      'public.shared_memories'::regclass, 'public.shared_insights'::regclass)),
  4, 'every table with updated_at has the trigger');

-- Signup: name from full_name, else the e-mail's local part, else "there"; setup pending.
select tests.new_user('x@example.com', '  Dana  ') as u1, tests.new_user('jo.smith@example.com') as u2,
       tests.new_user(null) as u3, tests.new_user('@example.com', '') as u4 \gset
select is((select name || '/' || setup_mode || '/' || version from public.user_profiles where id = :'u1'),
  'Dana/pending/0', 'signup profile takes full_name, setup_mode pending, version 0');
select is((select name from public.user_profiles where id = :'u2'),
  'jo.smith', 'without full_name the e-mail local part is the name');
select is((select name from public.user_profiles where id = :'u3'),
  'there', 'without either the name is "there"');
select is((select name from public.user_profiles where id = :'u4'),
  'there', 'empty full_name and empty local part fall back to "there"');
select has_trigger('auth', 'users', 'nova_on_auth_user_created', 'signup trigger on auth.users');

select * from finish();
rollback;
