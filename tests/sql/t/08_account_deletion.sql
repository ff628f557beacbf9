-- Deleting an account (a row of auth.users) forgets the user, item by item as the README's
-- account-deletion table says: their own rows, and every partnership they were in with all
-- that hangs off it (memories and insights about anyone, the detection config with the
-- survivor's names for them, the invite code, the survivor's AI-built profile of them).
-- What stays is the survivor's own data.
begin;
select plan(26);
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'c' as c, s ->> 'p' as p, s ->> 'pp' as pp, s ->> 'm' as m,
       s ->> 'i' as i, s ->> 'd' as d
  from tests.seed_couple() s \gset
insert into public.partner_profiles (owner_user_id, partnership_id, name, source) values (:'b', :'p', 'Alex', 'partner_account') returning id as ppb \gset
-- Alex's profile of an ex, from an earlier partnership (someone else: it must survive).
select tests.new_user('jordan@example.com', 'Jordan') as x \gset
insert into public.partnerships (user_a, user_b, invite_code, status) values (:'a', :'x', 'JJJJ-0000-0000', 'dissolved') returning id as px \gset
insert into public.partner_profiles (owner_user_id, partnership_id, name, traits) values (:'a', :'px', 'Jordan', array['someone Alex dated before']) returning id as ppa_other \gset
insert into public.shared_memories (partnership_id, about_user, content) values (:'p', :'a', 'Alex hates being late') returning id as ma \gset
insert into public.shared_memories (partnership_id, about_user, content) values (:'p', null, 'Alex and Blair met at Blair''s cousin''s wedding') returning id as mus \gset
insert into public.shared_insights (partnership_id, category, about_user, title, content) values (:'p', 'strength', null, 'Us', 'Blair and Alex laugh a lot') returning id as ius \gset
select invite_code as code_p from public.partnerships where id = :'p' \gset
update public.user_profiles set memory_summary = '{"notes": "Alex is kind"}' where id = :'a';

-- The joiner (user_b) deletes their account.
delete from auth.users where id = :'b';
select is((select count(*)::int from public.user_profiles where id = :'b'), 0, 'the deleted user''s profile is gone');
select is((select count(*)::int from public.partner_profiles where id = :'ppb'), 0, 'the deleted user''s own AI-built profile is gone');
select is((select count(*)::int from public.partnerships where id = :'p'), 0, 'their partnership is gone, with its invite code');
select is((select count(*)::int from public.partnerships where invite_code = :'code_p'), 0, '... nothing holds the invite code any more');
select is((select count(*)::int from public.shared_memories where id = :'m'), 0, 'memories about the deleted user are gone');
select is((select count(*)::int from public.shared_memories where id = :'mus'), 0, 'relationship memories (which name them) are gone');
select is((select count(*)::int from public.shared_memories where id = :'ma'), 0, 'memories about the survivor from the couple''s conversations are gone');
select is((select count(*)::int from public.shared_insights where id in (:'i', :'ius')), 0, 'every insight of the partnership is gone');
select is((select count(*)::int from public.detection_config where id = :'d'), 0, 'the detection config with the survivor''s names for them is gone');
select is((select count(*)::int from public.partner_profiles where id = :'pp'), 0, 'the survivor''s AI-built profile of the deleted user is gone');
select is((select count(*)::int from nova.partnership_members where user_id in (:'a', :'b')), 0, 'no membership is left');
select is((select name || '|' || (memory_summary ->> 'notes') from public.user_profiles where id = :'a'), 'Alex|Alex is kind',
  'the survivor''s own profile stays');
select is((select count(*)::int from public.partner_profiles where id = :'ppa_other'), 1,
  'the survivor''s profile of someone else (an ex, linked to an earlier partnership) stays');
select is(public.nova_prompt_context(:'a') - 'user' - 'user_id',
  jsonb_build_object('partnership', null, 'reference', public.nova_prompt_context(:'a') -> 'reference', 'detection', null,
                     'memories', '[]'::jsonb, 'insights', '[]'::jsonb),
  'the survivor''s context: no partnership, no detection, no memories or insights');
select is(public.nova_prompt_context(:'a') #>> '{reference,name}', 'Jordan', '... and no reference built from the deleted user');
select is(public.nova_prompt_context(:'a')::text like '%Blair%', false, 'the survivor''s context names the deleted user nowhere');
select is(tests.call_as(:'a', 'select public.create_partnership()') ->> 'ok', 'true', 'the survivor can start a new partnership');

-- The creator (user_a) deletes their account, after the couple broke up: the same.
select tests.new_user('k1@example.com', 'K1') as k1, tests.new_user('k2@example.com', 'K2') as k2 \gset
insert into public.partnerships (user_a, user_b, invite_code, status) values (:'k1', :'k2', 'KKKK-2222-3333', 'active') returning id as pk \gset
insert into public.partner_profiles (owner_user_id, partnership_id, name, source) values (:'k2', :'pk', 'K1', 'partner_account') returning id as ppk \gset
insert into public.shared_memories (partnership_id, about_user, content) values (:'pk', :'k2', 'about K2') returning id as mk2 \gset
select tests.call_as(:'k2', 'select public.dissolve_partnership()') ->> 'ok' as dissolved \gset
select is(public.nova_prompt_context(:'k2') #>> '{reference,name}', 'K1', 'after the break-up K2''s reference is their profile of K1');
delete from auth.users where id = :'k1';
select is((select count(*)::int from public.partnerships where id = :'pk'), 0, 'creator deleted after a break-up: the dissolved partnership is gone too');
select is((select count(*)::int from public.shared_memories where id = :'mk2'), 0, 'memories about the survivor of that partnership are gone');
select is((select count(*)::int from public.partner_profiles where id = :'ppk'), 0, 'the survivor''s profile of the deleted creator is gone');
select is(public.nova_prompt_context(:'k2') -> 'reference', 'null'::jsonb, 'K2''s prompt no longer has a reference');

-- A solo user with an open invite, failed joins and a lock row.
select tests.call_as(:'c', 'select public.create_partnership()') ->> 'partnership_id' as pc \gset
select tests.call_as(:'c', 'select public.join_partnership(''ZZZZ-ZZZZ-ZZZZ'')') is not null as tried \gset
delete from auth.users where id = :'c';
select is((select count(*)::int from public.partnerships where id = :'pc'), 0, 'an invite nobody joined is deleted with its creator');
select is((select count(*)::int from nova.join_failures where user_id = :'c'), 0, 'failed joins are deleted');
select is((select count(*)::int from nova.user_locks where user_id = :'c'), 0, 'the lock row is deleted');
select is((select count(*)::int from public.user_profiles where id = :'c'), 0, 'profile deleted');

select * from finish();
rollback;
