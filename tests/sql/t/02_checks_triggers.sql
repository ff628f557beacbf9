-- Check constraints at their limits, the rules the tables hold themselves (membership,
-- forward-only status, about_user), the version/updated_at triggers and the signup trigger.
begin;
select plan(128);
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'c' as c, s ->> 'p' as p, s ->> 'm' as m, s ->> 'pp' as pp
  from tests.seed_couple() s \gset

-- Enumerations and ranges.
select throws_ok(format($$update public.user_profiles set setup_mode = 'quiz' where id = %L$$, :'a'),
  '23514', null, 'setup_mode outside the list is refused');
select lives_ok(format($$update public.user_profiles set setup_mode = 'quiz_generated' where id = %L$$, :'a'),
  'setup_mode quiz_generated is accepted');
select throws_ok(format($$insert into public.partnerships (user_a, invite_code) values (%L, 'not-a-code')$$, :'c'),
  '23514', null, 'malformed invite code is refused');
select throws_ok(format($$insert into public.partnerships (user_a, invite_code) values (%L, 'ILOU-ILOU-ILOU')$$, :'c'),
  '23514', null, 'invite code with ambiguous letters is refused');
select throws_ok(format($$insert into public.partnerships (user_a, user_b, invite_code, status) values (%L, %L, 'ZZZZ-ZZZZ-ZZZZ', 'active')$$, :'c', :'c'),
  '23514', null, 'a user cannot partner with themselves');
select throws_ok(format($$insert into public.partnerships (user_a, invite_code, status) values (%L, 'ZZZZ-ZZZZ-ZZZY', 'active')$$, :'c'),
  '23514', null, 'an active partnership needs user_b');
select throws_ok(format($$insert into public.partnerships (user_a, invite_code) values (%L, 'AAAA-BBBB-CCCC')$$, :'c'),
  '23505', 'duplicate key value violates unique constraint "partnerships_invite_code_key"', 'invite codes are unique');
select throws_ok(format($$insert into public.partner_profiles (owner_user_id, name, source) values (%L, 'X', 'guess')$$, :'a'),
  '23514', null, 'partner_profiles source outside the list is refused');
select throws_ok(format($$insert into public.shared_memories (partnership_id, category, content) values (%L, 'gossip', 'x')$$, :'p'),
  '23514', null, 'memory category outside the list is refused');
select throws_ok(format($$insert into public.shared_memories (partnership_id, content, confidence) values (%L, 'x', 1.5)$$, :'p'),
  '23514', null, 'confidence above 1 is refused');
select throws_ok(format($$insert into public.shared_memories (partnership_id, content, confidence) values (%L, 'x', -0.1)$$, :'p'),
  '23514', null, 'negative confidence is refused');
select throws_ok(format($$insert into public.shared_memories (partnership_id, content, confidence) values (%L, 'x', 'NaN')$$, :'p'),
  '23514', null, 'NaN confidence is refused');
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
select throws_ok(format($$update public.detection_config set relationship_threshold = -1 where partnership_id = %L$$, :'p'),
  '23514', null, 'negative threshold is refused');
select throws_ok(format($$update public.user_profiles set memory_summary = '[1, 2]' where id = %L$$, :'a'),
  '23514', null, 'memory_summary must be an object');

-- Text caps: the engine's display caps, exactly (at the cap accepted, one over refused).
select lives_ok(format($$update public.user_profiles set name = repeat('n', 100), tone = repeat('t', 300),
    communication_style = repeat('c', 300), emotional_patterns = repeat('e', 2000),
    interests = array_fill(repeat('i', 300), array[20]) where id = %L$$, :'a'),
  'profile fields at their caps (name 100, tone and style 300, patterns 2000, 20 interests of 300)');
