-- Races between real connections (dblink), at READ COMMITTED, REPEATABLE READ and
-- SERIALIZABLE: whatever the interleaving, no user is ever in two pending or active
-- partnerships, every call ends in a result or a refusal (or, at the two stricter
-- levels, a serialization failure to retry), and dissolving works afterwards.
-- The races need committed rows: fixtures are written through their own connection
-- (r0, autocommit) and deleted at the end.
begin;
select plan(54);

select format('dbname=%s port=%s host=%s user=postgres', current_database(), current_setting('port'),
              split_part(current_setting('unix_socket_directories'), ',', 1)) as connstr \gset
select dblink_connect('r0', :'connstr'), dblink_connect('r1', :'connstr'), dblink_connect('r2', :'connstr');

create temp table race_users (id uuid primary key);

-- A committed user (and nothing else).
create function pg_temp.user_() returns uuid language plpgsql as $$
declare
  v uuid := gen_random_uuid();
begin
  perform dblink_exec('r0', format('insert into auth.users (id, email) values (%L, %L)', v, v || '@race.test'));
  insert into race_users values (v);
  return v;
end;
$$;

-- A committed pending partnership of p_creator; returns its invite code.
create function pg_temp.invite(p_creator uuid) returns text language plpgsql as $$
declare
  v_code text := nova.generate_invite_code();
begin
  perform dblink_exec('r0', format('insert into public.partnerships (user_a, invite_code) values (%L, %L)', p_creator, v_code));
  return v_code;
end;
$$;

-- Opens a transaction on p_conn at p_level, signed in as p_uid, and takes its snapshot.
create function pg_temp.begin_as(p_conn text, p_uid uuid, p_level text) returns void language plpgsql as $$
begin
  perform dblink_exec(p_conn, format('begin isolation level %s', p_level));
  perform * from dblink(p_conn, format($q$select set_config('request.jwt.claims', %L, true)$q$,
                                       jsonb_build_object('sub', p_uid, 'role', 'authenticated')::text)) as t(x text);
  perform dblink_exec(p_conn, 'set local role authenticated');
  perform * from dblink(p_conn, 'select count(*)::text from public.user_profiles') as t(x text);
end;
$$;

-- What a call returned, or {"error": "serialization_failure" | "sql: <message>"}.
create function pg_temp.outcome(p_conn text, p_text text) returns jsonb language sql as $$
  select case when p_text is not null then p_text::jsonb
              when dblink_error_message(p_conn) like '%could not serialize%' then '{"error": "serialization_failure"}'::jsonb
              else jsonb_build_object('error', 'sql: ' || dblink_error_message(p_conn)) end
$$;

-- Runs p_sql on p_conn's open transaction and commits it (a failed one rolls back).
create function pg_temp.run(p_conn text, p_sql text) returns jsonb language plpgsql as $$
declare
  v text;
  v_out jsonb;
begin
  select t.r into v from dblink(p_conn, p_sql || '::text', false) as t(r text);
  v_out := pg_temp.outcome(p_conn, v);
  perform dblink_exec(p_conn, 'commit');
  return v_out;
end;
$$;

