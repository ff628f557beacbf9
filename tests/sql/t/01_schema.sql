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

select plan((select count(*)::int * 4 from spec) + 6 + 6 + 12);

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

-- Uniqueness and the indexes the flow's lookups use.
select col_is_unique('public', 'partnerships', 'invite_code', 'invite codes are unique');
select col_is_unique('public', 'detection_config', 'partnership_id', 'one detection_config per partnership');
select has_index('public', 'partnerships', 'partnerships_user_a_idx', 'index on partnerships.user_a');
select has_index('public', 'partnerships', 'partnerships_user_b_idx', 'index on partnerships.user_b');
select has_index('public', 'partner_profiles', 'partner_profiles_owner_idx', 'index on partner_profiles.owner_user_id');
select has_index('public', 'partner_profiles', 'partner_profiles_partnership_idx', 'index on partner_profiles.partnership_id');
select has_index('public', 'shared_memories', 'shared_memories_context_idx', 'context index on shared_memories');
select has_index('public', 'shared_memories', 'shared_memories_about_user_idx', 'index on shared_memories.about_user');
select has_index('public', 'shared_insights', 'shared_insights_context_idx', 'context index on shared_insights');
select has_index('public', 'shared_insights', 'shared_insights_about_user_idx', 'index on shared_insights.about_user');
select has_index('public', 'partnership_join_attempts', 'partnership_join_attempts_user_idx', 'index for the join throttle');
select is((select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind = 'r' and c.relname in
              ('user_profiles', 'partnerships', 'partner_profiles', 'shared_memories',
               'shared_insights', 'detection_config', 'partnership_join_attempts')
              and c.relrowsecurity), 7, 'row level security is enabled on every table');

select * from finish();
rollback;