select throws_ok(format($$update public.user_profiles set name = repeat('a', 101) where id = %L$$, :'a'), '23514', null, 'name over 100 is refused');
select throws_ok(format($$update public.user_profiles set tone = repeat('t', 301) where id = %L$$, :'a'), '23514', null, 'tone over 300 is refused');
select throws_ok(format($$update public.user_profiles set communication_style = repeat('t', 301) where id = %L$$, :'a'), '23514', null, 'communication_style over 300 is refused');
select throws_ok(format($$update public.user_profiles set emotional_patterns = repeat('t', 2001) where id = %L$$, :'a'), '23514', null, 'emotional_patterns over 2000 is refused');
select throws_ok(format($$update public.user_profiles set interests = array[repeat('i', 301)] where id = %L$$, :'a'), '23514', null, 'an interest over 300 is refused');
select throws_ok(format($$update public.user_profiles set interests = array_fill('i'::text, array[21]) where id = %L$$, :'a'), '23514', null, '21 interests are refused');
select throws_ok(format($$update public.user_profiles set interests = '{{a,b},{c,d}}' where id = %L$$, :'a'), '23514', null, 'a two-dimensional interests array is refused (the engine takes a list)');
select lives_ok(format($$update public.user_profiles set interests = '{}' where id = %L$$, :'a'), 'an empty interests list is accepted');
select lives_ok(format($$update public.partner_profiles set name = repeat('é', 100), traits = array_fill(repeat('t', 300), array[100]),
    relational_tendencies = array[repeat('r', 300)], important_truths = array[repeat('i', 300)], ai_notes = repeat('n', 2000) where id = %L$$, :'pp'),
  'partner profile fields at their caps');
select throws_ok(format($$update public.partner_profiles set traits = array[repeat('t', 301)] where id = %L$$, :'pp'), '23514', null, 'a trait over 300 is refused');
select throws_ok(format($$update public.partner_profiles set relational_tendencies = array[repeat('t', 301)] where id = %L$$, :'pp'), '23514', null, 'a relational tendency over 300 is refused');
select throws_ok(format($$update public.partner_profiles set important_truths = array[repeat('t', 301)] where id = %L$$, :'pp'), '23514', null, 'an important truth over 300 is refused');
select throws_ok(format($$update public.partner_profiles set ai_notes = repeat('n', 2001) where id = %L$$, :'pp'), '23514', null, 'ai_notes over 2000 is refused');
select lives_ok(format($$insert into public.shared_memories (partnership_id, content) values (%L, repeat('😀', 2000))$$, :'p'), 'memory content of 2000 characters (8000 bytes) is accepted');
select throws_ok(format($$insert into public.shared_memories (partnership_id, content) values (%L, repeat('x', 2001))$$, :'p'), '23514', null, 'memory content over 2000 is refused');
select lives_ok(format($$insert into public.shared_insights (partnership_id, category, title, content) values (%L, 'strength', repeat('t', 300), repeat('c', 2000))$$, :'p'), 'insight title 300 and content 2000 are accepted');
select throws_ok(format($$insert into public.shared_insights (partnership_id, category, title, content) values (%L, 'strength', repeat('t', 301), 'c')$$, :'p'), '23514', null, 'insight title over 300 is refused');
select throws_ok(format($$insert into public.shared_insights (partnership_id, category, title, content) values (%L, 'strength', 't', repeat('c', 2001))$$, :'p'), '23514', null, 'insight content over 2000 is refused');
-- Terms are limited in bytes, as the engine counts them: 200 bytes is the most.
select lives_ok(format($$update public.detection_config set partner_names = array[repeat('n', 200)], custom_keywords = jsonb_build_object('weak', jsonb_build_array(repeat('é', 100))) where partnership_id = %L$$, :'p'),
  'a 200-byte partner name and a 200-byte keyword are accepted');
select throws_ok(format($$update public.detection_config set partner_names = array[repeat('é', 101)] where partnership_id = %L$$, :'p'),
  '23514', null, 'a partner name of 101 characters but 202 bytes is refused');
select throws_ok(format($$update public.detection_config set custom_keywords = jsonb_build_object('strong', jsonb_build_array('ok', repeat('ж', 101))) where partnership_id = %L$$, :'p'),
  '23514', null, 'a custom keyword over 200 bytes is refused');
select throws_ok(format($$update public.detection_config set partner_names = array['Sam', null] where partnership_id = %L$$, :'p'),
  '23514', null, 'a null partner name is refused');
select lives_ok(format($$update public.user_profiles set memory_summary = %L where id = %L$$,
    repeat('{"k": ', 15) || '{}' || repeat('}', 15), :'a'), 'memory_summary nested 16 deep is accepted');
