-- No session can hold up another user's partnership calls: the functions wait only for
-- row locks on rows no client can lock. An attacker's session takes every lock a
-- signed-in client can take (the advisory-lock keys the old functions used, its own
-- profile row, ACCESS SHARE on the tables) and keeps its transaction open; the victim's
-- create, join and dissolve, run with lock_timeout 2 s, must not wait for it.
begin;
select plan(19);

select format('dbname=%s port=%s host=%s user=postgres', current_database(), current_setting('port'),
              split_part(current_setting('unix_socket_directories'), ',', 1)) as connstr,
       gen_random_uuid() as att, gen_random_uuid() as vic, gen_random_uuid() as joiner \gset
select dblink_connect('l0', :'connstr'), dblink_connect('l1', :'connstr'), dblink_connect('l2', :'connstr');
select dblink_exec('l0', format($$insert into auth.users (id, email) values (%L, 'att@x'), (%L, 'vic@x'), (%L, 'joiner@x')$$,
  :'att', :'vic', :'joiner'));

create function pg_temp.sign_in(p_conn text, p_uid uuid) returns void language plpgsql as $$
begin
  perform dblink_exec(p_conn, 'begin');
  perform * from dblink(p_conn, format($q$select set_config('request.jwt.claims', %L, true)$q$,
                                       jsonb_build_object('sub', p_uid, 'role', 'authenticated')::text)) as t(x text);
  perform dblink_exec(p_conn, 'set local role authenticated');
end;
$$;
-- p_sql's one value (text) on p_conn, or the error it raised.
create function pg_temp.try(p_conn text, p_sql text) returns text language plpgsql as $$
declare
  v text;
begin
  select t.r into v from dblink(p_conn, p_sql, false) as t(r text);
  return coalesce(v, 'error: ' || dblink_error_message(p_conn));
end;
$$;

-- The attacker's open transaction, holding all it can.
select pg_temp.sign_in('l1', :'att');
select is(pg_temp.try('l1', format($$select pg_advisory_xact_lock(hashtextextended('nova.partnership:' || %L, 0))::text$$, :'vic')), '',
  'the attacker takes the old advisory-lock key of the victim (transaction level) ...');
select is(pg_temp.try('l1', format($$select pg_advisory_lock(hashtextextended('nova.partnership:' || %L, 0))::text$$, :'vic')), '',
  '... and session level');
select is(pg_temp.try('l1', format('select name from public.user_profiles where id = %L for update', :'att')), 'att',
  '... and a row lock on its own profile');
select is(pg_temp.try('l1', 'lock table public.partnerships, public.shared_memories, public.user_profiles in access share mode; select ''locked'''),
  'locked', '... and ACCESS SHARE on the tables');

-- What the attacker cannot lock at all (each probe in the main transaction, rolled back).
select is(tests.try_as('authenticated', :'att', 'select 1 from public.partnerships for update'), 'err:42501', 'clients cannot row-lock partnerships');
select is(tests.try_as('authenticated', :'att', 'select 1 from nova.user_locks for update'), 'err:42501', 'clients cannot touch nova.user_locks');
select is(tests.try_as('authenticated', :'att', 'lock table public.user_profiles in share mode'), 'err:42501', 'clients cannot take SHARE locks on user_profiles');
select is(tests.try_as('authenticated', :'att', 'lock table public.partnerships in exclusive mode'), 'err:42501', 'clients cannot take EXCLUSIVE locks on partnerships');

-- The victim's calls go through while the attacker's transaction stays open.
select dblink_exec('l2', 'set lock_timeout = ''2s''');
select pg_temp.sign_in('l2', :'vic');
select pg_temp.try('l2', 'select public.create_partnership()::text') as vcreated \gset
select dblink_exec('l2', 'commit');
select is((:'vcreated'::jsonb) ->> 'ok', 'true', 'the victim creates an invite without waiting');
select pg_temp.sign_in('l2', :'joiner');
select is(pg_temp.try('l2', format('select public.join_partnership(%L)::text', (:'vcreated'::jsonb) ->> 'invite_code'))::jsonb ->> 'ok', 'true',
  'someone joins it without waiting');
select dblink_exec('l2', 'commit');
select pg_temp.sign_in('l2', :'vic');
select is(pg_temp.try('l2', 'select public.dissolve_partnership()::text')::jsonb ->> 'ok', 'true', 'the victim dissolves it without waiting');
select dblink_exec('l2', 'commit');
select is(pg_temp.try('l1', 'select ''1'''), '1', 'the attacker''s transaction was open all along');
select dblink_exec('l1', 'rollback');
select is(pg_temp.try('l1', format($$select pg_advisory_unlock(hashtextextended('nova.partnership:' || %L, 0))::text$$, :'vic')), 'true',
  'and still held the session-level advisory lock');

-- Review finding 5: a join on a code that cannot be joined takes no lock. The attacker
-- joins the victim's expired invite in a transaction it keeps open; the victim's create
-- (which withdraws that invite) must not wait for it: with a lock it would answer busy
-- after lock_timeout.
select dblink_exec('l0', format($$insert into public.partnerships (user_a, invite_code, invite_expires_at)
  values (%L, 'EXPD-0000-0001', now() - interval '1 day')$$, :'vic'));
select pg_temp.sign_in('l1', :'att');
select is(pg_temp.try('l1', 'select public.join_partnership(''EXPD-0000-0001'')::text')::jsonb ->> 'error', 'expired',
  'the attacker joins the victim''s expired code and keeps its transaction open');
select pg_temp.sign_in('l2', :'vic');
select is(pg_temp.try('l2', 'select public.create_partnership()::text')::jsonb ->> 'ok', 'true',
  'the victim creates an invite at once (the expired one is withdrawn without waiting)');
select dblink_exec('l2', 'commit');
select dblink_exec('l1', 'rollback');
-- A join of a valid code, kept open, holds that invite; its creator waits at most
-- lock_timeout and is told busy instead of hanging.
select pg_temp.sign_in('l1', :'att');
select is(pg_temp.try('l1', format('select public.join_partnership(%L)::text',
            (select c from dblink('l0', format('select invite_code from public.partnerships where user_a = %L and status = ''pending''', :'vic')) as t(c text))))::jsonb ->> 'ok',
  'true', 'the attacker joins the victim''s new invite and does not commit');
select dblink_exec('l2', 'set lock_timeout = 0');
select pg_temp.sign_in('l2', :'vic');
select is(pg_temp.try('l2', 'select public.dissolve_partnership()::text')::jsonb ->> 'error', 'busy',
  'the victim''s dissolve waits only the functions'' lock_timeout, then answers busy');
select dblink_exec('l2', 'rollback');
select dblink_exec('l1', 'rollback');
select pg_temp.sign_in('l2', :'vic');
select is(pg_temp.try('l2', 'select public.dissolve_partnership()::text')::jsonb ->> 'ok', 'true',
  'once the attacker''s transaction ends, the victim dissolves it');
select dblink_exec('l2', 'commit');

select dblink_exec('l0', format('delete from auth.users where id in (%L, %L, %L)', :'att', :'vic', :'joiner'));
select is((select count(*)::int from auth.users where id in (:'att', :'vic', :'joiner')), 0, 'fixture removed');
select dblink_disconnect('l0'), dblink_disconnect('l1'), dblink_disconnect('l2');

select * from finish();
rollback;
