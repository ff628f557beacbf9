-- The access matrix: every table x {select, insert, update, delete} x {anon, stranger,
-- owner/self, partner, service_role}, then the column privileges. Each probe runs as the
-- API role with its JWT claims and is rolled back (tests.try_as), so probes are independent.
-- "allowed" means the statement touched the target row; "denied" means an error or 0 rows.
begin;
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'c' as c, s ->> 'n' as n, s ->> 'p' as p,
       s ->> 'pp' as pp, s ->> 'm' as m, s ->> 'i' as i, s ->> 'd' as d
  from tests.seed_couple() s \gset
-- A second partnership (no detection_config yet) for insert probes.
insert into public.partnerships (user_a, invite_code) values (:'c', 'QQQQ-QQQQ-QQQQ') returning id as p2 \gset

create temp table actors (actor text, role text, uid uuid, ord int) on commit drop;
insert into actors values
  ('anon', 'anon', null, 1), ('stranger', 'authenticated', :'c', 2),
  ('owner', 'authenticated', :'a', 3), ('partner', 'authenticated', :'b', 4),
  ('service_role', 'service_role', null, 5);

-- One row per table: the target row, and who may select / insert / update / delete it.
-- Select, update and delete address the target row by id; the insert is table-specific.
create temp table matrix (tbl text, id uuid, select_by text[], insert_sql text, insert_by text[],
                          update_set text, update_by text[], delete_by text[], ord serial) on commit drop;
insert into matrix (tbl, id, select_by, insert_sql, insert_by, update_set, update_by, delete_by) values
  -- user_profiles: the owner is the row's user; the partner is the other member.
  ('user_profiles', :'a', '{owner,service_role}',
   format('insert into public.user_profiles (id, name) values (%L, ''New'')', :'n'), '{}',
   'tone = ''probe''', '{owner}', '{}'),
  -- partnerships: owner = user_a, partner = user_b.
  ('partnerships', :'p', '{owner,partner,service_role}',
   format('insert into public.partnerships (user_a, invite_code) values (%L, ''RRRR-RRRR-RRRR'')', :'n'), '{}',
   'status = ''dissolved''', '{service_role}', '{}'),
  -- partner_profiles: owner wrote it (owner_user_id), partner is who it describes.
  ('partner_profiles', :'pp', '{service_role}',
   format('insert into public.partner_profiles (owner_user_id, name) values (%L, ''Probe'')', :'a'), '{service_role}',
   'ai_notes = ''probe''', '{service_role}', '{}'),
  -- shared_memories / shared_insights: owner and partner are the two members.
  ('shared_memories', :'m', '{owner,partner,service_role}',
   format('insert into public.shared_memories (partnership_id, content) values (%L, ''probe'')', :'p'), '{service_role}',
   'content = ''probe''', '{service_role}', '{service_role}'),
  ('shared_insights', :'i', '{owner,partner,service_role}',
   format('insert into public.shared_insights (partnership_id, category, title, content) values (%L, ''strength'', ''t'', ''probe'')', :'p'), '{service_role}',
   'content = ''probe''', '{service_role}', '{}'),
  -- detection_config: service role only.
  ('detection_config', :'d', '{service_role}',
   format('insert into public.detection_config (partnership_id, partner_names) values (%L, ''{Casey}'')', :'p2'), '{service_role}',
   'relationship_threshold = 3', '{service_role}', '{service_role}');

-- The matrix as probes: table x operation, each with its statement and who may run it.
create temp view probes as
  select m.tbl, o.op, m.ord, o.ord as op_ord,
         case o.op
           when 'select' then format('select 1 from public.%I where id = %L', m.tbl, m.id)
           when 'insert' then m.insert_sql
           when 'update' then format('update public.%I set %s where id = %L', m.tbl, m.update_set, m.id)
           when 'delete' then format('delete from public.%I where id = %L', m.tbl, m.id)
         end as sql,
         case o.op
           when 'select' then m.select_by
           when 'insert' then m.insert_by
           when 'update' then m.update_by
           when 'delete' then m.delete_by
         end as allowed
    from matrix m
   cross join unnest(array['select', 'insert', 'update', 'delete']) with ordinality as o(op, ord);