select throws_ok(format($$update public.user_profiles set memory_summary = %L where id = %L$$,
    repeat('{"k": ', 16) || '[]' || repeat('}', 16), :'a'), '23514', null, 'memory_summary nested 17 deep is refused (the engine nests 32 at most)');

-- Numbers in memory_summary (review finding 9): finite, normal doubles only, at any depth.
create function pg_temp.summary_ok(p_user uuid, p_summary text) returns text language plpgsql as $$
begin
  update public.user_profiles set memory_summary = p_summary::jsonb where id = p_user;
  return 'accepted';
exception when check_violation then
  return 'refused';
end;
$$;
select is(pg_temp.summary_ok(:'c', v.summary), v.want, v.what)
  from (values ('{"a": 1e400}', 'refused', '1e400 (infinity as a double) is refused'),
               ('{"b": -1e400}', 'refused', '-1e400 is refused'),
               ('{"t": 1e-400}', 'refused', '1e-400 (0 as a double) is refused'),
               ('{"t": 4.9e-324}', 'refused', 'a subnormal (4.9e-324) is refused'),
               ('{"deep": {"x": [1, [2, {"y": 1.8e308}]]}}', 'refused', '... at any depth, inside arrays'),
               ('{"e": 1e308, "max": 1.7976931348623157e308, "min": -1.7976931348623157e308, "tiny": 2.2250738585072014e-308, '
                || '"ntiny": -2.2250738585072014e-308, "z": 0, "nz": -0, "f": 0.1, "big": 123456789012345678901234567890}',
                'accepted', 'every finite, normal double is accepted, the boundaries included')) as v(summary, want, what);
-- Keys and strings in memory_summary: as long as the prompt shows them whole, at any depth.
select is(pg_temp.summary_ok(:'c', v.summary::text), v.want, v.what)
  from (values (jsonb_build_object(repeat('ж', 100), repeat('ж', 2000), 'n', jsonb_build_object('k', jsonb_build_array(repeat('x', 2000)))),
                'accepted', 'memory_summary: a 100-character key and 2,000-character strings are accepted (the display caps)'),
               (jsonb_build_object(repeat('ж', 101), 'v'), 'refused', 'a 101-character key is refused'),
               (jsonb_build_object('k', repeat('ж', 2001)), 'refused', 'a 2,001-character string is refused'),
               (jsonb_build_object('a', jsonb_build_object(repeat('k', 101), 1)), 'refused', '... a key at any depth'),
               (jsonb_build_object('a', jsonb_build_array(1, jsonb_build_array(repeat('x', 2001)))), 'refused', '... a string inside arrays')) as v(summary, want, what);

-- Timestamps of memories and insights (review finding 7): 1970 to the end of 9999, UTC.
create function pg_temp.time_ok(p_table text, p_column text, p_time text) returns text language plpgsql as $$
begin
  if p_table = 'shared_memories' then
    execute format('insert into public.shared_memories (partnership_id, content, %I) values ($1, ''t'', $2)', p_column)
      using (select id from public.partnerships where status = 'active' limit 1), p_time::timestamptz;
  else
    execute format('insert into public.shared_insights (partnership_id, category, title, content, %I) values ($1, ''strength'', ''t'', ''t'', $2)', p_column)
      using (select id from public.partnerships where status = 'active' limit 1), p_time::timestamptz;
  end if;
  return 'accepted';
exception when check_violation then
  return 'refused';
end;
$$;
select is(pg_temp.time_ok(t.tbl, c.col, v.t), v.want, format('%s.%s = %s: %s', t.tbl, c.col, v.t, v.want))
  from (values ('shared_memories'), ('shared_insights')) as t(tbl)
 cross join (values ('created_at'), ('updated_at')) as c(col)
 cross join (values ('infinity', 'refused'), ('-infinity', 'refused'), ('20000-01-01 00:00:00+00', 'refused'),
                    ('0044-03-15 00:00:00+00 BC', 'refused'), ('1969-12-31 23:59:59.999999+00', 'refused'),
                    ('1970-01-01 00:00:00+00', 'accepted'), ('9999-12-31 23:59:59.999999+00', 'accepted'),
                    ('10000-01-01 00:00:00+00', 'refused')) as v(t, want);

