-- nova_prompt_context: who may call it, what it chooses, its order and its caps.
-- (Its output is also validated against the contract's JSON Schema by validate-context.mjs.)
begin;
select plan(38);
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'c' as c, s ->> 'n' as n, s ->> 'p' as p, s ->> 'm' as m
  from tests.seed_couple() s \gset

select is(tests.try_as('anon', null, format('select public.nova_prompt_context(%L)', :'a')), 'err:42501', 'anon cannot call nova_prompt_context');
select is(tests.try_as('authenticated', :'a', format('select public.nova_prompt_context(%L)', :'a')), 'err:42501', 'a signed-in user cannot call it, even for themselves');
select is(tests.try_as('service_role', null, format('select public.nova_prompt_context(%L)', :'a')), 'ok:1', 'service_role can call it');
select throws_ok('select public.nova_prompt_context(null)', '22004', null, 'a null user id is an error');

-- Solo user without a profile row.
select public.nova_prompt_context(:'n') as ctx_n \gset
select is(:'ctx_n'::jsonb, jsonb_build_object('user_id', :'n', 'user', null, 'partnership', null, 'reference', null,
  'detection', null, 'memories', '[]'::jsonb, 'insights', '[]'::jsonb), 'no profile, no partner: every member present, empty');

-- Solo user with an AI-built partner profile, no partnership.
insert into public.partner_profiles (owner_user_id, name, traits, ai_notes, updated_at)
values (:'c', 'Old flame', null, null, now() - interval '1 day'),
       (:'c', 'Robin', array['kind'], 'notes', now());
select public.nova_prompt_context(:'c') as ctx_c \gset
select is((:'ctx_c'::jsonb) -> 'reference', jsonb_build_object('source', 'ai_generated', 'user_id', null, 'name', 'Robin',
  'traits', array['kind'], 'relational_tendencies', null, 'important_truths', null, 'ai_notes', 'notes'),
  'solo: reference is the most recently updated AI-built profile');
select is((:'ctx_c'::jsonb) -> 'detection', 'null'::jsonb,
  'no detection_config: detection is null (the engine adds the reference name itself, with its default threshold)');
select is((:'ctx_c'::jsonb) -> 'partnership', 'null'::jsonb, 'solo: no partnership');
select is((:'ctx_c'::jsonb) -> 'user', jsonb_build_object('name', 'Casey', 'tone', null, 'interests', null, 'emotional_patterns', null,
  'communication_style', null, 'memory_summary', null, 'setup_mode', 'pending', 'version', 0), 'user: the profile''s prompt fields');

-- Pending partnership: reported without a partner; the AI-built profile stays the reference.
select tests.call_as(:'c', 'select public.create_partnership()') ->> 'partnership_id' as pc \gset
select is(public.nova_prompt_context(:'c') -> 'partnership', jsonb_build_object('id', :'pc', 'status', 'pending', 'partner_user_id', null),
  'pending partnership is reported with no partner');
select is(public.nova_prompt_context(:'c') #>> '{reference,name}', 'Robin', 'pending: reference still the AI-built profile');

-- Linked couple, from both sides: the partner's own profile is the reference.
update public.user_profiles set name = 'Blair B.', tone = 'playful', memory_summary = '{"likes": "tulips"}' where id = :'b';
select public.nova_prompt_context(:'a') as ctx_a, public.nova_prompt_context(:'b') as ctx_b \gset
select is((:'ctx_a'::jsonb) -> 'partnership', jsonb_build_object('id', :'p', 'status', 'active', 'partner_user_id', :'b'), 'couple: partnership and partner id');
select is((:'ctx_a'::jsonb) -> 'reference', jsonb_build_object('source', 'partner_account', 'user_id', :'b', 'name', 'Blair B.',
  'tone', 'playful', 'interests', null, 'emotional_patterns', null, 'communication_style', null),
  'couple: reference is the partner''s user_profiles row, not the AI-built one, without their memory_summary (their private chats)');
select is((:'ctx_b'::jsonb) #>> '{reference,user_id}', :'a', 'couple: the other side sees the creator as reference');
select is((:'ctx_b'::jsonb) #>> '{partnership,partner_user_id}', :'a', 'couple: partner id from the joiner''s side');
select is((:'ctx_a'::jsonb) #> '{detection,partner_names}', '["Blair", "B"]'::jsonb, 'detection_config names are used when present');
update public.detection_config set partner_names = '{}' where partnership_id = :'p';
select is(public.nova_prompt_context(:'a') #> '{detection,partner_names}', '[]'::jsonb, 'empty partner_names stay empty (no copy of the reference name)');
-- The reported bug: a 70-character CJK partner name (210 bytes) is legal in the table; it
-- must not be copied into partner_names, where the engine refuses terms over 200 bytes.
insert into public.partner_profiles (owner_user_id, name) values (:'c', repeat('龍', 70));
select is(public.nova_prompt_context(:'c') -> 'detection', 'null'::jsonb, 'a 210-byte reference name is never copied into the detector terms');
select is(public.nova_prompt_context(:'a') #> '{detection,relationship_threshold}', '2'::jsonb, 'threshold from the row');
select is((:'ctx_a'::jsonb) -> 'memories', (:'ctx_b'::jsonb) -> 'memories', 'both partners get the same memories');
select is(((:'ctx_a'::jsonb) #> '{memories,0}') - 'updated_at',
  jsonb_build_object('id', :'m', 'category', 'preference', 'about_user', :'b', 'content', 'Blair loves tulips',
                     'confidence', 0.9, 'is_active', true), 'memory fields');
select ok((:'ctx_a'::jsonb) #>> '{memories,0,updated_at}' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$', 'timestamps are ISO-8601 UTC');
select is((:'ctx_a'::jsonb) #>> '{insights,0,title}', 'Talks it out', 'insight fields');

-- Only active rows, deterministic order, capped at 200 memories / 50 insights.
insert into public.shared_memories (partnership_id, content, confidence, updated_at, is_active)
select :'p', 'm' || g, (g % 10) / 10.0, now() + g * interval '1 minute', true
  from generate_series(1, 249) g;
insert into public.shared_memories (partnership_id, content, confidence, is_active) values (:'p', 'retired', 1.0, false);
insert into public.shared_insights (partnership_id, category, title, content, updated_at, is_active)
select :'p', 'strength', 't' || g, 'c' || g, now() + g * interval '1 minute', g <> 60
  from generate_series(1, 60) g;
select public.nova_prompt_context(:'a') as big \gset
select is(jsonb_array_length((:'big'::jsonb) -> 'memories'), 200, '250 active memories are capped at 200');
select is(jsonb_array_length((:'big'::jsonb) -> 'insights'), 50, '60 insights (59 active) are capped at 50');
select ok(not ((:'big'::jsonb) -> 'memories') @> '[{"content": "retired"}]', 'inactive memories are left out');
select ok(not ((:'big'::jsonb) -> 'insights') @> '[{"title": "t60"}]', 'inactive insights are left out');
select is((:'big'::jsonb) #>> '{memories,0,content}', 'm249', 'first: the most confident (0.9), most recent of them');
select is((:'big'::jsonb) #>> '{memories,1,content}', 'm239', 'then the next most recent at the same confidence');
-- 26 rows at 0.9 (with the seed's), 25 at each of 0.8 .. 0.2: the cap drops the oldest 0.2 row.
select is((select min((e ->> 'confidence')::float8) from jsonb_array_elements((:'big'::jsonb) -> 'memories') e), 0.2::float8,
  'the cap keeps the most confident rows');
select ok(((:'big'::jsonb) -> 'memories') @> '[{"content": "m12"}]' and not ((:'big'::jsonb) -> 'memories') @> '[{"content": "m2"}]',
  'at the cut, the more recent row stays');
select is((select array_agg(x order by o) = array_agg(x order by x desc)
             from (select (e ->> 'confidence')::float8 * 1e6 + extract(epoch from (e ->> 'updated_at')::timestamptz) / 1e6 as x, o
                     from jsonb_array_elements((:'big'::jsonb) -> 'memories') with ordinality as t(e, o)) s), true,
  'memories are ordered by confidence, then recency');
select is((:'big'::jsonb) #>> '{insights,0,title}', 't59', 'insights: most recent first');
select is(public.nova_prompt_context(:'a'), :'big'::jsonb, 'same data, same output (deterministic)');
select is(jsonb_array_length(public.nova_prompt_context(:'c') -> 'memories'), 0, 'another partnership''s memories never leak');

-- Dissolved: no partnership, the user's own AI-built profile is the reference again.
select tests.call_as(:'b', 'select public.dissolve_partnership()') ->> 'ok' as dissolved \gset
select is(public.nova_prompt_context(:'a') -> 'partnership', 'null'::jsonb, 'dissolved partnership is not reported');
select is(public.nova_prompt_context(:'a') -> 'reference' ->> 'source', 'ai_generated', 'after dissolving, the AI-built profile is the reference');
select is(public.nova_prompt_context(:'a') -> 'memories', '[]'::jsonb, 'after dissolving, no shared memories');

select * from finish();
rollback;
