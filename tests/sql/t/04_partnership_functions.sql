-- create_partnership / join_partnership / dissolve_partnership: success and every refusal.
-- (The throttle, anonymous and read-only callers: 10_join_throttle.sql; races: 05.)
begin;
select plan(55);
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'c' as c from tests.seed_couple() s \gset
select tests.new_user('dee@example.com', 'Dee') as d, tests.new_user('eve@example.com', 'Eve') as e \gset

-- Who may call.
select is(tests.try_as('anon', null, 'select public.create_partnership()'), 'err:42501', 'anon cannot call create_partnership');
select is(tests.try_as('anon', null, 'select public.join_partnership(''X'')'), 'err:42501', 'anon cannot call join_partnership');
select is(tests.try_as('anon', null, 'select public.dissolve_partnership()'), 'err:42501', 'anon cannot call dissolve_partnership');
select is(tests.try_as('service_role', null, 'select public.create_partnership()'), 'err:42501', 'service_role does not create partnerships');
select is(tests.call_as(null, 'select public.create_partnership()'), '{"ok": false, "error": "not_authenticated"}', 'a JWT without sub is refused by create');
select is(tests.call_as(null, 'select public.join_partnership(''X'')'), '{"ok": false, "error": "not_authenticated"}', 'a JWT without sub is refused by join');
select is(tests.call_as(null, 'select public.dissolve_partnership()'), '{"ok": false, "error": "not_authenticated"}', 'a JWT without sub is refused by dissolve');
select is(tests.call_as(gen_random_uuid(), 'select public.create_partnership()') ->> 'error', 'not_authenticated', 'a JWT of a deleted user is refused');

-- create_partnership
select tests.call_as(:'c', 'select public.create_partnership()') as created \gset
select is((:'created'::jsonb) ->> 'ok', 'true', 'a solo user creates a partnership');
select matches((:'created'::jsonb) ->> 'invite_code', '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$', 'invite code is XXXX-XXXX-XXXX in the unambiguous alphabet');
select (:'created'::jsonb) ->> 'partnership_id' as pc, (:'created'::jsonb) ->> 'invite_code' as code_c \gset
select is((select user_a::text || '/' || coalesce(user_b::text, '-') || '/' || status from public.partnerships where id = :'pc'),
  :'c' || '/-/pending', 'the new partnership is pending with the creator as user_a');
select ok((select invite_expires_at between now() + interval '7 days' - interval '1 minute' and now() + interval '7 days' + interval '1 minute'
             from public.partnerships where id = :'pc'), 'the invite expires in 7 days');
