-- Whom an AI-built partner profile is about (security review finding 2): an ex's profile is
-- never the reference or the notes' target in a later partnership; notes under another
-- name make another profile; a profile written during a partnership is linked to it; at
-- a join only a profile about the partner is linked; deleting the partner deletes what
-- was learned about them and nothing about anyone else.
begin;
select plan(32);

select tests.new_user('pl-alice@example.com', 'Alice') as a, tests.new_user('pl-bob@example.com', 'Bob') as b,
       tests.new_user('pl-carol@example.com', 'Carol') as c \gset

create function pg_temp.notes(u uuid, name text, notes text) returns jsonb language sql as $$
  select public.nova_apply_partner_notes(u, name, notes::jsonb)
$$;
create function pg_temp.profile(p_id text) returns text language sql as $$
  select coalesce((select pp.name || ':' || coalesce(array_to_string(pp.traits, ','), '') || '/'
                          || coalesce(array_to_string(pp.important_truths, ','), '') || '@'
                          || case when pp.partnership_id is null then 'unlinked' else pp.partnership_id::text end
                     from public.partner_profiles pp where pp.id::text = p_id), '(gone)')
$$;
create function pg_temp.ship(u uuid) returns text language sql as $$
  select partnership_id::text from nova.partnership_members where user_id = u
$$;

