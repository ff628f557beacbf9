-- nova_apply_memory_ops: every op checked (codes and reasons), stale updates refused,
-- all-or-nothing, other partnerships refused, huge and deep input refused cleanly.
begin;
select plan(62);
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
-- "<applied> <index> <code>" of a refusal.
create function pg_temp.refusal(p uuid, ops text) returns text language sql as $$
  select (r -> 'applied')::text || ' ' || coalesce(r #>> '{error,index}', 'null') || ' ' || coalesce(r #>> '{error,code}', '-')
    from (select public.nova_apply_memory_ops(p, ops::jsonb) as r) t
$$;
-- A memory's updated_at as nova_prompt_context writes it (what the model saw).
create function pg_temp.seen(id uuid) returns text language sql as $$
  select nova.iso_time(updated_at) from public.shared_memories where shared_memories.id = seen.id
$$;

select is(tests.try_as('anon', null, format('select public.nova_apply_memory_ops(%L, ''[]'')', :'p')), 'err:42501', 'anon cannot apply memory ops');
select is(tests.try_as('authenticated', :'a', format('select public.nova_apply_memory_ops(%L, ''[]'')', :'p')), 'err:42501', 'a member cannot apply memory ops directly');
select is(tests.try_as('service_role', null, format('select public.nova_apply_memory_ops(%L, ''[]'')', :'p')), 'ok:1', 'service_role can');
select is(pg_temp.apply(:'p', '[]'), '{"applied": 0, "ids": []}'::jsonb, 'no ops: nothing applied');
select is((public.nova_prompt_context(:'a') #>> '{memories,0,updated_at}'), pg_temp.seen(:'m'), 'the context gives updated_at as the ops take it');

-- A good batch, applied in order.
insert into public.shared_memories (partnership_id, content) values (:'p', 'Blair hates mornings') returning id as m0 \gset
select pg_temp.apply(:'p', format($$[
  {"op": "add", "category": "gift_idea", "about_user": "%s", "content": "\t Wants a film camera \u00a0", "confidence": 0.7},
  {"op": "add", "category": "general", "about_user": null, "content": "Met in Lisbon"},
  {"op": "update", "id": "%s", "updated_at": "%s", "content": "Blair loves red tulips", "confidence": 0.95},
  {"op": "deactivate", "id": "%s", "updated_at": "%s"}]$$, :'a', :'m', pg_temp.seen(:'m'), :'m0', pg_temp.seen(:'m0'))) as r \gset
select is((:'r'::jsonb) -> 'applied', '4'::jsonb, 'four ops applied');
select is(jsonb_array_length((:'r'::jsonb) -> 'ids'), 4, 'one id per op');
select is((:'r'::jsonb) #>> '{ids,2}', :'m', 'update reports the memory id');
select is((select category || '|' || about_user::text || '|' || content || '|' || confidence from public.shared_memories where id = ((:'r'::jsonb) #>> '{ids,0}')::uuid),
  'gift_idea|' || :'a' || '|Wants a film camera|0.7', 'add stores category, about_user, content trimmed of every white space, confidence');
select is((select coalesce(about_user::text, 'null') || '|' || confidence from public.shared_memories where id = ((:'r'::jsonb) #>> '{ids,1}')::uuid),
  'null|1', 'about_user null is the relationship; confidence defaults to 1');
select is((select content || '|' || confidence || '|' || is_active from public.shared_memories where id = :'m')
          || '; ' || (select content || '|' || is_active from public.shared_memories where id = :'m0'),
  'Blair loves red tulips|0.95|true; Blair hates mornings|false', 'the update and the deactivation are applied');

-- Stale: the row changed since the model read it (another chat updated it).
insert into public.shared_memories (partnership_id, content) values (:'p', 'Blair runs on Sundays') returning id as m2 \gset
select pg_temp.seen(:'m2') as seen2 \gset
update public.shared_memories set confidence = 0.8 where id = :'m2';  -- the other chat
select is(pg_temp.refusal(:'p', format('[{"op": "add", "category": "general", "content": "new"}, {"op": "update", "id": "%s", "updated_at": "%s", "content": "Blair runs on Saturdays"}]', :'m2', :'seen2')),
  '0 1 stale', 'an update of a memory changed since it was read is refused as stale, at its index');
select matches((pg_temp.apply(:'p', format('[{"op": "deactivate", "id": "%s", "updated_at": "%s"}]', :'m2', :'seen2')) #>> '{error,reason}'),
  '^the memory changed since it was read \(updated_at .*, now .*\)$', 'the reason says what changed');
select is((select content || '|' || is_active || '|' || pg_temp.count_p(:'p') from public.shared_memories where id = :'m2'),
  'Blair runs on Sundays|true|5', 'nothing of the stale batch was applied');
select is(pg_temp.apply(:'p', format('[{"op": "update", "id": "%s", "updated_at": "%s", "content": "Blair runs on Saturdays"}]', :'m2', pg_temp.seen(:'m2'))) -> 'applied',
  '1'::jsonb, 'with the current updated_at the update applies');
select is(pg_temp.refusal(:'p', format('[{"op": "deactivate", "id": "%s", "updated_at": "%s"}]', :'m0', pg_temp.seen(:'m0'))),
  '0 0 not_found', 'an inactive memory takes no more ops');

-- One op per memory in a batch (review finding 6): the second is refused, nothing applied.
select pg_temp.seen(:'m2') as seen2b \gset
select is(pg_temp.refusal(:'p', format('[{"op": "update", "id": "%1$s", "updated_at": "%2$s", "content": "Rome"},
  {"op": "update", "id": "%1$s", "updated_at": "%2$s", "content": "Oslo"}, {"op": "deactivate", "id": "%1$s", "updated_at": "%2$s"},
  {"op": "update", "id": "%1$s", "updated_at": "%2$s", "content": "resurrected"}]', :'m2', :'seen2b')),
  '0 1 duplicate_id', 'the review''s batch of four ops on one memory is refused at the second');
select is(pg_temp.apply(:'p', format('[{"op": "deactivate", "id": "%s", "updated_at": "%s"}, {"op": "update", "id": "%s", "updated_at": "%s", "content": "back"}]',
            :'m2', :'seen2b', upper(:'m2'), :'seen2b')) #>> '{error,reason}',
  'op 0 already names this memory: one op per memory in a batch', '... the same id in another case too, and the reason names the first op');
select is((select content || '|' || is_active from public.shared_memories where id = :'m2'), 'Blair runs on Saturdays|true',
  'the memory is untouched');
select is(pg_temp.refusal(:'p', format('[{"op": "update", "id": "%s", "content": "x"}]', :'m2')), '0 0 invalid_op', 'update without updated_at');
select is(pg_temp.refusal(:'p', format('[{"op": "deactivate", "id": "%s", "updated_at": "yesterday"}]', :'m2')), '0 0 invalid_op', 'updated_at that is not a timestamp');
select is(pg_temp.refusal(:'p', format('[{"op": "deactivate", "id": "%s", "updated_at": "2026-99-99T00:00:00Z"}]', :'m2')), '0 0 invalid_op', 'updated_at out of range');
select is(pg_temp.refusal(:'p', format('[{"op": "deactivate", "id": "%s", "updated_at": 5}]', :'m2')), '0 0 invalid_op', 'updated_at as a number');

-- Every other refusal: nothing applied, the op index and a stable code.
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "ok"}, {"op": "add", "category": "general", "content": "x", "confidence": 2}]'),
  '0 1 invalid_op', 'confidence above 1: refused at index 1');
select is(pg_temp.count_p(:'p'), 5, '... and the good op before it was not applied');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "x", "confidence": -0.01}]'), '0 0 invalid_op', 'negative confidence');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "x", "confidence": "0.5"}]'), '0 0 invalid_op', 'confidence as a string');
select is(pg_temp.apply(:'p', '[{"op": "add", "category": "general", "content": "x", "confidence": 1e-400}]') -> 'error',
  '{"index": 0, "code": "invalid_op", "reason": "\"confidence\" must be a number from 0 to 1"}'::jsonb,
  'confidence 1e-400 (no double holds it) is refused by the check, with a short reason');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "x", "confidence": 1e400}]'), '0 0 invalid_op', 'confidence 1e400');
select is(pg_temp.apply(:'p', '[{"op": "add", "category": "general", "content": "tiny", "confidence": 5e-324}]') -> 'applied', '1'::jsonb,
  'the smallest double is a confidence like any other');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "gossip", "content": "x"}]'), '0 0 invalid_op', 'unknown category');