select ok(((:'created'::jsonb) ->> 'invite_expires_at') ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$', 'invite_expires_at is ISO-8601 UTC');
select is(tests.call_as(:'c', 'select public.create_partnership()') ->> 'error', 'already_in_partnership', 'a second open invite is refused');
select is(tests.call_as(:'a', 'select public.create_partnership()') ->> 'error', 'already_in_partnership', 'a member of an active partnership cannot create another');

-- Randomness and alphabet: 500 codes are distinct and use all 32 symbols.
select is((select count(distinct nova.generate_invite_code())::int from generate_series(1, 500)), 500, '500 generated codes are distinct');
select is((select count(distinct ch)::int from (select regexp_split_to_table(replace(nova.generate_invite_code(), '-', ''), '') as ch
                                                 from generate_series(1, 500)) t), 32, 'codes use every symbol of the 32-symbol alphabet');
select is(nova.normalize_invite_code('ABCD-EFGH-JK'), null, 'too short input is not a code');
select is(nova.normalize_invite_code(' o1l i-2345 6789 '), '0111-2345-6789', 'normalising: case, spaces, dashes, O->0, I/L->1 ...');
select is(nova.normalize_invite_code('0111-2345-6789-AB'), null, '... and a code of the wrong length is not a code');
select is(nova.normalize_invite_code('UUUU-UUUU-UUUU'), null, 'U is not in the alphabet');

-- join_partnership refusals (failed guesses, which the throttle counts, are marked).
select is(tests.call_as(:'d', 'select public.join_partnership(''hello'')') ->> 'error', 'invalid_code', 'malformed code: invalid_code (no guess, not counted)');
select is(tests.call_as(:'d', 'select public.join_partnership(null)') ->> 'error', 'invalid_code', 'null code: invalid_code (not counted)');
select is(tests.call_as(:'d', 'select public.join_partnership(''ZZZZ-ZZZZ-ZZZZ'')') ->> 'error', 'invalid_code', 'unknown code: invalid_code (counted)');
select is(tests.call_as(:'c', format('select public.join_partnership(%L)', :'code_c')) ->> 'error', 'own_code', 'own code is refused (not counted)');
select is(tests.call_as(:'a', format('select public.join_partnership(%L)', :'code_c')) ->> 'error', 'already_in_partnership', 'a user in an active partnership cannot join another (not counted)');
update public.partnerships set invite_expires_at = now() - interval '1 second' where id = :'pc';
select is(tests.call_as(:'d', format('select public.join_partnership(%L)', :'code_c')) ->> 'error', 'expired', 'expired code is refused (counted)');
update public.partnerships set invite_expires_at = now() + interval '7 days' where id = :'pc';
select is((select count(*)::int from nova.join_failures where user_id = :'d'), 2, 'two failed guesses recorded for the joiner');
select is((select count(*)::int from nova.join_failures where user_id in (:'a', :'c')), 0, 'own_code and already_in_partnership are not counted');
select is(tests.call_as(:'a', 'select public.join_partnership(''AAAA-BBBB-CCCC'')') ->> 'error', 'already_in_partnership', 'joining the partnership one is already in is refused');

-- join_partnership success: forgiving input, links partner_profiles, withdraws the joiner's invite.
update public.partnerships set invite_code = '0111-2345-6789' where id = :'pc';
insert into public.partner_profiles (owner_user_id, name) values (:'c', 'Dee (as Casey sees her)'), (:'d', 'Casey (as Dee sees her)');
insert into public.partner_profiles (owner_user_id, name, updated_at) values (:'d', 'an old flame', now() - interval '1 year');
select tests.call_as(:'d', 'select public.create_partnership()') ->> 'partnership_id' as pd \gset
select tests.call_as(:'d', 'select public.join_partnership('' o1li 2345-6789 '')') as joined \gset
select is((:'joined'::jsonb) - 'partnership_id', jsonb_build_object('ok', true, 'partner_user_id', :'c'), 'lower case, spaces, O/I/L typed for 0/1: joined, partner is the creator');
select is((:'joined'::jsonb) ->> 'partnership_id', :'pc', 'joined the right partnership');
select is((select status || '/' || user_b::text from public.partnerships where id = :'pc'), 'active/' || :'d', 'partnership is active with the joiner as user_b');
select is((select status from public.partnerships where id = :'pd'), 'dissolved', 'the joiner''s own open invite is withdrawn');
select is((select string_agg(name, ', ' order by name) from public.partner_profiles where partnership_id = :'pc' and source = 'partner_account'),
  'Casey (as Dee sees her), Dee (as Casey sees her)', 'each partner''s AI-built profile of the other is linked, source partner_account');
select is((select partnership_id from public.partner_profiles where name = 'an old flame'), null, 'the joiner''s older profile under another name (someone else) is not linked');
select is(tests.call_as(:'e', 'select public.join_partnership(''0111-2345-6789'')') ->> 'error', 'already_used', 'a used code is refused (counted)');
select is(tests.call_as(:'e', format('select public.join_partnership(%L)', (select invite_code from public.partnerships where id = :'pd'))) ->> 'error',
  'revoked', 'a withdrawn code is refused (counted)');

-- A creator whose invite was just joined is in an active partnership: they cannot join another.
select tests.call_as(:'e', 'select public.create_partnership()') ->> 'invite_code' as code_e \gset
select tests.new_user('gil@example.com', 'Gil') as g \gset
select tests.call_as(:'g', 'select public.create_partnership()') ->> 'invite_code' as code_g \gset
select is(tests.call_as(:'g', format('select public.join_partnership(%L)', :'code_e')) ->> 'ok', 'true', 'a user with an open invite joins someone else''s');
select tests.new_user('hal@example.com', 'Hal') as h \gset
select is(tests.call_as(:'h', format('select public.join_partnership(%L)', :'code_g')) ->> 'error', 'revoked', '... which withdrew their own invite');
select is(tests.call_as(:'e', 'select public.join_partnership(''RRRR-RRRR-RRRR'')') ->> 'error', 'already_in_partnership', 'the joined creator cannot join another');
select is(tests.call_as(:'e', 'select public.create_partnership()') ->> 'error', 'already_in_partnership', 'the joined creator cannot open another invite');
select is((select count(*)::int from nova.partnership_members where user_id in (:'e', :'g')), 2, 'each of them is in exactly one partnership');

-- An own invite that expired is dissolved by the next create.
select tests.call_as(:'h', 'select public.create_partnership()') ->> 'partnership_id' as ph \gset
update public.partnerships set invite_expires_at = now() - interval '1 second' where id = :'ph';
select is(tests.call_as(:'h', 'select public.create_partnership()') ->> 'ok', 'true', 'an expired own invite does not stop a new one');
select is((select status from public.partnerships where id = :'ph'), 'dissolved', '... it is dissolved');

-- dissolve_partnership
select is(tests.call_as(:'b', 'select public.dissolve_partnership()') ->> 'ok', 'true', 'the joiner can dissolve too');
select is(tests.call_as(:'a', 'select public.dissolve_partnership()') ->> 'error', 'not_in_partnership', '... then the creator has nothing to dissolve');
select is(tests.call_as(:'d', 'select public.dissolve_partnership()') ->> 'partnership_id', :'pc', 'a member dissolves their partnership');
select is((select status from public.partnerships where id = :'pc'), 'dissolved', 'status is dissolved');
select is((select count(*)::int from public.partner_profiles where partnership_id = :'pc' and source = 'ai_generated'),
  2, 'dissolving makes both linked profiles AI-built again (the link to the partnership stays)');
select is(tests.call_as(:'d', 'select public.dissolve_partnership()') ->> 'error', 'not_in_partnership', 'dissolving twice is refused');
select is(tests.call_as(:'c', 'select public.create_partnership()') ->> 'ok', 'true', 'after dissolving, a new partnership can be created');

-- nova.current_partnership, which the functions and nova_prompt_context share.
select is((nova.current_partnership(:'c')).status, 'pending', 'current partnership: the open invite');
select is((nova.current_partnership(:'e')).status, 'active', 'current partnership: the active one');
select is((nova.current_partnership(:'d')).id, null, 'current partnership: none after a break-up');

select * from finish();
rollback;
