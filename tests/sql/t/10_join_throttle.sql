-- The join throttle and who may link at all (README "Invite codes and the join throttle"):
-- 5 failed guesses per user per 15 minutes, 20 per 24 hours, 200 per 15 minutes for all
-- accounts younger than 24 hours together, never an established account locked out by
-- others; anonymous sign-ins refused; a read-only call refused before the code is looked at.
begin;
select plan(47);

-- Established accounts (older than a day) unless said otherwise.
select tests.new_user('thr-a@example.com', 'A') as a, tests.new_user('thr-b@example.com', 'B') as b,
       tests.new_user('thr-c@example.com', 'C') as c, tests.new_user('thr-f@example.com', 'F') as f \gset
update auth.users set created_at = now() - interval '2 days' where id in (:'a', :'b', :'c', :'f');
select tests.call_as(:'c', 'select public.create_partnership()') ->> 'invite_code' as code_c \gset
create function pg_temp.failures(u uuid) returns int language sql as $$
  select count(*)::int from nova.join_failures where user_id = u
$$;
create function pg_temp.join_as(u uuid, code text) returns text language sql as $$
  select coalesce(r ->> 'error', 'ok') from (select tests.call_as(u, format('select public.join_partnership(%L)', code)) as r) t
$$;

-- Malformed input is no guess: not counted, never throttled.
select is(pg_temp.join_as(:'f', v), 'invalid_code', 'malformed input is refused: ' || v)
  from unnest(array['hello', '', 'AAAA-BBBB-CCC', 'AAAA-BBBB-CCCCC', 'UUUU-UUUU-UUUU', repeat('A', 10000)]) v;
select is(pg_temp.failures(:'f'), 0, '... and none of it counts as a failed guess');

-- Per user: 5 failed guesses in 15 minutes, then even a valid code is refused.
select is(pg_temp.join_as(:'f', 'ZZZZ-ZZZZ-ZZZ' || n), 'invalid_code', 'failed guess ' || n || ' of 5')
  from generate_series(1, 5) n;
select is(pg_temp.join_as(:'f', :'code_c'), 'throttled', 'the 6th call within 15 minutes is throttled, even with a valid code');
select is(pg_temp.failures(:'f'), 5, 'throttled calls are not recorded');
select is((select bool_and(not fresh) from nova.join_failures where user_id = :'f'), true, 'an established account''s failures are not fresh');
update nova.join_failures set failed_at = failed_at - interval '15 minutes 1 second' where user_id = :'f';
select is(pg_temp.join_as(:'f', 'ZZZZ-ZZZZ-ZZZ6'), 'invalid_code', 'after 15 minutes the user may guess again');

-- Per user: 20 in 24 hours.
insert into nova.join_failures (user_id, fresh, failed_at)
select :'f', false, now() - interval '1 hour' - g * interval '1 minute' from generate_series(1, 14) g;
select is(pg_temp.failures(:'f'), 20, 'twenty failures in the last day, one in the last 15 minutes');
select is(pg_temp.join_as(:'f', :'code_c'), 'throttled', 'the daily limit throttles a valid code too');
update nova.join_failures set failed_at = now() - interval '24 hours 1 second' where user_id = :'f';
select is(pg_temp.join_as(:'f', :'code_c'), 'ok', 'failures older than 24 hours no longer count: the valid code joins');

