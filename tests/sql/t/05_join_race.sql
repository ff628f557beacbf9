-- Two users race for one invite code over two real connections (dblink): exactly one wins.
-- The race needs committed rows, so this file commits its fixture through a third
-- connection and deletes it at the end.
begin;
select plan(11);

select format('dbname=%s port=%s host=%s user=postgres', current_database(), current_setting('port'),
              split_part(current_setting('unix_socket_directories'), ',', 1)) as connstr,
       gen_random_uuid() as c, gen_random_uuid() as x, gen_random_uuid() as y,
       gen_random_uuid() as c2, gen_random_uuid() as x2, gen_random_uuid() as y2 \gset

select dblink_connect('r0', :'connstr'), dblink_connect('r1', :'connstr'), dblink_connect('r2', :'connstr');
select dblink_exec('r0', format(
  $$insert into auth.users (id, email) values (%L, 'rc@x'), (%L, 'rx@x'), (%L, 'ry@x'), (%L, 'rc2@x'), (%L, 'rx2@x'), (%L, 'ry2@x');
    insert into public.partnerships (user_a, invite_code) values (%L, 'RACE-AAAA-2222'), (%L, 'RACE-BBBB-3333')$$,
  :'c', :'x', :'y', :'c2', :'x2', :'y2', :'c', :'c2'));

-- Each racer: its own transaction, signed in as itself.
create function pg_temp.sign_in(conn text, uid uuid) returns text language sql as $$
  select dblink_exec(conn, format(
    $q$begin; select set_config('request.jwt.claims', '{"sub": "%s", "role": "authenticated"}', true); set local role authenticated$q$, uid))
$$;

-- Round 1, ordered: x joins and holds the row lock; y's join must wait for it.
select pg_temp.sign_in('r1', :'x'), pg_temp.sign_in('r2', :'y');
select is((select r from dblink('r1', $$select public.join_partnership('race-aaaa-2222')::text$$) as t(r text))::jsonb ->> 'ok',
  'true', 'first joiner succeeds inside its open transaction');
select is(dblink_send_query('r2', $$select public.join_partnership('RACE AAAA 2222')::text$$), 1, 'second joiner sends its join');

-- Wait (bounded) until the second backend is blocked on a lock held by the first.
create function pg_temp.wait_blocked() returns boolean language plpgsql as $$
begin
  for i in 1 .. 100 loop
    perform pg_stat_clear_snapshot();  -- pg_stat_activity is otherwise frozen per transaction
    if exists (select 1 from pg_stat_activity
                where query like '%RACE AAAA 2222%' and wait_event_type = 'Lock'
                  and pid <> pg_backend_pid()) then
      return true;
    end if;
    perform pg_sleep(0.05);
  end loop;
  return false;
end;
$$;
select ok(pg_temp.wait_blocked(), 'the second join waits for the first one');
select dblink_exec('r1', 'commit');
select is((select r from dblink_get_result('r2') as t(r text))::jsonb ->> 'error', 'already_used',
  'once the first commits, the second sees the code used');
select * from dblink_get_result('r2') as t(r text);  -- drain the end of the async result
select dblink_exec('r2', 'commit');
select is((select status || '/' || user_b::text from public.partnerships where invite_code = 'RACE-AAAA-2222'),
  'active/' || :'x', 'the partnership holds the winner only');

-- Round 2, unordered: both send at once; exactly one of them wins.
select pg_temp.sign_in('r1', :'x2'), pg_temp.sign_in('r2', :'y2');
select dblink_send_query('r1', $$select public.join_partnership('RACE-BBBB-3333')::text$$),
       dblink_send_query('r2', $$select public.join_partnership('RACE-BBBB-3333')::text$$);
-- Collect each result as it arrives and commit that racer, whichever finishes first
-- (the loser is blocked until the winner commits). Bounded: 10 s at most.
create temp table outcomes (who text, r jsonb);
create function pg_temp.collect() returns void language plpgsql as $$
declare
  pending text[] := array['r1', 'r2'];
  conn text;
begin
  for i in 1 .. 500 loop
    exit when cardinality(pending) = 0;
    foreach conn in array pending loop
      if dblink_is_busy(conn) = 0 then
        insert into outcomes select conn, t.r::jsonb from dblink_get_result(conn) as t(r text);
        perform * from dblink_get_result(conn) as t(r text);
        perform dblink_exec(conn, 'commit');
        pending := array_remove(pending, conn);
      end if;
    end loop;
    perform pg_sleep(0.02);
  end loop;
end;
$$;
select pg_temp.collect();
select is((select count(*)::int from outcomes where r ->> 'ok' = 'true'), 1, 'simultaneous joins: exactly one wins');
select is((select count(*)::int from outcomes where r ->> 'error' = 'already_used'), 1, 'simultaneous joins: the other is told the code is used');
select is((select user_b from public.partnerships where invite_code = 'RACE-BBBB-3333'),
  (select case who when 'r1' then :'x2'::uuid else :'y2'::uuid end from outcomes where r ->> 'ok' = 'true'),
  'the winner reported is the one recorded');

-- Round 3, crossing: b3 (who has an open invite) joins a3's code while c3 joins b3's code.
-- Whatever the order, b3 must not end up in two active partnerships: exactly one join wins.
delete from outcomes;
select gen_random_uuid() as a3, gen_random_uuid() as b3, gen_random_uuid() as c3 \gset
select dblink_exec('r0', format(
  $$insert into auth.users (id, email) values (%L, 'ra3@x'), (%L, 'rb3@x'), (%L, 'rc3@x');
    insert into public.partnerships (user_a, invite_code) values (%L, 'RACE-CCCC-4444'), (%L, 'RACE-DDDD-5555')$$,
  :'a3', :'b3', :'c3', :'a3', :'b3'));
select pg_temp.sign_in('r1', :'b3'), pg_temp.sign_in('r2', :'c3');
select dblink_send_query('r1', $$select public.join_partnership('RACE-CCCC-4444')::text$$),
       dblink_send_query('r2', $$select public.join_partnership('RACE-DDDD-5555')::text$$);
select pg_temp.collect();
select is((select count(*)::int from outcomes where r ->> 'ok' = 'true'), 1, 'crossing joins: exactly one wins');
select is((select count(*)::int from public.partnerships where status = 'active' and :'b3' in (user_a, user_b)), 1,
  'crossing joins: the middle user is in exactly one active partnership');

-- Clean up the committed fixture (account deletion removes everything it created).
select dblink_exec('r0', format('delete from auth.users where id in (%L, %L, %L, %L, %L, %L, %L, %L, %L)',
  :'c', :'x', :'y', :'c2', :'x2', :'y2', :'a3', :'b3', :'c3'));
select is((select count(*)::int from public.partnerships where invite_code like 'RACE-%'), 0, 'race fixture removed');
select dblink_disconnect('r0'), dblink_disconnect('r1'), dblink_disconnect('r2');

select * from finish();
rollback;
