-- The six tables match the plan: columns, types, nullability and defaults
-- (version: integer not null default 0 instead of the plan's text, on purpose).
begin;
create temp table spec (tbl text, col text, typ text, not_null boolean, def text) on commit drop;
insert into spec values
  ('user_profiles', 'id', 'uuid', true, null),
  ('user_profiles', 'name', 'text', true, null),
  ('user_profiles', 'tone', 'text', false, null),
  ('user_profiles', 'interests', 'text[]', false, null),
  ('user_profiles', 'emotional_patterns', 'text', false, null),
  ('user_profiles', 'communication_style', 'text', false, null),
  ('user_profiles', 'memory_summary', 'jsonb', false, null),
  ('user_profiles', 'setup_mode', 'text', true, 'pending'),
  ('user_profiles', 'version', 'integer', true, '0'),
  ('user_profiles', 'created_at', 'timestamp with time zone', true, 'now()'),
  ('user_profiles', 'updated_at', 'timestamp with time zone', true, 'now()'),
  ('partnerships', 'id', 'uuid', true, 'gen_random_uuid()'),
  ('partnerships', 'user_a', 'uuid', true, null),
  ('partnerships', 'user_b', 'uuid', false, null),
  ('partnerships', 'invite_code', 'text', true, null),
  ('partnerships', 'status', 'text', true, 'pending'),
  ('partnerships', 'created_at', 'timestamp with time zone', true, 'now()'),
  ('partner_profiles', 'id', 'uuid', true, 'gen_random_uuid()'),
  ('partner_profiles', 'owner_user_id', 'uuid', true, null),
  ('partner_profiles', 'partnership_id', 'uuid', false, null),
  ('partner_profiles', 'name', 'text', true, null),
  ('partner_profiles', 'traits', 'text[]', false, null),
  ('partner_profiles', 'relational_tendencies', 'text[]', false, null),
  ('partner_profiles', 'important_truths', 'text[]', false, null),
  ('partner_profiles', 'ai_notes', 'text', false, null),
  ('partner_profiles', 'source', 'text', true, 'ai_generated'),
  ('partner_profiles', 'created_at', 'timestamp with time zone', true, 'now()'),
  ('partner_profiles', 'updated_at', 'timestamp with time zone', true, 'now()'),
  ('shared_memories', 'id', 'uuid', true, 'gen_random_uuid()'),
  ('shared_memories', 'partnership_id', 'uuid', true, null),
  ('shared_memories', 'category', 'text', true, 'general'),
  ('shared_memories', 'about_user', 'uuid', false, null),
  ('shared_memories', 'content', 'text', true, null),
  ('shared_memories', 'confidence', 'double precision', true, '1.0'),
  ('shared_memories', 'is_active', 'boolean', true, 'true'),
  ('shared_memories', 'created_at', 'timestamp with time zone', true, 'now()'),
  ('shared_memories', 'updated_at', 'timestamp with time zone', true, 'now()'),
  ('shared_insights', 'id', 'uuid', true, 'gen_random_uuid()'),
  ('shared_insights', 'partnership_id', 'uuid', true, null),
  ('shared_insights', 'category', 'text', true, null),
  ('shared_insights', 'about_user', 'uuid', false, null),
  ('shared_insights', 'title', 'text', true, null),
  ('shared_insights', 'content', 'text', true, null),
  ('shared_insights', 'is_active', 'boolean', true, 'true'),
  ('shared_insights', 'created_at', 'timestamp with time zone', true, 'now()'),
  ('shared_insights', 'updated_at', 'timestamp with time zone', true, 'now()'),
  ('detection_config', 'id', 'uuid', true, 'gen_random_uuid()'),
  ('detection_config', 'partnership_id', 'uuid', true, null),
  ('detection_config', 'partner_names', 'text[]', true, null),
  ('detection_config', 'custom_keywords', 'jsonb', false, null),
  ('detection_config', 'relationship_threshold', 'double precision', true, '2.0');

-- The caps of CONTRACTS.md ("DB text caps become the engine's display caps"): each is the
-- last number of the named constraint's definition (README "Tables").
create temp table caps (con text, cap int) on commit drop;
insert into caps values
  ('user_profiles_name_len', 100), ('partner_profiles_name_len', 100),
  ('user_profiles_tone_len', 300), ('user_profiles_communication_style_len', 300),
  ('user_profiles_interests_len', 300), ('partner_profiles_traits_len', 300),
  ('partner_profiles_relational_tendencies_len', 300), ('partner_profiles_important_truths_len', 300),
  ('shared_insights_title_len', 300),
  ('user_profiles_emotional_patterns_len', 2000), ('partner_profiles_ai_notes_len', 2000),
  ('shared_memories_content_len', 2000), ('shared_insights_content_len', 2000);

select plan((select count(*)::int * 4 from spec) + 6 + 6 + 12 + (select count(*)::int from caps) + 9);

select has_column('public', tbl, col, format('%s.%s exists', tbl, col)) from spec;
select col_type_is('public', tbl, col, typ, format('%s.%s is %s', tbl, col, typ)) from spec;
select case when not_null then col_not_null('public', tbl, col, format('%s.%s is not null', tbl, col))
            else col_is_null('public', tbl, col, format('%s.%s is nullable', tbl, col)) end
  from spec;
select case when def is null then col_hasnt_default('public', tbl, col, format('%s.%s has no default', tbl, col))
            else col_default_is('public', tbl, col, def, format('%s.%s defaults to %s', tbl, col, def)) end
  from spec;

-- Primary keys and the relations the flow follows.
select col_is_pk('public', t, 'id', t || ' has primary key id')
  from unnest(array['user_profiles', 'partnerships', 'partner_profiles', 'shared_memories',
                    'shared_insights', 'detection_config']) as t;
select fk_ok('public', 'user_profiles', 'id', 'auth', 'users', 'id');
select fk_ok('public', 'partnerships', 'user_a', 'auth', 'users', 'id');
select fk_ok('public', 'partnerships', 'user_b', 'auth', 'users', 'id');
select fk_ok('public', 'partner_profiles', 'partnership_id', 'public', 'partnerships', 'id');
select fk_ok('public', 'shared_memories', 'partnership_id', 'public', 'partnerships', 'id');
select fk_ok('public', 'shared_insights', 'about_user', 'auth', 'users', 'id');

-- Uniqueness, the membership key and the indexes the flow's lookups use.
select col_is_unique('public', 'partnerships', 'invite_code', 'invite codes are unique');
select col_is_unique('public', 'detection_config', 'partnership_id', 'one detection_config per partnership');
select col_is_pk('nova', 'partnership_members', 'user_id', 'one pending or active partnership per user: the membership''s primary key is the user');
select has_index('public', 'partnerships', 'partnerships_user_a_idx', 'index on partnerships.user_a');
select has_index('public', 'partnerships', 'partnerships_user_b_idx', 'index on partnerships.user_b');
select has_index('public', 'partner_profiles', 'partner_profiles_owner_idx', 'index on partner_profiles.owner_user_id');
select has_index('public', 'partner_profiles', 'partner_profiles_partnership_idx', 'index on partner_profiles.partnership_id');
select has_index('public', 'shared_memories', 'shared_memories_context_idx', 'context index on shared_memories');
select has_index('public', 'shared_memories', 'shared_memories_about_user_idx', 'index on shared_memories.about_user');
select has_index('public', 'shared_insights', 'shared_insights_context_idx', 'context index on shared_insights');
select has_index('public', 'shared_insights', 'shared_insights_about_user_idx', 'index on shared_insights.about_user');
select has_index('nova', 'join_failures', 'join_failures_user_idx', 'index for the join throttle');

select is((select (regexp_match(pg_get_constraintdef(c.oid), '(\d+)\)+$'))[1]::int from pg_constraint c where c.conname = caps.con),
          cap, format('%s caps at %s characters (the engine''s display cap)', con, cap))
  from caps order by con;

-- What is public, and what is not.
select is((select string_agg(c.relname, ', ' order by c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'S', 'f', 'p')
              and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')),
  'detection_config, partner_profiles, partnerships, shared_insights, shared_memories, user_profiles',
  'public holds the six tables of the plan and nothing else');
select is((select string_agg(p.proname, ', ' order by p.proname) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public'
              and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')),
  'create_partnership, dissolve_partnership, join_partnership, nova_apply_memory_ops, nova_apply_memory_update, nova_apply_partner_notes, nova_prompt_context',
  'public holds the API functions and nothing else (the rest is in schema nova)');
select is((select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname in ('public', 'nova') and c.relkind = 'r' and not c.relrowsecurity), 0,
  'row level security is enabled on every table, public and nova');
select ok(not has_schema_privilege('anon', 'nova', 'usage'), 'anon cannot even look into schema nova');
select ok(not has_schema_privilege('authenticated', 'nova', 'create') and not has_schema_privilege('service_role', 'nova', 'create'),
  'no API role can create objects in schema nova');
-- Every foreign key to a user or a partnership cascades: deleting an account is foreign keys alone.
select is((select string_agg(conrelid::regclass || '.' || conname, ', ') from pg_constraint
            where contype = 'f' and confrelid in ('auth.users'::regclass, 'public.partnerships'::regclass)
              and connamespace in ('public'::regnamespace, 'nova'::regnamespace) and confdeltype <> 'c'), null,
  'every foreign key to auth.users or partnerships is ON DELETE CASCADE');
select is((select count(*)::int from pg_trigger where tgrelid = 'auth.users'::regclass and not tgisinternal), 1,
  'the only trigger on auth.users is the signup trigger (deletion is foreign keys)');
select has_trigger('public', 'partnerships', 'partnerships_sync_members', 'the membership follows every write to partnerships');
select has_trigger('public', 'partnerships', 'partnerships_check_change', 'status moves forward only');

select * from finish();
rollback;
