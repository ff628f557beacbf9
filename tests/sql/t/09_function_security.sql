-- Functions: a pinned search_path everywhere, security definer only where needed, execute
-- granted only to who needs it; nothing for anon. Then the attacks that must change
-- nothing: objects shadowing built-in names in public and in the caller's pg_temp, and
-- SQL in every text parameter.
begin;
create temp view our_functions as
  select p.oid, n.nspname || '.' || p.proname as name, p.prosecdef, p.proconfig, p.prosrc
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'nova')
     and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e');
select plan(45);

select is((select string_agg(name, ', ' order by name) from our_functions
            where proconfig is distinct from array['search_path=pg_catalog, pg_temp']
              and not (name in ('public.create_partnership', 'public.join_partnership', 'public.dissolve_partnership')
                       and proconfig = array['search_path=pg_catalog, pg_temp', 'lock_timeout=3s'])),
  'nova.has_visible_text, nova.squeeze_text, nova.text_ok, nova.trim_text',
  'every function pins search_path = pg_catalog, pg_temp (temp last), but the four inlined check helpers (the partnership functions also lock_timeout 3s)');
select is((select string_agg(name, ', ' order by name) from our_functions
            where proconfig is null and (prosecdef or prosrc ~ '(^|[^.])\m(regexp_replace|char_length|lower|upper|btrim)\(' or prosrc ~ ' ~ ')), null,
  '... which are not security definer and name every function and operator with its schema');
select is((select string_agg(name, ', ' order by name) from our_functions where prosecdef),
  'nova.check_partner_profile, nova.check_shared_row, nova.handle_new_user, nova.my_partnership_id, nova.sync_partnership_members, nova.unlink_withdrawn_profiles, '
  || 'public.create_partnership, public.dissolve_partnership, public.join_partnership, public.nova_apply_memory_ops, '
  || 'public.nova_apply_memory_update, public.nova_apply_partner_notes, public.nova_prompt_context',
  'security definer: the entry points, five trigger functions and the RLS helper, nothing else');
select is((select string_agg(name, ', ' order by name) from our_functions where has_function_privilege('anon', oid, 'execute')),
  null, 'anon can execute none of them');
select is((select string_agg(name, ', ' order by name) from our_functions where has_function_privilege('authenticated', oid, 'execute')),
  'nova.has_visible_text, nova.jsonb_depth, nova.jsonb_numbers_ok, nova.jsonb_texts_ok, nova.my_partnership_id, nova.squeeze_text, nova.text_list_ok, nova.text_ok, nova.trim_text, '
  || 'public.create_partnership, public.dissolve_partnership, public.join_partnership',
  'authenticated executes the partnership functions (and the check and RLS helpers its reads and writes evaluate)');
select is((select string_agg(name, ', ' order by name) from our_functions where has_function_privilege('service_role', oid, 'execute')),
  'nova.detection_terms_ok, nova.has_visible_text, nova.jsonb_depth, nova.jsonb_numbers_ok, nova.jsonb_texts_ok, nova.squeeze_text, nova.text_list_ok, nova.text_ok, nova.time_ok, nova.trim_text, '
  || 'public.nova_apply_memory_ops, public.nova_apply_memory_update, public.nova_apply_partner_notes, public.nova_prompt_context',
  'service_role executes the flow functions (and the check helpers)');
select function_returns('public', f, args, 'jsonb', f || ' returns jsonb')
  from (values ('create_partnership', '{}'::name[]), ('join_partnership', '{text}'), ('dissolve_partnership', '{}'),
               ('nova_prompt_context', '{uuid}'), ('nova_apply_memory_ops', '{uuid,jsonb}'),
               ('nova_apply_partner_notes', '{uuid,text,jsonb}'), ('nova_apply_memory_update', '{uuid,uuid,jsonb,jsonb,text}')) v(f, args);
select is((select string_agg(proname, ', ' order by proname) from pg_proc
            where pronamespace = 'public'::regnamespace and proname like 'nova_apply%' and provolatile <> 'v'), null,
  'the write functions are volatile (PostgREST runs stable ones read-only)');
select is((select provolatile::text from pg_proc where oid = 'public.join_partnership(text)'::regprocedure), 'v',
  'join_partnership is volatile');

select is((select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace,
                  unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']) priv
            where n.nspname in ('public', 'nova') and c.relkind in ('r', 'v', 'm')
              and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
              and (has_table_privilege('anon', c.oid, priv)
                   or (priv in ('select', 'insert', 'update', 'references') and has_any_column_privilege('anon', c.oid, priv)))), 0,
  'anon holds no privilege on any table');
