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

create temp table probes (tbl text, op text, sql text, allowed text[], ord serial) on commit drop;
insert into probes (tbl, op, sql, allowed) values
  -- user_profiles: the owner is the row's user; the partner is the other member.
  ('user_profiles', 'select', format('select 1 from public.user_profiles where id = %L', :'a'), '{owner,service_role}'),
  ('user_profiles', 'insert', format('insert into public.user_profiles (id, name) values (%L, ''New'')', :'n'), '{}'),
  ('user_profiles', 'update', format('update public.user_profiles set tone = ''probe'' where id = %L', :'a'), '{owner}'),
  ('user_profiles', 'delete', format('delete from public.user_profiles where id = %L', :'a'), '{}'),
  -- partnerships: owner = user_a, partner = user_b.
  ('partnerships', 'select', format('select 1 from public.partnerships where id = %L', :'p'), '{owner,partner,service_role}'),
  ('partnerships', 'insert', format('insert into public.partnerships (user_a, invite_code) values (%L, ''RRRR-RRRR-RRRR'')', :'n'), '{}'),
  ('partnerships', 'update', format('update public.partnerships set status = ''dissolved'' where id = %L', :'p'), '{service_role}'),
  ('partnerships', 'delete', format('delete from public.partnerships where id = %L', :'p'), '{}'),
  -- partner_profiles: owner wrote it (owner_user_id), partner is who it describes.
  ('partner_profiles', 'select', format('select 1 from public.partner_profiles where id = %L', :'pp'), '{service_role}'),
  ('partner_profiles', 'insert', format('insert into public.partner_profiles (owner_user_id, name) values (%L, ''Probe'')', :'a'), '{service_role}'),
  ('partner_profiles', 'update', format('update public.partner_profiles set ai_notes = ''probe'' where id = %L', :'pp'), '{service_role}'),
  ('partner_profiles', 'delete', format('delete from public.partner_profiles where id = %L', :'pp'), '{}'),
  -- shared_memories / shared_insights: owner and partner are the two members.
  ('shared_memories', 'select', format('select 1 from public.shared_memories where id = %L', :'m'), '{owner,partner,service_role}'),
  ('shared_memories', 'insert', format('insert into public.shared_memories (partnership_id, content) values (%L, ''probe'')', :'p'), '{service_role}'),
  ('shared_memories', 'update', format('update public.shared_memories set content = ''probe'' where id = %L', :'m'), '{service_role}'),
  ('shared_memories', 'delete', format('delete from public.shared_memories where id = %L', :'m'), '{service_role}'),
  ('shared_insights', 'select', format('select 1 from public.shared_insights where id = %L', :'i'), '{owner,partner,service_role}'),
  ('shared_insights', 'insert', format('insert into public.shared_insights (partnership_id, category, title, content) values (%L, ''strength'', ''t'', ''probe'')', :'p'), '{service_role}'),
  ('shared_insights', 'update', format('update public.shared_insights set content = ''probe'' where id = %L', :'i'), '{service_role}'),
  ('shared_insights', 'delete', format('delete from public.shared_insights where id = %L', :'i'), '{}'),
  -- detection_config: service role only.
  ('detection_config', 'select', format('select 1 from public.detection_config where id = %L', :'d'), '{service_role}'),
  ('detection_config', 'insert', format('insert into public.detection_config (partnership_id, partner_names) values (%L, ''{Casey}'')', :'p2'), '{service_role}'),
  ('detection_config', 'update', format('update public.detection_config set relationship_threshold = 3 where id = %L', :'d'), '{service_role}'),
  ('detection_config', 'delete', format('delete from public.detection_config where id = %L', :'d'), '{service_role}');

create temp table column_probes (what text, role text, uid uuid, sql text, allowed boolean, ord serial) on commit drop;
insert into column_probes (what, role, uid, sql, allowed) values
  ('owner updates own name', 'authenticated', :'a', format('update public.user_profiles set name = ''Al'' where id = %L', :'a'), true),
  ('owner updates own interests', 'authenticated', :'a', format('update public.user_profiles set interests = ''{chess}'' where id = %L', :'a'), true),
  ('owner updates own setup_mode', 'authenticated', :'a', format('update public.user_profiles set setup_mode = ''self_written'' where id = %L', :'a'), true),
  ('owner updates own communication_style', 'authenticated', :'a', format('update public.user_profiles set communication_style = ''direct'' where id = %L', :'a'), true),
  ('owner updates own emotional_patterns', 'authenticated', :'a', format('update public.user_profiles set emotional_patterns = ''calm'' where id = %L', :'a'), true),
  ('owner cannot update own memory_summary', 'authenticated', :'a', format('update public.user_profiles set memory_summary = ''{}'' where id = %L', :'a'), false),
  ('owner cannot update own version', 'authenticated', :'a', format('update public.user_profiles set version = 9 where id = %L', :'a'), false),
  ('owner cannot update own id', 'authenticated', :'a', format('update public.user_profiles set id = %L where id = %L', :'n', :'a'), false),
  ('owner cannot update own created_at', 'authenticated', :'a', format('update public.user_profiles set created_at = now() where id = %L', :'a'), false),
  ('owner cannot update own updated_at', 'authenticated', :'a', format('update public.user_profiles set updated_at = now() where id = %L', :'a'), false),
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
 order by p.ord, a.ord;

select is(case when tests.try_as(role, uid, sql) = 'ok:1' then 'allowed' else 'denied' end,
          case when allowed then 'allowed' else 'denied' end, what)
  from column_probes order by ord;

select * from finish();
rollback;