create temp table column_probes (what text, role text, uid uuid, sql text, allowed boolean, ord serial) on commit drop;
-- The owner's own user_profiles row, column by column: only the prompt fields are theirs.
insert into column_probes (what, role, uid, sql, allowed)
select format('owner %s own %s', case when allowed then 'updates' else 'cannot update' end, col),
       'authenticated', :'a', format('update public.user_profiles set %I = %s where id = %L', col, val, :'a'), allowed
  from (values ('name', '''Al''', true), ('interests', '''{chess}''', true),
               ('setup_mode', '''self_written''', true), ('communication_style', '''direct''', true),
               ('emotional_patterns', '''calm''', true), ('memory_summary', '''{}''', false),
               ('version', '9', false), ('id', quote_literal(:'n'), false),
               ('created_at', 'now()', false), ('updated_at', 'now()', false)) as v(col, val, allowed);
insert into column_probes (what, role, uid, sql, allowed) values
  ('owner cannot update the partner''s profile', 'authenticated', :'a', format('update public.user_profiles set tone = ''x'' where id = %L', :'b'), false),
  ('partner cannot read the owner''s profile', 'authenticated', :'b', format('select 1 from public.user_profiles where id = %L', :'a'), false),
  ('service_role updates anyone''s memory_summary', 'service_role', null, format('update public.user_profiles set memory_summary = ''{"k": 1}'' where id = %L', :'b'), true),
  ('service_role cannot update a profile''s name', 'service_role', null, format('update public.user_profiles set name = ''x'' where id = %L', :'b'), false),
  ('service_role cannot update version', 'service_role', null, format('update public.user_profiles set version = 9 where id = %L', :'b'), false),
  ('service_role updates partnerships.user_b', 'service_role', null, format('update public.partnerships set user_b = %L where id = %L', :'c', :'p'), true),
  ('service_role cannot update partnerships.invite_code', 'service_role', null, format('update public.partnerships set invite_code = ''SSSS-SSSS-SSSS'' where id = %L', :'p'), false),
  ('member cannot set partnerships.user_b', 'authenticated', :'a', format('update public.partnerships set user_b = %L where id = %L', :'c', :'p'), false),
  ('member cannot set partnerships.status', 'authenticated', :'b', format('update public.partnerships set status = ''dissolved'' where id = %L', :'p'), false),
  ('stranger cannot see the couple''s memories by partnership', 'authenticated', :'c', format('select 1 from public.shared_memories where partnership_id = %L', :'p'), false),
  ('anon cannot read the join attempts', 'anon', null, 'select 1 from public.partnership_join_attempts', false),
  ('authenticated cannot read the join attempts', 'authenticated', :'a', 'select 1 from public.partnership_join_attempts', false),
  ('authenticated cannot insert join attempts', 'authenticated', :'a', format('insert into public.partnership_join_attempts (user_id) values (%L)', :'c'), false);

select plan((select (count(*) * 5)::int from probes) + (select count(*)::int from column_probes));

select is(case when tests.try_as(a.role, a.uid, p.sql) = 'ok:1' then 'allowed' else 'denied' end,
          case when a.actor = any (p.allowed) then 'allowed' else 'denied' end,
          format('%s %s by %s', p.tbl, p.op, a.actor))
  from probes p cross join actors a
 order by p.ord, p.op_ord, a.ord;

select is(case when tests.try_as(role, uid, sql) = 'ok:1' then 'allowed' else 'denied' end,
          case when allowed then 'allowed' else 'denied' end, what)
  from column_probes order by ord;

select * from finish();
rollback;
