-- nova_apply_memory_ops: validation of every op, all-or-nothing, other partnerships refused.
begin;
select plan(40);
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'c' as c, s ->> 'p' as p, s ->> 'm' as m from tests.seed_couple() s \gset
-- Another couple's partnership and memory.
select tests.new_user('o1@example.com') as o1, tests.new_user('o2@example.com') as o2 \gset
insert into public.partnerships (user_a, user_b, invite_code, status) values (:'o1', :'o2', 'XTHR-2222-3333', 'active') returning id as q \gset
insert into public.shared_memories (partnership_id, content) values (:'q', 'theirs') returning id as mq \gset

create function pg_temp.apply(p uuid, ops text) returns jsonb language sql as $$
  select public.nova_apply_memory_ops(p, ops::jsonb)
$$;
create function pg_temp.count_p(p uuid) returns int language sql as $$
  select count(*)::int from public.shared_memories where partnership_id = p
$$;
create function pg_temp.refusal(p uuid, ops text) returns text language sql as $$
  select (r -> 'applied')::text || ' ' || coalesce(r #>> '{error,index}', 'null') || ' ' || coalesce(r #>> '{error,reason}', '-')
    from (select public.nova_apply_memory_ops(p, ops::jsonb) as r) t
$$;

select is(tests.try_as('anon', null, format('select public.nova_apply_memory_ops(%L, ''[]'')', :'p')), 'err:42501', 'anon cannot apply memory ops');
select is(tests.try_as('authenticated', :'a', format('select public.nova_apply_memory_ops(%L, ''[]'')', :'p')), 'err:42501', 'a member cannot apply memory ops directly');
select is(tests.try_as('service_role', null, format('select public.nova_apply_memory_ops(%L, ''[]'')', :'p')), 'ok:1', 'service_role can');
select is(pg_temp.apply(:'p', '[]'), '{"applied": 0, "ids": []}'::jsonb, 'no ops: nothing applied');

-- A good batch, applied in order.
select pg_temp.apply(:'p', format($$[
  {"op": "add", "category": "gift_idea", "about_user": "%s", "content": "  Wants a film camera ", "confidence": 0.7},
  {"op": "add", "category": "general", "about_user": null, "content": "Met in Lisbon"},
  {"op": "update", "id": "%s", "content": "Blair loves red tulips", "confidence": 0.95},
  {"op": "deactivate", "id": "%s"}]$$, :'a', :'m', :'m')) as r \gset
select is((:'r'::jsonb) -> 'applied', '4'::jsonb, 'four ops applied');
select is(jsonb_array_length((:'r'::jsonb) -> 'ids'), 4, 'one id per op');
select is((:'r'::jsonb) #>> '{ids,2}', :'m', 'update reports the memory id');
select is((select category || '|' || about_user::text || '|' || content || '|' || confidence from public.shared_memories where id = ((:'r'::jsonb) #>> '{ids,0}')::uuid),
  'gift_idea|' || :'a' || '|Wants a film camera|0.7', 'add stores category, about_user, trimmed content, confidence');
select is((select coalesce(about_user::text, 'null') || '|' || confidence from public.shared_memories where id = ((:'r'::jsonb) #>> '{ids,1}')::uuid),
  'null|1', 'about_user null is the relationship; confidence defaults to 1');
select is((select content || '|' || confidence || '|' || is_active from public.shared_memories where id = :'m'),
  'Blair loves red tulips|0.95|false', 'update then deactivate, in order');
select is(pg_temp.apply(:'p', format('[{"op": "deactivate", "id": "%s"}]', :'m')) -> 'applied', '1'::jsonb, 'deactivating twice is harmless');

-- Every refusal: nothing applied, the op index and the reason returned.
select is(pg_temp.count_p(:'p'), 3, 'three memories before the refusals');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "ok"}, {"op": "add", "category": "general", "content": "x", "confidence": 2}]'),
  '0 1 confidence must be a number from 0 to 1', 'confidence above 1: refused at index 1');
select is(pg_temp.count_p(:'p'), 3, '... and the good op before it was not applied');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "x", "confidence": -0.01}]'), '0 0 confidence must be a number from 0 to 1', 'negative confidence');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "x", "confidence": "0.5"}]'), '0 0 confidence must be a number from 0 to 1', 'confidence as a string');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "gossip", "content": "x"}]'), '0 0 category must be one of the memory categories', 'unknown category');
select is(pg_temp.refusal(:'p', '[{"op": "add", "content": "x"}]'), '0 0 category must be one of the memory categories', 'missing category');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "   "}]'), '0 0 content must be a non-empty string', 'blank content');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": 5}]'), '0 0 content must be a non-empty string', 'content not a string');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general"}]'), '0 0 add needs content', 'add without content');
select is(pg_temp.refusal(:'p', format('[{"op": "add", "category": "general", "content": "%s"}]', repeat('x', 2001))), '0 0 content is longer than 2000 characters', 'content too long');
select is(pg_temp.refusal(:'p', format('[{"op": "add", "category": "general", "content": "x", "about_user": "%s"}]', :'c')),
  '0 0 about_user is not a member of this partnership', 'about_user must be a member');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "x", "about_user": "nope"}]'), '0 0 about_user must be a uuid or null', 'about_user not a uuid');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "x", "is_active": false}]'), '0 0 unexpected member "is_active" for add', 'unknown member refused');