-- Sends p_sql1 on r1 and p_sql2 on r2 at once; commits each as soon as it answers (the
-- one that waits for the other's lock can only answer after that commit). Bounded: 10 s.
create function pg_temp.race(p_sql1 text, p_sql2 text, out r1 jsonb, out r2 jsonb) language plpgsql as $$
declare
  v text;
  v_conn text;
  v_pending text[] := array['r1', 'r2'];
begin
  perform dblink_send_query('r1', p_sql1 || '::text');
  perform dblink_send_query('r2', p_sql2 || '::text');
  for i in 1 .. 500 loop
    exit when cardinality(v_pending) = 0;
    foreach v_conn in array v_pending loop
      if dblink_is_busy(v_conn) = 0 then
        select t.r into v from dblink_get_result(v_conn, false) as t(r text);
        if v_conn = 'r1' then r1 := pg_temp.outcome(v_conn, v); else r2 := pg_temp.outcome(v_conn, v); end if;
        perform * from dblink_get_result(v_conn, false) as t(r text);
        perform dblink_exec(v_conn, 'commit');
        v_pending := array_remove(v_pending, v_conn);
      end if;
    end loop;
    perform pg_sleep(0.02);
  end loop;
end;
$$;

-- An outcome that is one of p_allowed (refusal codes, or "ok").
create function pg_temp.kind(p jsonb) returns text language sql as $$
  select case when p ->> 'ok' = 'true' then 'ok' else coalesce(p ->> 'error', 'no result') end
$$;
create function pg_temp.members(p_uid uuid) returns int language sql as $$
  select count(*)::int from nova.partnership_members where user_id = p_uid
$$;

create function pg_temp.round(p_level text) returns setof text language plpgsql as $$
declare
  u uuid; x uuid; t uuid; c uuid; y1 uuid; y2 uuid; a3 uuid; b3 uuid; c3 uuid; j uuid;
  v_code text; v_code_b text; v_r jsonb; v_race record;
  v_strict boolean := p_level <> 'read committed';
begin
  -- A. The reported attack: u's transaction takes its snapshot, then u joins x's code on
  -- another connection and commits, then the first transaction creates an invite.
  u := pg_temp.user_(); x := pg_temp.user_(); t := pg_temp.user_();
  v_code := pg_temp.invite(x);
  perform pg_temp.begin_as('r1', u, p_level);
  perform pg_temp.begin_as('r2', u, 'read committed');
  return next is(pg_temp.kind(pg_temp.run('r2', format('select public.join_partnership(%L)', v_code))), 'ok',
                 p_level || ': A. u joins x''s code while an older transaction of u is open');
  v_r := pg_temp.run('r1', 'select public.create_partnership()');
  return next ok(pg_temp.kind(v_r) = 'already_in_partnership' or (v_strict and pg_temp.kind(v_r) = 'serialization_failure'),
                 p_level || ': A. the older transaction cannot create an invite (' || pg_temp.kind(v_r) || ')');
  return next is(pg_temp.members(u), 1, p_level || ': A. u is in exactly one partnership');
  perform pg_temp.begin_as('r1', u, p_level);
  return next is(pg_temp.kind(pg_temp.run('r1', 'select public.dissolve_partnership()')), 'ok',
                 p_level || ': A. and dissolving it works');
  return next is(pg_temp.members(u) + pg_temp.members(x), 0, p_level || ': A. after which neither is in a partnership');

  -- B. Two joiners send the same code at once: exactly one wins.
  c := pg_temp.user_(); y1 := pg_temp.user_(); y2 := pg_temp.user_();
  v_code := pg_temp.invite(c);
  perform pg_temp.begin_as('r1', y1, p_level);
  perform pg_temp.begin_as('r2', y2, p_level);
  select * into v_race from pg_temp.race(format('select public.join_partnership(%L)', v_code),
                                         format('select public.join_partnership(%L)', v_code));
  return next is((pg_temp.kind(v_race.r1) = 'ok')::int + (pg_temp.kind(v_race.r2) = 'ok')::int, 1,
                 p_level || ': B. simultaneous joins of one code: exactly one wins');
  return next ok((pg_temp.kind(v_race.r1) in ('ok', 'already_used') or (v_strict and pg_temp.kind(v_race.r1) = 'serialization_failure'))
             and (pg_temp.kind(v_race.r2) in ('ok', 'already_used') or (v_strict and pg_temp.kind(v_race.r2) = 'serialization_failure')),
                 format('%s: B. the loser is refused (%s, %s)', p_level, pg_temp.kind(v_race.r1), pg_temp.kind(v_race.r2)));
  return next is((select p.user_b from public.partnerships p where p.invite_code = v_code),
                 case when pg_temp.kind(v_race.r1) = 'ok' then y1 else y2 end, p_level || ': B. the winner reported is the one recorded');

  -- C. Crossing joins: b3 (with an open invite) joins a3's code while c3 joins b3's.
  a3 := pg_temp.user_(); b3 := pg_temp.user_(); c3 := pg_temp.user_();
  v_code := pg_temp.invite(a3); v_code_b := pg_temp.invite(b3);
  perform pg_temp.begin_as('r1', b3, p_level);
  perform pg_temp.begin_as('r2', c3, p_level);
  select * into v_race from pg_temp.race(format('select public.join_partnership(%L)', v_code),
                                         format('select public.join_partnership(%L)', v_code_b));
  return next is((pg_temp.kind(v_race.r1) = 'ok')::int + (pg_temp.kind(v_race.r2) = 'ok')::int, 1,
                 format('%s: C. crossing joins: exactly one wins (%s, %s)', p_level, pg_temp.kind(v_race.r1), pg_temp.kind(v_race.r2)));
  return next is(pg_temp.members(b3), 1, p_level || ': C. the middle user is in exactly one partnership');
  return next ok(not exists (select 1 from (values (v_race.r1), (v_race.r2)) v(r) where pg_temp.kind(v.r) like 'sql:%'),
                 p_level || ': C. no call failed with an unexpected error');

  -- D. The creator dissolves the invite while someone joins it.
  c := pg_temp.user_(); j := pg_temp.user_();
  v_code := pg_temp.invite(c);
  perform pg_temp.begin_as('r1', c, p_level);
  perform pg_temp.begin_as('r2', j, p_level);
  select * into v_race from pg_temp.race('select public.dissolve_partnership()', format('select public.join_partnership(%L)', v_code));
  return next ok((pg_temp.kind(v_race.r1) = 'ok' or (v_strict and pg_temp.kind(v_race.r1) = 'serialization_failure'))
                 and (pg_temp.kind(v_race.r2) in ('ok', 'revoked') or (v_strict and pg_temp.kind(v_race.r2) = 'serialization_failure'))
                 and 'ok' in (pg_temp.kind(v_race.r1), pg_temp.kind(v_race.r2)),
                 format('%s: D. dissolve vs join: one of them wins, the other is refused or retried (%s, %s)',
                        p_level, pg_temp.kind(v_race.r1), pg_temp.kind(v_race.r2)));
  return next is(pg_temp.members(c) + pg_temp.members(j),
                 (select case p.status when 'active' then 2 else 0 end from public.partnerships p where p.invite_code = v_code),
                 p_level || ': D. the membership matches the partnership''s final state');

  -- E. One user creates two invites at once on two connections.
  u := pg_temp.user_();
  perform pg_temp.begin_as('r1', u, p_level);
  perform pg_temp.begin_as('r2', u, p_level);
  select * into v_race from pg_temp.race('select public.create_partnership()', 'select public.create_partnership()');
  return next is((pg_temp.kind(v_race.r1) = 'ok')::int + (pg_temp.kind(v_race.r2) = 'ok')::int, 1,
                 format('%s: E. two creates at once: exactly one invite (%s, %s)', p_level, pg_temp.kind(v_race.r1), pg_temp.kind(v_race.r2)));
  return next ok(pg_temp.kind(v_race.r1) in ('ok', 'already_in_partnership', 'serialization_failure')
             and pg_temp.kind(v_race.r2) in ('ok', 'already_in_partnership', 'serialization_failure')
             and (v_strict or 'serialization_failure' not in (pg_temp.kind(v_race.r1), pg_temp.kind(v_race.r2))),
                 p_level || ': E. the other is refused');
  return next is((select count(*)::int from public.partnerships p where p.user_a = u), 1, p_level || ': E. u has one partnership row');
  return next is(pg_temp.members(u), 1, p_level || ': E. and one membership');
end;
$$;

select pg_temp.round('read committed');
select pg_temp.round('repeatable read');
select pg_temp.round('serializable');

-- Nothing ended in an unexpected error anywhere: the memberships match the partnerships.
select is((select count(*)::int from public.partnerships p
            where p.status in ('pending', 'active') and p.user_a in (select id from race_users)
              and not exists (select 1 from nova.partnership_members m where m.partnership_id = p.id and m.user_id = p.user_a)), 0,
  'every pending or active partnership of the races has its creator as member');
select is((select count(*)::int from (select m.user_id from nova.partnership_members m join race_users r on r.id = m.user_id
                                       group by m.user_id having count(*) > 1) d), 0,
  'no user of the races is in two partnerships');

-- Clean up the committed fixture (account deletion removes everything it created).
select dblink_exec('r0', format('delete from auth.users where id in (%s)',
  (select string_agg(quote_literal(id), ', ') from race_users)));
select is((select count(*)::int from public.partnerships p where p.user_a in (select id from race_users)), 0, 'race fixture removed');
select dblink_disconnect('r0'), dblink_disconnect('r1'), dblink_disconnect('r2');

select * from finish();
rollback;
