-- nova_apply_memory_update: memory ops and partner notes in one transaction, as the route
-- calls it; when either step refuses, nothing of either is applied.
begin;
select plan(22);
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'c' as c, s ->> 'p' as p, s ->> 'm' as m from tests.seed_couple() s \gset
-- A solo user with a pending invite and an AI-built partner profile.
select tests.new_user('sol@example.com', 'Sol') as s \gset
select tests.call_as(:'s', 'select public.create_partnership()') ->> 'partnership_id' as ps \gset
insert into public.partner_profiles (owner_user_id, name) values (:'s', 'Luna') returning id as pps \gset

create function pg_temp.upd(u uuid, p uuid, ops text, notes text, name text) returns jsonb language sql as $$
  select public.nova_apply_memory_update(u, p, ops::jsonb, notes::jsonb, name)
$$;
create function pg_temp.state(u uuid) returns text language sql as $$
  select (select count(*) from public.shared_memories m
           where m.partnership_id = (select partnership_id from nova.partnership_members where user_id = u))
         || ' memories, traits ' || coalesce((select array_to_string(traits, ',') from nova.ai_profile_of(u, null)), '-')
$$;
create function pg_temp.seen(id uuid) returns text language sql as $$
  select nova.iso_time(updated_at) from public.shared_memories where shared_memories.id = seen.id
$$;

select is(tests.try_as('authenticated', :'s', format('select public.nova_apply_memory_update(%L, null, ''[]'', ''[]'', null)', :'s')), 'err:42501',
  'a user cannot call it');
select is(tests.try_as('service_role', null, format('select public.nova_apply_memory_update(%L, null, ''[]'', ''[]'', null)', :'s')), 'ok:1',
  'the service role can');

-- Both steps at once.
select pg_temp.upd(:'s', :'ps', '[{"op": "add", "category": "important_date", "content": "Anniversary on 3 May"}]',
                   '[{"field": "traits", "content": "loves the sea"}]', 'Luna') as r \gset
select is((:'r'::jsonb) ->> 'ok', 'true', 'memories and notes applied together');
select is(((:'r'::jsonb) #>> '{memories,applied}') || '/' || ((:'r'::jsonb) #>> '{partner_notes,applied}') || '/' || ((:'r'::jsonb) #>> '{partner_notes,profile_id}'),
  '1/1/' || :'pps', 'the result reports both steps');
select is(pg_temp.state(:'s'), '1 memories, traits loves the sea', 'both landed');
select is(pg_temp.upd(:'s', null, '[]', '[{"field": "traits", "content": "early riser"}]', null) ->> 'ok', 'true',
  'notes only: no partnership needed');
select is(pg_temp.upd(:'s', null, null, null, null), '{"ok": true, "memories": {"applied": 0, "ids": []},
  "partner_notes": {"applied": 0, "profile_id": null, "skipped": 0}}'::jsonb, 'nothing at all: ok, nothing applied');
select is(pg_temp.upd(:'a', :'p', '[]', '[]', null) ->> 'ok', 'true', 'a linked couple''s update without notes is fine');

-- The second step refuses: the first one's writes are undone.
select pg_temp.state(:'s') as before \gset
select is(pg_temp.upd(:'s', :'ps', '[{"op": "add", "category": "general", "content": "kept?"}]',
                      '[{"field": "traits", "content": "ok"}, {"field": "nope", "content": "x"}]', null) - 'error',
  '{"ok": false, "step": "partner_notes"}'::jsonb, 'bad notes: refused at the partner_notes step');
select is(pg_temp.state(:'s'), :'before', '... and the memory op before them was rolled back');
select is(pg_temp.upd(:'a', :'p', format('[{"op": "update", "id": "%s", "updated_at": "%s", "content": "Blair loves peonies"}]', :'m', pg_temp.seen(:'m')),
                      '[{"field": "traits", "content": "gentle"}]', 'Blair') #>> '{error,code}', 'partner_linked',
  'notes about a linked partner refuse the whole update');
select is((select content from public.shared_memories where id = :'m'), 'Blair loves tulips', '... the memory update was undone');

-- The first step refuses: the notes are not applied.
select is(pg_temp.upd(:'s', :'ps', '[{"op": "add", "category": "gossip", "content": "x"}]', '[{"field": "traits", "content": "brave"}]', null) - 'error',
  '{"ok": false, "step": "memories"}'::jsonb, 'a bad op: refused at the memories step');
select is(pg_temp.state(:'s'), :'before', '... nothing applied');
update public.shared_memories set content = 'changed elsewhere' where id = :'m';
select is(pg_temp.upd(:'a', :'p', format('[{"op": "deactivate", "id": "%s", "updated_at": "2026-01-01T00:00:00.000000Z"}]', :'m'), null, null)
            -> 'error' ->> 'code', 'stale', 'a stale op is reported with its code');

-- Who the update is for.
select is((select (r ->> 'step') || ' ' || (r #>> '{error,code}') from pg_temp.upd(:'c', :'p', '[{"op": "add", "category": "general", "content": "x"}]', null, null) r),
  'request not_member', 'a stranger''s update of the couple''s memories is refused');
select is(pg_temp.upd(:'s', null, '[{"op": "add", "category": "general", "content": "x"}]', null, null) #>> '{error,code}', 'invalid_request',
  'ops without a partnership are refused');
select is(pg_temp.upd(null, :'p', '[]', '[]', null) - 'error', '{"ok": false, "step": "request"}'::jsonb, 'a null user');
select is(pg_temp.upd(gen_random_uuid(), null, '[]', '[]', null) #>> '{error,code}', 'user_not_found', 'an unknown user');
select tests.call_as(:'b', 'select public.dissolve_partnership()') ->> 'ok' as dissolved \gset
select is(pg_temp.upd(:'a', :'p', '[{"op": "add", "category": "general", "content": "x"}]', null, null) #>> '{error,code}', 'partnership_dissolved',
  'ops for a partnership dissolved since the context was read are refused');
select is(pg_temp.upd(:'a', :'p', '[]', '[{"field": "traits", "content": "gentle"}]', 'Blair') ->> 'ok', 'true',
  'notes alone still apply after the break-up (to the profile the prompt now shows)');
select is((select 'gentle' = any (traits) from public.partner_profiles where owner_user_id = :'a' and partnership_id = :'p'), true,
  '... the one linked to the old partnership');

select * from finish();
rollback;