-- Fresh accounts together: 200 failed guesses in 15 minutes, then every fresh account that
-- has failed before waits; a fresh account's first try and established accounts never do.
select tests.new_user('thr-n1@example.com', 'N1') as n1, tests.new_user('thr-n2@example.com', 'N2') as n2 \gset
select is(pg_temp.join_as(:'n1', 'ZZZZ-ZZZZ-YYY1'), 'invalid_code', 'a fresh account''s failed guess ...');
select is((select fresh from nova.join_failures where user_id = :'n1'), true, '... is recorded as fresh');
select tests.new_user('thr-bot@example.com') as bot \gset
insert into nova.join_failures (user_id, fresh)
select :'bot', true from generate_series(1, 199);
select is(pg_temp.join_as(:'n1', :'code_c'), 'throttled', 'with 200 fresh failures in 15 minutes a fresh account that failed before is throttled');
select is(pg_temp.join_as(:'n2', 'ZZZZ-ZZZZ-YYY3'), 'invalid_code', 'a fresh account''s first try is not held by the pool (its partner''s code gets it in)');
select is(pg_temp.join_as(:'n2', 'ZZZZ-ZZZZ-YYY4'), 'throttled', '... its second is');
select tests.call_as(:'a', 'select public.create_partnership()') ->> 'invite_code' as code_a \gset
select is(pg_temp.join_as(:'b', 'ZZZZ-ZZZZ-YYY2'), 'invalid_code', 'an established account is not: it guesses (and fails) as usual');
select is(pg_temp.join_as(:'b', :'code_a'), 'ok', 'and joins with a valid code: many new accounts cannot lock established users out');
update nova.join_failures set failed_at = now() - interval '15 minutes 1 second' where fresh;
select tests.call_as(:'c', 'select public.dissolve_partnership()') ->> 'ok' as c_free \gset
select tests.call_as(:'c', 'select public.create_partnership()') ->> 'invite_code' as code_c2 \gset
select is(pg_temp.join_as(:'n1', :'code_c2'), 'ok', 'once the pool''s failures are 15 minutes old, fresh accounts join again');

-- Anonymous sign-ins (is_anonymous) can neither create nor join.
select tests.new_user('thr-anon@example.com') as an \gset
select is(tests.call_as(:'an', 'select public.create_partnership()', 'authenticated', '{"is_anonymous": true}') ->> 'error', 'anonymous_not_allowed',
  'an anonymous JWT cannot create an invite');
select tests.call_as(:'f', 'select public.dissolve_partnership()') ->> 'ok' as f_free \gset
select tests.call_as(:'f', 'select public.create_partnership()') ->> 'invite_code' as code_f \gset
select is(tests.call_as(:'an', format('select public.join_partnership(%L)', :'code_f'), 'authenticated', '{"is_anonymous": true}') ->> 'error', 'anonymous_not_allowed',
  'an anonymous JWT cannot join');
update auth.users set is_anonymous = true where id = :'an';
select is(tests.call_as(:'an', format('select public.join_partnership(%L)', :'code_f')) ->> 'error', 'anonymous_not_allowed',
  'an anonymous account cannot join even with a JWT that does not say so');
select is(tests.call_as(:'an', 'select public.dissolve_partnership()') ->> 'error', 'not_in_partnership', 'dissolve answers anonymous users normally');
select is(pg_temp.failures(:'an'), 0, 'refused anonymous calls record nothing');