-- The review's repro. Alice's chats about Bob (no account yet) build a profile of Bob.
select pg_temp.notes(:'a', 'Bob', '[{"field": "traits", "content": "Bob loves jazz"}]') ->> 'profile_id' as bob_pp \gset
select is(pg_temp.profile(:'bob_pp'), 'Bob:Bob loves jazz/@unlinked', 'a solo user''s notes make an unlinked profile');
select tests.call_as(:'a', 'select public.create_partnership()') ->> 'invite_code' as code1 \gset
select pg_temp.ship(:'a') as p1 \gset
select is(tests.call_as(:'b', format('select public.join_partnership(%L)', :'code1')) ->> 'ok', 'true', 'Bob joins');
select is(pg_temp.profile(:'bob_pp'), 'Bob:Bob loves jazz/@' || :'p1', 'the profile under Bob''s name is linked to their partnership at the join');
select is(tests.call_as(:'b', 'select public.dissolve_partnership()') ->> 'ok', 'true', 'Bob ends it');
select is(public.nova_prompt_context(:'a') #>> '{reference,name}', 'Bob', 'solo after the break-up, Bob''s profile is Alice''s reference');

-- Alice invites Carol.
select tests.call_as(:'a', 'select public.create_partnership()') ->> 'invite_code' as code2 \gset
select pg_temp.ship(:'a') as p2 \gset
select is(public.nova_prompt_context(:'a') -> 'reference', 'null'::jsonb, 'with the new invite pending, the ex''s profile is not the reference');
select is(nova.ai_profile_of(:'a', :'p2') is null, true, '... nor the AI-built profile of the new partnership');
select pg_temp.notes(:'a', 'Carol', '[{"field": "important_truths", "content": "Carol is pregnant and has not told her family"}]') as r \gset
select isnt((:'r'::jsonb) ->> 'profile_id', :'bob_pp', 'notes about Carol do not go into Bob''s profile');
select pg_temp.profile((:'r'::jsonb) ->> 'profile_id') as carol_pp_text \gset
select is(:'carol_pp_text', 'Carol:/Carol is pregnant and has not told her family@' || :'p2', '... they make Carol''s, linked to the invite at creation');
select (:'r'::jsonb) ->> 'profile_id' as carol_pp \gset
select is(pg_temp.profile(:'bob_pp'), 'Bob:Bob loves jazz/@' || :'p1', 'Bob''s profile is unchanged');
select is(public.nova_prompt_context(:'a') #>> '{reference,name}', 'Carol', 'Carol''s profile is the reference now');
-- Even when the ex's profile is the most recently updated one.
update public.partner_profiles set ai_notes = 'touched' where id = :'bob_pp';
select is(public.nova_prompt_context(:'a') #>> '{reference,name}', 'Carol', '... even when Bob''s was updated more recently');
select is(pg_temp.notes(:'a', null, '[{"field": "traits", "content": "Carol sings"}]') ->> 'profile_id', :'carol_pp',
  'notes without a name go to the shown profile, Carol''s');
select is(pg_temp.notes(:'a', 'Bob', '[{"field": "traits", "content": "Bob again"}]') ->> 'profile_id' <> :'bob_pp', true,
  'notes under Bob''s name during Carol''s invite do not reopen the ex''s profile');
select id as bob2_pp from public.partner_profiles where owner_user_id = :'a' and 'Bob again' = any (traits) \gset
select is(pg_temp.profile(:'bob2_pp'), 'Bob:Bob again/@' || :'p2', '... they make a profile linked to the current invite');
delete from public.partner_profiles where id = :'bob2_pp';

-- Carol joins, then deletes her account: nothing about Carol survives.
select is(tests.call_as(:'c', format('select public.join_partnership(%L)', :'code2')) ->> 'ok', 'true', 'Carol joins');
select is(pg_temp.profile(:'carol_pp'), 'Carol:Carol sings/Carol is pregnant and has not told her family@' || :'p2', 'Carol''s profile stays linked to her partnership');
delete from auth.users where id = :'c';
select is(pg_temp.profile(:'carol_pp'), '(gone)', 'Carol''s deletion deletes what Alice''s chats taught about her');
select is((select count(*)::int from public.partner_profiles where owner_user_id = :'a'
            and array_to_string(coalesce(traits, '{}') || coalesce(important_truths, '{}'), ' ') || name || coalesce(ai_notes, '') like '%Carol%'), 0,
  'no profile of Alice''s mentions Carol');
select is(public.nova_prompt_context(:'a')::text like '%Carol%', false, 'Alice''s context mentions Carol nowhere');
select is(pg_temp.profile(:'bob_pp'), 'Bob:Bob loves jazz/@' || :'p1', 'Bob''s profile (about someone else) is kept');

-- The join links only what is about the partner, on both sides; the partner's deletion
-- destroys nothing about anyone else.
select tests.new_user('pl-dana@example.com', 'Dana') as d, tests.new_user('pl-eli@example.com', 'Eli Stone') as e \gset
insert into public.partner_profiles (owner_user_id, name, traits) values (:'d', 'Max', array['Dana''s ex']) returning id as d_max \gset
insert into public.partner_profiles (owner_user_id, name, traits) values (:'e', 'Gina', array['Eli''s ex']) returning id as e_gina \gset
insert into public.partner_profiles (owner_user_id, name, traits) values (:'e', 'dana', array['Eli''s view of Dana']) returning id as e_dana \gset
insert into public.partner_profiles (owner_user_id, name, traits) values (:'d', 'Eli', array['Dana''s view of Eli']) returning id as d_eli \gset
select tests.call_as(:'d', 'select public.create_partnership()') ->> 'invite_code' as code3 \gset
select pg_temp.ship(:'d') as p3 \gset
insert into public.partner_profiles (owner_user_id, name, traits) values (:'d', 'Eli', array['written during the invite']) returning id as d_eli2 \gset
select is(pg_temp.profile(:'d_eli2'), 'Eli:written during the invite/@' || :'p3', 'a profile the service role inserts during an invite is linked to it');
select is(tests.call_as(:'e', format('select public.join_partnership(%L)', :'code3')) ->> 'ok', 'true', 'Eli Stone joins Dana''s invite');
select is(pg_temp.profile(:'d_eli') || ' ' || pg_temp.profile(:'e_dana'),
  'Eli:Dana''s view of Eli/@' || :'p3' || ' dana:Eli''s view of Dana/@' || :'p3',
  'unlinked profiles under the partner''s name ("Eli" for "Eli Stone", "dana" for "Dana") are linked, on both sides');
select is(pg_temp.profile(:'d_max') || ' ' || pg_temp.profile(:'e_gina'), 'Max:Dana''s ex/@unlinked Gina:Eli''s ex/@unlinked',
  'profiles under other names stay unlinked');
delete from auth.users where id = :'e';
select is(pg_temp.profile(:'d_eli') || ' ' || pg_temp.profile(:'d_eli2'), '(gone) (gone)', 'the joiner''s deletion deletes the creator''s profiles of them');
select is(pg_temp.profile(:'d_max'), 'Max:Dana''s ex/@unlinked', '... and not the creator''s profile of someone else');

-- An invite withdrawn before anyone joined leaves its profiles unlinked, for the next one.
select tests.call_as(:'d', 'select public.create_partnership()') ->> 'ok' as ok4 \gset
select pg_temp.notes(:'d', 'Nico', '[{"field": "traits", "content": "Nico cooks"}]') ->> 'profile_id' as d_nico \gset
select is(pg_temp.profile(:'d_nico'), 'Nico:Nico cooks/@' || pg_temp.ship(:'d'), 'notes during an invite: linked to it');
select is(tests.call_as(:'d', 'select public.dissolve_partnership()') ->> 'ok', 'true', 'Dana withdraws the invite');
select is(pg_temp.profile(:'d_nico'), 'Nico:Nico cooks/@unlinked', 'the withdrawn invite''s profile is unlinked');
select tests.call_as(:'d', 'select public.create_partnership()') ->> 'ok' as ok5 \gset
select is(public.nova_prompt_context(:'d') #>> '{reference,name}', 'Nico', 'and is the reference of the next invite');
select is(pg_temp.notes(:'d', 'nico', '[{"field": "traits", "content": "Nico runs"}]') ->> 'profile_id', :'d_nico',
  'notes under the same name (any case) go to it');

select * from finish();
rollback;