select is(pg_temp.refusal(:'p', '[{"op": "add", "content": "x"}]'), '0 0 invalid_op', 'missing category');
select is(pg_temp.refusal(:'p', format('[{"op": "add", "category": "general", "content": %s}]', to_jsonb(blank))), '0 0 invalid_op', 'content of only ' || what)
  from (values (' ', 'spaces'), (E'\t\t', 'tabs'), (E'\n\r\n', 'line breaks'), (U&'\00A0', 'NBSP'), (U&'\200B\FEFF', 'zero-width characters')) v(blank, what);
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": 5}]'), '0 0 invalid_op', 'content not a string');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general"}]'), '0 0 invalid_op', 'add without content');
select is(pg_temp.refusal(:'p', format('[{"op": "add", "category": "general", "content": "%s"}]', repeat('x', 2001))), '0 0 invalid_op', 'content over 2000 characters');
select is(pg_temp.apply(:'p', format('[{"op": "add", "category": "general", "content": "  %s  "}]', repeat('x', 2000))) -> 'applied', '1'::jsonb,
  '2000 characters plus white space around them fit (the limit counts the trimmed text)');
select is(pg_temp.refusal(:'p', format('[{"op": "add", "category": "general", "content": "x", "about_user": "%s"}]', :'c')), '0 0 not_member', 'about_user must be a member');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "x", "about_user": "nope"}]'), '0 0 invalid_op', 'about_user not a uuid');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": "x", "is_active": false}]'), '0 0 invalid_op', 'unknown member refused');
select is(pg_temp.refusal(:'p', '[{"op": "delete", "id": "x"}]'), '0 0 invalid_op', 'unknown op');
select is(pg_temp.refusal(:'p', '[42]'), '0 0 invalid_op', 'op not an object');
select is(pg_temp.refusal(:'p', format('[{"op": "update", "id": "%s", "updated_at": "%s"}]', :'m2', pg_temp.seen(:'m2'))), '0 0 invalid_op', 'update with nothing to change');
select is(pg_temp.refusal(:'p', '[{"op": "update", "id": "not-a-uuid", "updated_at": "2026-01-01T00:00:00Z", "content": "x"}]'), '0 0 invalid_op', 'id not a uuid');
select is(pg_temp.refusal(:'p', format('[{"op": "deactivate", "id": "%s", "updated_at": "2026-01-01T00:00:00Z"}]', gen_random_uuid())), '0 0 not_found', 'unknown id');