-- Required text must be visible: white space, controls and invisible characters alone are not.
select throws_ok(format($$insert into public.shared_memories (partnership_id, content) values (%L, %L)$$, :'p', blank), '23514', null,
  format('memory content of only %s is refused', what))
  from (values (E'\t\t', 'tabs'), (E'\n\r\n', 'line breaks'), (U&'\00A0\00A0', 'NBSP'), (U&'\200B\2060\FEFF', 'zero-width characters'),
               (U&'\FE0F', 'a lone variation selector'), (U&'\+0E0041\+0E0042', 'tag characters'), (U&'\202E\2066', 'bidi controls'),
               (U&'\3000\2028 ', 'ideographic space and line separator')) as v(blank, what);
select throws_ok(format($$update public.user_profiles set name = %L where id = %L$$, U&'\00A0\2003', :'a'), '23514', null, 'a name of only white space is refused');
select throws_ok(format($$update public.partner_profiles set traits = array['kind', %L] where id = %L$$, E'\t', :'pp'), '23514', null, 'a blank list item is refused');
select lives_ok(format($$insert into public.shared_memories (partnership_id, content) values (%L, %L)$$, :'p', U&'\00A0\2764\FE0F\00A0'),
  'an emoji with its variation selector is visible text');

-- about_user is a member of the partnership (or null), whoever writes: for memories and insights.
select throws_ok(format($$insert into public.shared_memories (partnership_id, about_user, content) values (%L, %L, 'x')$$, :'p', :'c'),
  '23514', null, 'a memory about a stranger is refused, even from the table owner');
select is(tests.try_as('service_role', null, format($$insert into public.shared_memories (partnership_id, about_user, content) values (%L, %L, 'x')$$, :'p', :'c')),
  'err:23514', 'a memory about a stranger is refused from the service role');
select is(tests.try_as('service_role', null, format($$insert into public.shared_insights (partnership_id, category, about_user, title, content) values (%L, 'strength', %L, 't', 'x')$$, :'p', :'c')),
  'err:23514', 'an insight about a stranger is refused from the service role');
select is(tests.try_as('service_role', null, format($$update public.shared_memories set about_user = %L where id = %L$$, :'c', :'m')),
  'err:23514', 'a memory cannot be turned into one about a stranger');
select is(tests.try_as('service_role', null, format($$insert into public.shared_memories (partnership_id, about_user, content) values (%L, %L, 'x')$$, :'p', :'b')),
  'ok:1', 'a memory about a member is accepted');
select throws_ok(format($$insert into public.partner_profiles (owner_user_id, partnership_id, name) values (%L, %L, 'X')$$, :'c', :'p'),
  '23514', null, 'a partner profile cannot be linked to a partnership its owner is not in');

-- Partnerships move forward only; the membership keeps "one at a time" whoever writes.
select throws_ok(format($$update public.partnerships set user_b = %L where id = %L$$, :'c', :'p'), '23514', null, 'user_b of an active partnership never changes');
select throws_ok(format($$update public.partnerships set user_a = %L where id = %L$$, :'c', :'p'), '23514', null, 'user_a never changes');
select throws_ok(format($$update public.partnerships set status = 'pending' where id = %L$$, :'p'), '23514', null, 'an active partnership cannot go back to pending');
insert into public.partnerships (user_a, invite_code) values (:'c', 'CCCC-0000-0001') returning id as pc \gset
select throws_ok(format($$insert into public.partnerships (user_a, invite_code) values (%L, 'CCCC-0000-0002')$$, :'c'),
  '23505', 'duplicate key value violates unique constraint "partnership_members_pkey"', 'a second open invite for one user is refused by the table');
select is(tests.try_as('service_role', null, format($$update public.partnerships set user_b = %L, status = 'active' where id = %L$$, :'a', :'pc')),
  'err:23505', 'the service role cannot make a user active in a second partnership');
select is(tests.try_as('service_role', null, format($$update public.partnerships set status = 'dissolved' where id = %L$$, :'pc')),
  'ok:1', 'the service role can dissolve a partnership');