select is((select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace,
                  unnest(array['anon', 'authenticated', 'service_role']) r, unnest(array['usage', 'select', 'update']) priv
            where n.nspname in ('public', 'nova') and c.relkind = 'S' and has_sequence_privilege(r, c.oid, priv)), 0,
  'no API role can use a sequence of ours');
select is((select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace, unnest(array['authenticated', 'service_role']) r,
                  unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']) priv
            where n.nspname = 'nova' and c.relkind in ('r', 'v', 'm')
              and (has_table_privilege(r, c.oid, priv)
                   or (priv in ('select', 'insert', 'update', 'references') and has_any_column_privilege(r, c.oid, priv)))), 0,
  'no API role holds any privilege on nova''s tables');
select is((select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace,
                  unnest(array['insert', 'delete', 'truncate', 'references', 'trigger']) priv
            where n.nspname = 'public' and c.relkind = 'r'
              and has_table_privilege('authenticated', c.oid, priv)), 0, 'authenticated can never insert, delete or truncate');
select is((select count(*)::int from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
              and has_table_privilege('authenticated', c.oid, 'update')), 0,
  'authenticated has no table-wide update anywhere (so it cannot LOCK a table beyond ACCESS SHARE)');
select is((select count(*)::int from pg_policies where schemaname = 'public'), 5, 'five policies in all (the plan''s, for authenticated)');
select is((select count(*)::int from pg_policies where schemaname = 'public' and roles <> '{authenticated}'), 0, 'no policy applies to public or anon');

-- Shadowing from public: functions and an operator with built-in names, as a careless
-- migration or an attacker with CREATE on public might add them, and a caller whose
-- search_path puts public first. The calls must not notice.
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'c' as c, s ->> 'p' as p, s ->> 'm' as m from tests.seed_couple() s \gset
select tests.new_user('sh1@example.com', 'Shadow One') as s1, tests.new_user('sh2@example.com', 'Shadow Two') as s2,
       tests.new_user('tmp1@example.com', 'Temp One') as t1, tests.new_user('tmp2@example.com', 'Temp Two') as t2 \gset
create function public.btrim(text) returns text language sql as $$ select 'SHADOW' $$;
create function public.upper(text) returns text language sql as $$ select 'SHADOW' $$;
create function public.now() returns timestamptz language sql as $$ select '2000-01-01'::timestamptz $$;
create function public.char_length(text) returns integer language sql as $$ select 0 $$;
create function public.regexp_replace(text, text, text, text) returns text language sql as $$ select 'SHADOW' $$;
create function public.gen_random_uuid() returns uuid language sql as $$ select '00000000-0000-4000-8000-000000000000'::uuid $$;
create function public.always_true(uuid, uuid) returns boolean language sql as $$ select true $$;
create operator public.= (leftarg = uuid, rightarg = uuid, function = public.always_true);
create function public.always_true(text, text) returns boolean language sql as $$ select true $$;
create operator public.~ (leftarg = text, rightarg = text, function = public.always_true);
create function public.always_true(integer, integer) returns boolean language sql as $$ select true $$;
create operator public.<= (leftarg = integer, rightarg = integer, function = public.always_true);
set local search_path = public, pg_catalog;
select tests.call_as(:'s1', 'select public.create_partnership()') as created \gset
reset search_path;
select lower((:'created'::jsonb) ->> 'invite_code') as lcode \gset
set local search_path = public, pg_catalog;
select tests.call_as(:'s2', format('select public.join_partnership(%L)', :'lcode')) as joined \gset
select public.nova_apply_memory_ops(:'p', '[{"op": "add", "category": "general", "content": "  Real trim  "}]') as applied \gset
select public.nova_prompt_context(:'c') as ctx_c \gset
select tests.try_as('service_role', null, format($q$insert into public.shared_memories (partnership_id, content) values (%L, %L)$q$, :'p', E'\t\u00a0')) as blank_insert,
       tests.try_as('service_role', null, format($q$insert into public.shared_memories (partnership_id, content) values (%L, %L)$q$, :'p', repeat('x', 2001))) as long_insert \gset
reset search_path;
select is(:'blank_insert'::text || ' ' || :'long_insert'::text, 'err:23514 err:23514',
  'shadows in public: the check constraints still refuse blank and overlong text');
select is(((:'created'::jsonb) ->> 'ok') || '/' || ((:'created'::jsonb) ->> 'partnership_id' <> '00000000-0000-4000-8000-000000000000')::text,
  'true/true', 'shadows in public: create_partnership works with the real gen_random_uuid');
