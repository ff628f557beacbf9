-- Functions: security definer where they act for someone, an empty search_path everywhere,
-- execute granted only to who needs it. Tables: nothing for anon.
begin;
create temp view our_functions as
  select p.oid, p.proname, p.prosecdef, p.proconfig
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname = 'public'
     and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e');
select plan(31);

select is((select count(*)::int from our_functions), 20, 'twenty functions of ours in public');
select is((select string_agg(proname, ', ' order by proname) from our_functions
            where proconfig is null or not ('search_path=""' = any (proconfig))), null,
  'every function pins an empty search_path');
select is((select string_agg(proname, ', ' order by proname) from our_functions where has_function_privilege('anon', oid, 'execute')),
  null, 'anon can execute none of them');
select is((select string_agg(proname, ', ' order by proname) from our_functions where has_function_privilege('authenticated', oid, 'execute')),
  'create_partnership, detection_terms_ok, dissolve_partnership, join_partnership, text_array_ok',
  'authenticated executes the partnership functions (and the check helpers its updates need)');
select is((select string_agg(proname, ', ' order by proname) from our_functions where has_function_privilege('service_role', oid, 'execute')),
  'detection_terms_ok, nova_apply_memory_ops, nova_prompt_context, text_array_ok',
  'service_role executes the two flow functions (and the check helpers)');

select is_definer('public', f, args, f || ' is security definer')
  from (values ('create_partnership', '{}'::name[]), ('join_partnership', '{text}'), ('dissolve_partnership', '{}'),
               ('nova_prompt_context', '{uuid}'), ('nova_apply_memory_ops', '{uuid,jsonb}'),
               ('nova_handle_new_user', '{}'), ('nova_handle_deleted_user', '{}'),
               -- an internal helper of the functions above (no one may execute it directly)
               ('current_partnership_of', '{uuid}')) v(f, args);
select function_returns('public', f, args, 'jsonb', f || ' returns jsonb')
  from (values ('create_partnership', '{}'::name[]), ('join_partnership', '{text}'), ('dissolve_partnership', '{}'),
               ('nova_prompt_context', '{uuid}'), ('nova_apply_memory_ops', '{uuid,jsonb}')) v(f, args);
select isnt_definer('public', f, args, f || ' runs as its caller')
  from (values ('set_updated_at', '{}'::name[]), ('user_profiles_bump_version', '{}'),
               ('text_array_ok', '{text[],integer}'), ('detection_terms_ok', '{text[],jsonb}'),
               ('nova_signup_name', '{jsonb,text}'),
               -- helpers that read no table (revoked from everyone all the same)
               ('partnership_refusal', '{text}'), ('lock_partnership_user', '{uuid}'),
               ('nova_memory_ops_refusal', '{integer,text}')) v(f, args);

select is((select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace,
                  unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']) priv
            where n.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'S')
              and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
              and has_table_privilege('anon', c.oid, priv)), 0, 'anon holds no privilege on any table or sequence');
select is((select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace,
                  unnest(array['insert', 'delete', 'truncate', 'references', 'trigger']) priv
            where n.nspname = 'public' and c.relkind = 'r'
              and has_table_privilege('authenticated', c.oid, priv)), 0, 'authenticated can never insert, delete or truncate');
select ok(not has_table_privilege('authenticated', 'public.user_profiles', 'update'),
  'authenticated has column-level update on user_profiles only');
select is((select count(*)::int from pg_policies where schemaname = 'public'), 5, 'five policies in all (the plan''s, for authenticated)');
select is((select count(*)::int from pg_policies where schemaname = 'public' and roles <> '{authenticated}'), 0, 'no policy applies to public or anon');

select * from finish();
rollback;