-- Another partnership's rows are refused with the same answer as an unknown id, and stay untouched.
select is(pg_temp.refusal(:'p', format('[{"op": "add", "category": "general", "content": "x"}, {"op": "update", "id": "%s", "updated_at": "%s", "content": "hijacked"}]', :'mq', pg_temp.seen(:'mq'))),
  '0 1 not_found', 'updating another partnership''s memory is refused');
select is((select content || '|' || is_active from public.shared_memories where id = :'mq'), 'theirs|true', 'the other couple''s memory is unchanged');

-- Request-level refusals (index null).
select is(pg_temp.refusal(gen_random_uuid(), '[]'), '0 null partnership_not_found', 'unknown partnership');
select is(pg_temp.refusal(null, '[]'), '0 null partnership_not_found', 'null partnership');
select is(pg_temp.refusal(:'p', '{"op": "add"}'), '0 null invalid_request', 'ops not an array');
select is(public.nova_apply_memory_ops(:'p', null) #>> '{error,code}', 'invalid_request', 'ops null');
select is(pg_temp.refusal(:'p', (select jsonb_agg('{"op": "deactivate", "id": "x"}'::jsonb)::text from generate_series(1, 101))),
  '0 null too_many_ops', 'more than 100 ops');
-- Huge and deep input: refused at once, cleanly.
select is(pg_temp.refusal(:'p', (select jsonb_agg(jsonb_build_object('op', 'add', 'category', 'general', 'content', 'x'))::text from generate_series(1, 100000))),
  '0 null too_many_ops', '100,000 ops');
select is(pg_temp.refusal(:'p', format('[{"op": "add", "category": "general", "content": "%s"}]', repeat('x', 10000000))),
  '0 0 invalid_op', 'a 10 MB content');
select is(pg_temp.refusal(:'p', '[{"op": "add", "category": "general", "content": ' || repeat('[', 2000) || repeat(']', 2000) || '}]'),
  '0 0 invalid_op', 'content nested 2000 deep');
update public.partnerships set status = 'dissolved' where id = :'q';
select is(pg_temp.refusal(:'q', format('[{"op": "deactivate", "id": "%s", "updated_at": "%s"}]', :'mq', pg_temp.seen(:'mq'))),
  '0 null partnership_dissolved', 'a dissolved partnership takes no ops');

-- A failure while writing (here a trigger standing in for any table error) undoes the batch.
create function pg_temp.boom() returns trigger language plpgsql as $$
begin
  if new.content = 'boom' then raise exception 'boom refused'; end if;
  return new;
end;
$$;
create trigger boom before insert on public.shared_memories for each row execute function pg_temp.boom();
select is(pg_temp.apply(:'p', '[{"op": "add", "category": "general", "content": "fine"}, {"op": "add", "category": "general", "content": "boom"}]') -> 'error',
  '{"index": 1, "code": "write_failed", "reason": "boom refused"}'::jsonb, 'an error while writing reports its op index');
select is(pg_temp.count_p(:'p'), 7, '... and the ops before it are rolled back');
drop trigger boom on public.shared_memories;

select * from finish();
rollback;