select is(pg_temp.refusal(:'p', '[{"op": "delete", "id": "x"}]'), '0 0 op must be "add", "update" or "deactivate"', 'unknown op');
select is(pg_temp.refusal(:'p', '[42]'), '0 0 op is not an object', 'op not an object');
select is(pg_temp.refusal(:'p', format('[{"op": "update", "id": "%s"}]', :'m')), '0 0 update needs content or confidence', 'update with nothing to change');
select is(pg_temp.refusal(:'p', '[{"op": "update", "id": "not-a-uuid", "content": "x"}]'), '0 0 id must be a uuid', 'id not a uuid');
select is(pg_temp.refusal(:'p', format('[{"op": "deactivate", "id": "%s"}]', gen_random_uuid())), '0 0 id is not a memory of this partnership', 'unknown id');

-- Another partnership's rows are refused, and stay untouched.
select is(pg_temp.refusal(:'p', format('[{"op": "add", "category": "general", "content": "x"}, {"op": "update", "id": "%s", "content": "hijacked"}]', :'mq')),
  '0 1 id is not a memory of this partnership', 'updating another partnership''s memory is refused');
select is(pg_temp.refusal(:'p', format('[{"op": "deactivate", "id": "%s"}]', :'mq')),
  '0 0 id is not a memory of this partnership', 'deactivating another partnership''s memory is refused');
select is((select content || '|' || is_active from public.shared_memories where id = :'mq'), 'theirs|true', 'the other couple''s memory is unchanged');

-- Request-level refusals (index null).
select is(pg_temp.refusal(gen_random_uuid(), '[]'), '0 null partnership not found', 'unknown partnership');
select is(pg_temp.refusal(:'p', '{"op": "add"}'), '0 null ops must be an array', 'ops not an array');
select is(pg_temp.refusal(:'p', (select jsonb_agg('{"op": "deactivate", "id": "x"}'::jsonb)::text from generate_series(1, 101))),
  '0 null at most 100 ops per call', 'more than 100 ops');
update public.partnerships set status = 'dissolved' where id = :'q';
select is(pg_temp.refusal(:'q', '[]'), '0 null partnership is dissolved', 'a dissolved partnership takes no memories');

-- A failure while writing (here a trigger standing in for any table error) undoes the batch.
create function pg_temp.boom() returns trigger language plpgsql as $$
begin
  if new.content = 'boom' then raise exception 'boom refused'; end if;
  return new;
end;
$$;
create trigger boom before insert on public.shared_memories for each row execute function pg_temp.boom();
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "fine"}, {"op": "add", "category": "general", "content": "boom"}]'),
  '0 1 boom refused', 'an error while writing reports its op index');
select is(pg_temp.count_p(:'p'), 3, '... and the ops before it are rolled back');
drop trigger boom on public.shared_memories;
select is(pg_temp.count_p(:'p'), 3, 'no refused batch left anything behind');

select * from finish();
rollback;