select ok(((:'created'::jsonb) ->> 'invite_expires_at') > '2026', 'shadows in public: the real now()');
select is((:'joined'::jsonb) ->> 'ok', 'true', 'shadows in public: join_partnership normalises with the real upper/regexp_replace');
select is((:'applied'::jsonb) ->> 'applied', '1', 'shadows in public: memory ops apply');
select is((select content from public.shared_memories where id = ((:'applied'::jsonb) #>> '{ids,0}')::uuid), 'Real trim',
  '... with the real trimming and lengths');
select is(jsonb_array_length((:'ctx_c'::jsonb) -> 'memories'), 0, 'shadows in public: the real uuid equality (a stranger sees no memories)');

-- Shadowing from the caller's pg_temp: a signed-in user may create temporary objects;
-- types and tables of built-in and of our own names there must not be picked up.
select tests.sign_in('authenticated', :'t1');
create type pg_temp.jsonb as (x int);
create type pg_temp.uuid as (x int);
create type pg_temp.partnerships as (x int);
create temp table partnership_members (user_id text, partnership_id text);
create temp table user_locks (user_id text);
create temp table join_failures (user_id text, fresh boolean, failed_at timestamptz);
create temp table user_profiles (id text, name text);
select public.create_partnership() as tcreated \gset
select public.dissolve_partnership() as tdissolved \gset
select tests.sign_out();
select tests.sign_in('authenticated', :'t2');
select public.join_partnership('ZZZZ-ZZZZ-ZZZZ') as tjoin \gset
select tests.sign_out();
select tests.sign_in('service_role', null);
select public.nova_prompt_context(:'t1') ->> 'user_id' as tctx \gset
select tests.sign_out();
drop type pg_temp.jsonb, pg_temp.uuid, pg_temp.partnerships;
drop table pg_temp.partnership_members, pg_temp.user_locks, pg_temp.join_failures, pg_temp.user_profiles;
select is((:'tcreated'::jsonb) ->> 'ok', 'true', 'shadows in pg_temp: create_partnership works');
select is((:'tdissolved'::jsonb) ->> 'ok', 'true', 'shadows in pg_temp: dissolve works');
select is((select count(*)::int from nova.join_failures where user_id = :'t2'), 1, 'shadows in pg_temp: join refuses as usual and records the real failure');
select is((:'tjoin'::jsonb) ->> 'error', 'invalid_code', '... with the usual refusal');
select is(:'tctx'::text, :'t1'::text, 'nova_prompt_context as the service role with pg_temp shadows of its own');

-- SQL in every text parameter is data: refused or stored verbatim, never run.
select 'x''); delete from public.partnerships; select (''' as inj \gset
select is(tests.call_as(:'t2', format('select public.join_partnership(%L)', :'inj')) ->> 'error', 'invalid_code', 'SQL as an invite code is just an invalid code');
select is(tests.call_as(:'t2', format('select public.join_partnership(%L)', 'AAAA-BBBB-CCC'' or ''1''=''1')) ->> 'error', 'invalid_code', 'a code with a quote trick is invalid');
select is(public.nova_apply_memory_ops(:'p', jsonb_build_array(jsonb_build_object('op', 'add', 'category', 'general', 'content', :'inj'))) ->> 'applied', '1',
  'SQL as memory content is applied ...');
select is((select count(*)::int from public.shared_memories where content = :'inj'), 1, '... stored verbatim');
select is(public.nova_apply_memory_ops(:'p', jsonb_build_array(jsonb_build_object('op', 'add', 'category', :'inj', 'content', 'x'))) #>> '{error,code}', 'invalid_op',
  'SQL as a category is refused');
select is(public.nova_apply_memory_ops(:'p', jsonb_build_array(jsonb_build_object('op', 'deactivate', 'id', :'m', 'updated_at', :'inj'))) #>> '{error,code}', 'invalid_op',
  'SQL as updated_at is refused');
select is(public.nova_apply_memory_ops(:'p', jsonb_build_array(jsonb_build_object(:'inj', 1))) #>> '{error,code}', 'invalid_op',
  'SQL as a member name is refused');
select is(public.nova_apply_partner_notes(:'t2', :'inj', jsonb_build_array(jsonb_build_object('field', 'traits', 'content', :'inj'))) ->> 'applied', '1',
  'SQL as a partner name and a note is applied ...');
select is((select name || '|' || traits[1] from public.partner_profiles where owner_user_id = :'t2'), :'inj' || '|' || :'inj', '... stored verbatim');
select is(public.nova_apply_partner_notes(:'t2', 'x', jsonb_build_array(jsonb_build_object('field', :'inj', 'content', 'x'))) #>> '{error,code}', 'invalid_note',
  'SQL as a note field is refused');
select is((select count(*)::int from public.partnerships where user_a in (:'a', :'s1', :'t1')), 3, 'every partnership is still there');

select * from finish();
rollback;