-- A read-only transaction (PostgREST's GET) is refused before anything is looked at: a
-- valid and an unknown code get the same answer, and nothing is recorded.
select format('dbname=%s port=%s host=%s user=postgres', current_database(), current_setting('port'),
              split_part(current_setting('unix_socket_directories'), ',', 1)) as connstr, gen_random_uuid() as ro, gen_random_uuid() as rc \gset
select dblink_connect('ro0', :'connstr'), dblink_connect('ro1', :'connstr');
select dblink_exec('ro0', format($$insert into auth.users (id, email, created_at) values (%L, 'ro@x', now() - interval '2 days'), (%L, 'rc@x', now());
  insert into public.partnerships (user_a, invite_code) values (%L, 'R0R0-0000-0001')$$, :'ro', :'rc', :'rc'));
create function pg_temp.read_only_call(p_sql text) returns text language plpgsql as $$
declare
  v text;
begin
  perform dblink_exec('ro1', 'begin read only');
  perform * from dblink('ro1', format($q$select set_config('request.jwt.claims', %L, true)$q$,
                                      jsonb_build_object('sub', current_setting('nova_test.ro'), 'role', 'authenticated')::text)) as t(x text);
  perform dblink_exec('ro1', 'set local role authenticated');
  select t.r into v from dblink('ro1', p_sql || '::text', false) as t(r text);
  perform dblink_exec('ro1', 'rollback');
  return coalesce(v, 'sql error: ' || dblink_error_message('ro1'));
end;
$$;
select set_config('nova_test.ro', :'ro', true);
select is(pg_temp.read_only_call('select public.join_partnership(''R0R0-0000-0001'')')::jsonb ->> 'error', 'read_only_transaction',
  'read-only: a valid code is refused as read_only_transaction');
select is(pg_temp.read_only_call('select public.join_partnership(''R0R0-0000-0009'')')::jsonb ->> 'error', 'read_only_transaction',
  'read-only: an unknown code gets the very same answer');
select is(pg_temp.read_only_call('select public.create_partnership()')::jsonb ->> 'error', 'read_only_transaction', 'read-only: create is refused');
select is(pg_temp.read_only_call('select public.dissolve_partnership()')::jsonb ->> 'error', 'read_only_transaction', 'read-only: dissolve is refused');
select is(pg_temp.failures(:'ro'), 0, 'read-only calls record nothing');
select dblink_exec('ro0', format('delete from auth.users where id in (%L, %L)', :'ro', :'rc'));

-- A request that asks PostgREST to roll it back (Prefer: tx=rollback, which PostgREST
-- honours only with db-tx-end = *-allow-override) is refused before the code is looked at.
select tests.new_user('thr-rb@example.com', 'RB') as rb \gset
update auth.users set created_at = now() - interval '2 days' where id = :'rb';
select set_config('request.headers', '{"prefer": "return=minimal, tx=rollback"}', true);
select is(pg_temp.join_as(:'rb', :'code_f'), 'rollback_not_allowed', 'join with Prefer: tx=rollback is refused, valid code or not');
select is(pg_temp.join_as(:'rb', 'ZZZZ-ZZZZ-YYY9'), 'rollback_not_allowed', '... an unknown code gets the same answer');
select is(tests.call_as(:'rb', 'select public.create_partnership()') ->> 'error', 'rollback_not_allowed', 'create too');
select is(pg_temp.failures(:'rb'), 0, 'nothing recorded');
select set_config('request.headers', '{"prefer": "tx=commit, return=minimal"}', true);
select is(pg_temp.join_as(:'rb', 'ZZZZ-ZZZZ-YYY9'), 'invalid_code', 'other preferences are fine');
select set_config('request.headers', '', true);
select dblink_disconnect('ro0'), dblink_disconnect('ro1');

-- Invite churn (review finding 10): at most 10 invites per user in 24 hours.
select tests.new_user('churn@example.com', 'Churn') as ch, tests.new_user('calm@example.com', 'Calm') as calm \gset
create function pg_temp.churn(u uuid, n int) returns text language plpgsql as $$
declare
  v_last jsonb;
begin
  for i in 1 .. n loop
    v_last := tests.call_as(u, 'select public.create_partnership()');
    exit when v_last ->> 'ok' is distinct from 'true';
    perform tests.call_as(u, 'select public.dissolve_partnership()');
  end loop;
  return coalesce(v_last ->> 'error', 'ok');
end;
$$;
select is(pg_temp.churn(:'ch', 10), 'ok', 'ten create/dissolve rounds in a day are fine');
select is(pg_temp.churn(:'ch', 1), 'too_many_invites', 'the 11th invite in 24 hours is refused');
select is((select count(*)::int from public.partnerships where user_a = :'ch'), 10, '... so the loop left 10 rows');
select is(pg_temp.churn(:'calm', 1), 'ok', 'another user is not affected');
update public.partnerships set created_at = now() - interval '25 hours' where user_a = :'ch';
select is(pg_temp.churn(:'ch', 1), 'ok', 'once the invites are older than 24 hours, a new one is allowed');

select * from finish();
rollback;
