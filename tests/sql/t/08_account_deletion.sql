-- Deleting an account (a row of auth.users): the user's profile, own partner profiles and
-- every memory/insight about them go; their partnership is dissolved; the other partner's
-- own rows stay.
begin;
select plan(20);
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'c' as c, s ->> 'p' as p, s ->> 'pp' as pp, s ->> 'm' as m, s ->> 'i' as i
  from tests.seed_couple() s \gset
insert into public.partner_profiles (owner_user_id, partnership_id, name, source) values (:'b', :'p', 'Alex', 'partner_account') returning id as ppb \gset
insert into public.shared_memories (partnership_id, about_user, content) values (:'p', :'a', 'about Alex') returning id as ma \gset
insert into public.shared_memories (partnership_id, about_user, content) values (:'p', null, 'about us') returning id as mus \gset
insert into public.shared_insights (partnership_id, category, about_user, title, content) values (:'p', 'strength', :'b', 'Blair', 'about Blair') returning id as ib \gset

-- The joiner (user_b) deletes their account.
delete from auth.users where id = :'b';
select is((select count(*)::int from public.user_profiles where id = :'b'), 0, 'the deleted user''s profile is gone');
select is((select count(*)::int from public.user_profiles where id = :'a'), 1, 'the partner''s profile stays');
select is((select count(*)::int from public.shared_memories where id = :'m'), 0, 'memories about the deleted user are gone');
select is((select count(*)::int from public.shared_insights where id = :'ib'), 0, 'insights about the deleted user are gone');
select is((select count(*)::int from public.shared_memories where id in (:'ma', :'mus')), 2, 'memories about the partner and the relationship stay');
select is((select count(*)::int from public.shared_insights where id = :'i'), 1, 'insights about the partner stay');
select is((select count(*)::int from public.partner_profiles where id = :'ppb'), 0, 'the deleted user''s AI-built profile is gone');
select is((select coalesce(partnership_id::text, 'null') || '/' || source from public.partner_profiles where id = :'pp'), 'null/ai_generated',
  'the partner''s AI-built profile stays, unlinked (ai_generated again)');
select is((select status || '/' || user_a::text || '/' || coalesce(user_b::text, 'null') from public.partnerships where id = :'p'),
  'dissolved/' || :'a' || '/null', 'the partnership is dissolved, kept for the partner');
select is(public.nova_prompt_context(:'a') -> 'partnership', 'null'::jsonb, 'the partner''s context has no partnership');
select is(public.nova_prompt_context(:'a') #>> '{reference,source}', 'ai_generated', 'the partner''s reference is their AI-built profile again');
select is(tests.call_as(:'a', 'select public.create_partnership()') ->> 'ok', 'true', 'the partner can start a new partnership');

-- The creator (user_a) deletes their account: the survivor becomes user_a.
select tests.new_user('k1@example.com', 'K1') as k1, tests.new_user('k2@example.com', 'K2') as k2 \gset
insert into public.partnerships (user_a, user_b, invite_code, status) values (:'k1', :'k2', 'KKKK-2222-3333', 'active') returning id as pk \gset
insert into public.shared_memories (partnership_id, about_user, content) values (:'pk', :'k2', 'about K2') returning id as mk2 \gset
insert into public.shared_memories (partnership_id, about_user, content) values (:'pk', :'k1', 'about K1') returning id as mk1 \gset
delete from auth.users where id = :'k1';
select is((select status || '/' || user_a::text || '/' || coalesce(user_b::text, 'null') from public.partnerships where id = :'pk'),
  'dissolved/' || :'k2' || '/null', 'creator deleted: dissolved, the survivor holds user_a');
select is((select count(*)::int from public.shared_memories where id = :'mk1'), 0, 'memories about the deleted creator are gone');
select is((select count(*)::int from public.shared_memories where id = :'mk2'), 1, 'memories about the survivor stay');
select is(tests.try_as('authenticated', :'k2', format('select 1 from public.shared_memories where id = %L', :'mk2')), 'ok:1',
  'the survivor can still read what is left of the shared history');

-- A solo user with an open invite and failed join attempts.
select tests.call_as(:'c', 'select public.create_partnership()') ->> 'partnership_id' as pc \gset
select tests.call_as(:'c', 'select public.join_partnership(''ZZZZ-ZZZZ-ZZZZ'')') is not null as tried \gset
delete from auth.users where id = :'c';
select is((select count(*)::int from public.partnerships where id = :'pc'), 0, 'an invite nobody joined is deleted with its creator');
select is((select count(*)::int from public.partnership_join_attempts where user_id = :'c'), 0, 'join attempts are deleted');
select is((select count(*)::int from public.user_profiles where id = :'c'), 0, 'profile deleted');
select has_trigger('auth', 'users', 'nova_on_auth_user_deleted', 'deletion trigger on auth.users');

select * from finish();
rollback;