update public.partnerships set status = 'dissolved' where id = :'pc';
select throws_ok(format($$update public.partnerships set status = 'active', user_b = %L where id = %L$$, :'b', :'pc'), '23514', null, 'dissolved is final');
select throws_ok(format($$insert into public.shared_memories (partnership_id, content) values (%L, 'after the break-up')$$, :'pc'),
  '23514', null, 'nothing new is written into a dissolved partnership, even by the table owner');
select is(tests.try_as('service_role', null, format($$insert into public.shared_insights (partnership_id, category, title, content) values (%L, 'strength', 't', 'x')$$, :'pc')),
  'err:23514', '... nor by the service role');
select is((select count(*)::int from nova.partnership_members where partnership_id = :'pc'), 0, 'a dissolved partnership has no members');
select is((select string_agg(user_id::text, ',' order by user_id) from nova.partnership_members where partnership_id = :'p'),
  (select string_agg(u::text, ',' order by u) from unnest(array[:'a'::uuid, :'b'::uuid]) u), 'an active partnership has both members');

-- version: bumped only when memory_summary changes, never set by hand.
update public.user_profiles set memory_summary = '{"v": 1}' where id = :'b';
select is((select version from public.user_profiles where id = :'b'), 1, 'memory_summary change bumps version to 1');
update public.user_profiles set tone = 'warm' where id = :'b';
update public.user_profiles set memory_summary = '{"v": 1}' where id = :'b';
update public.user_profiles set version = 42 where id = :'b';
select is((select version from public.user_profiles where id = :'b'), 1, 'other changes, the same summary and a hand-set version leave version alone');

-- updated_at follows every update, with the time of the write.
update public.shared_memories set updated_at = '2000-01-01' where id = :'m';
select ok((select updated_at > now() from public.shared_memories where id = :'m'),
  'updated_at is set by the trigger to the time of the write (after the transaction''s start)');

-- Signup: name from full_name, else the e-mail's local part, else "there"; setup pending.
select tests.new_user('x@example.com', '  Dana  ') as u1, tests.new_user('jo.smith@example.com', U&'\00A0\2003') as u2,
       tests.new_user(null) as u3 \gset
select is((select name || '/' || setup_mode || '/' || version from public.user_profiles where id = :'u1'),
  'Dana/pending/0', 'signup profile takes full_name trimmed, setup_mode pending, version 0');
select is((select name from public.user_profiles where id = :'u2'),
  'jo.smith', 'a full_name of only white space falls back to the e-mail local part');
select is((select name from public.user_profiles where id = :'u3'),
  'there', 'without either the name is "there"');

-- Crafted names (review finding 4): every candidate is checked after cutting and trimming.
create function pg_temp.signup(p_email text, p_meta jsonb) returns text language plpgsql as $$
declare
  v_id uuid := gen_random_uuid();
begin
  insert into auth.users (id, email, raw_user_meta_data) values (v_id, p_email, p_meta);
  return (select name from public.user_profiles where id = v_id);
end;
$$;
select is(pg_temp.signup(v.email, v.meta), v.want, v.what)
  from (values
    ('zz@x', jsonb_build_object('full_name', repeat(U&'\200B', 100) || 'Mallory'), 'zz',
     '100 invisible characters before the name: the name is past the cut, the e-mail''s local part is used'),
    ('zy@x', jsonb_build_object('full_name', repeat(' ', 99) || repeat('M', 20)), repeat('M', 20),
     'white space first is trimmed before the cut: the name is kept'),
    ('zw@x', jsonb_build_object('full_name', repeat('a', 99) || ' ' || repeat('b', 10)), repeat('a', 99),
     'a name cut at a space is trimmed after the cut'),
    (repeat(U&'\200B', 100) || 'm@x', jsonb_build_object('full_name', U&'\FE0F\200D'), 'there',
     'an invisible full_name and an invisible e-mail local part: "there"'),
    ('zv@x', jsonb_build_object('full_name', 42), 'zv', 'a full_name that is not a string is not a name'),
    ('zu@x', '["not an object"]'::jsonb, 'zu', 'metadata that is not an object'),
    (repeat('e', 150) || '@x', null, repeat('e', 100), 'a long e-mail local part is cut to 100')) as v(email, meta, want, what);

select * from finish();
rollback;
