-- The README's privacy tables, cell by cell (README "Privacy: who reads and writes what",
-- loaded into tests.readme_reads / tests.readme_writes by run.sh). One couple goes
-- through every state: the creator's invite (pending), the joiner joins (active), the
-- creator dissolves it (dissolved), the joiner deletes their account (after deletion).
-- In each state every row is read as every actor, and every write is tried, each probe
-- as the API role with its JWT claims and rolled back (tests.try_as). Then the column
-- privileges of the "update" cells.
begin;

select tests.new_user('mx-creator@example.com', 'Cora') as cr, tests.new_user('mx-joiner@example.com', 'Jo') as jo,
       tests.new_user('mx-stranger@example.com', 'Stan') as st, tests.new_user('mx-other@example.com', 'Olive') as ot,
       tests.new_user('mx-noprofile@example.com') as np \gset
delete from public.user_profiles where id = :'np';

-- The stranger is in an active partnership of their own, with its own rows.
insert into public.partnerships (user_a, user_b, invite_code, status) values (:'st', :'ot', 'MXST-0000-0000', 'active') returning id as q \gset
insert into public.shared_memories (partnership_id, about_user, content) values (:'q', :'st', 'the stranger''s own');

-- Before the invite: the creator's profiles of other people, an ex (linked to an earlier
-- partnership) and someone else (unlinked, under another name than the joiner's).
select tests.new_user('mx-ex@example.com', 'Exa') as ex \gset
insert into public.partnerships (user_a, user_b, invite_code, status) values (:'cr', :'ex', 'MXEX-0000-0000', 'dissolved') returning id as pex \gset
insert into public.partner_profiles (owner_user_id, partnership_id, name, traits) values (:'cr', :'pex', 'Exa', array['the ex']) returning id as pp_ex \gset
insert into public.partner_profiles (owner_user_id, name, traits) values (:'cr', 'Ned', array['someone else']) returning id as pp_ned \gset

-- Pending: the creator's invite, with a row of each kind it can hold.
select tests.call_as(:'cr', 'select public.create_partnership()') ->> 'partnership_id' as p \gset
insert into public.partner_profiles (owner_user_id, name, traits) values (:'cr', 'Jo', array['kind']) returning id as ppc \gset
insert into public.partner_profiles (owner_user_id, name, traits) values (:'jo', 'Cora', array['calm']) returning id as ppj \gset
insert into public.shared_memories (partnership_id, about_user, content) values (:'p', null, 'about us') returning id as m_rel \gset
insert into public.shared_memories (partnership_id, about_user, content) values (:'p', :'cr', 'about Cora') returning id as m_cr \gset
insert into public.shared_insights (partnership_id, category, title, content) values (:'p', 'strength', 'Us', 'about us') returning id as i_rel \gset
insert into public.detection_config (partnership_id, partner_names) values (:'p', array['Jo']) returning id as d \gset
select tests.call_as(:'jo', 'select public.join_partnership(''ZZZZ-ZZZZ-ZZZZ'')') ->> 'error' as jo_failed \gset
select id as jf from nova.join_failures where user_id = :'jo' \gset

-- README row -> the row it names (the id is set once the row exists), and the statement
-- that creates the rows that cannot exist before the joiner joins.
create temp table targets (data text primary key, tbl text, id text, create_sql text) on commit drop;
insert into targets values
  ('the creator''s user_profiles row', 'public.user_profiles', :'cr', null),
  ('the joiner''s user_profiles row', 'public.user_profiles', :'jo', null),
  ('the partnerships row', 'public.partnerships', :'p', null),
  ('the creator''s partner_profiles row about the joiner (written during the invite)', 'public.partner_profiles', :'ppc', null),
  ('the joiner''s partner_profiles row about the creator (written before joining, under the creator''s name)', 'public.partner_profiles', :'ppj', null),
  ('the creator''s partner_profiles row about an ex (linked to an earlier partnership)', 'public.partner_profiles', :'pp_ex', null),
  ('the creator''s partner_profiles row about someone else (unlinked, under another name)', 'public.partner_profiles', :'pp_ned', null),
  ('a shared_memories row about the relationship', 'public.shared_memories', :'m_rel', null),
  ('a shared_memories row about the creator', 'public.shared_memories', :'m_cr', null),
  ('a shared_memories row about the joiner', 'public.shared_memories', null,
   format('insert into public.shared_memories (partnership_id, about_user, content) values (%L, %L, ''about Jo'') returning id', :'p', :'jo')),
  ('a shared_insights row about the relationship', 'public.shared_insights', :'i_rel', null),
  ('a shared_insights row about the joiner', 'public.shared_insights', null,
   format('insert into public.shared_insights (partnership_id, category, about_user, title, content) values (%L, ''strength'', %L, ''Jo'', ''about Jo'') returning id', :'p', :'jo')),
  ('the detection_config row', 'public.detection_config', :'d', null),
  ('the joiner''s failed joins (nova.join_failures)', 'nova.join_failures', :'jf', null);

create temp table actors (actor text, role text, uid uuid, ord int) on commit drop;
insert into actors values
  ('creator', 'authenticated', :'cr', 1), ('joiner', 'authenticated', :'jo', 2),
  ('stranger', 'authenticated', :'st', 3), ('anon', 'anon', null, 4), ('service', 'service_role', null, 5);

-- A README cell in canonical order ("service, creator" reads as "creator, service"). A
-- write cell may end in "(not into a dissolved partnership)": nobody in that state.
create function pg_temp.cell(p_cell text, p_state text default null) returns text language sql as $$
  select case when p_cell like '% (not into a dissolved partnership)' and p_state = 'dissolved' then 'nobody'
              when p_cell like '% (not into a dissolved partnership)' then pg_temp.cell(replace(p_cell, ' (not into a dissolved partnership)', ''))
              when p_cell in ('gone', 'nobody', 'cannot exist') then p_cell
              else (select string_agg(t, ', ' order by coalesce(a.ord, 99), t)
                      from unnest(string_to_array(p_cell, ',')) as x(raw)
                      cross join lateral (select btrim(x.raw) as t) tt
                      left join actors a on a.actor = tt.t) end
$$;

-- Who reads the row, as the README writes it.
create function pg_temp.readers(p_tbl text, p_id text) returns text language plpgsql as $$
declare
  v_exists boolean;
  v_who text;
begin
  execute format('select exists (select 1 from %s where id::text = %L)', p_tbl, p_id) into v_exists;
  if not v_exists then
    return 'gone';
  end if;
  select string_agg(a.actor, ', ' order by a.ord) into v_who
    from actors a
   where tests.try_as(a.role, a.uid, format('select 1 from %s where id::text = %L', p_tbl, p_id)) = 'ok:1';
  return coalesce(v_who, 'nobody');
end;
$$;

-- A row that is not there yet: 'cannot exist' when the tables refuse it (check violation),
-- else its id (it is created).
create function pg_temp.create_or_refuse(p_sql text) returns text language plpgsql as $$
declare
  v_id text;
begin
  execute p_sql into v_id;
  return v_id;
exception when check_violation then
  return 'cannot exist';
end;
$$;

-- One test per README row in this state (column p_state of tests.readme_reads).
create function pg_temp.check_reads(p_state text) returns setof text language plpgsql as $$
declare
  r record;
  v_got text;
  v_id text;
begin
  for r in select rr.data, t.tbl, t.id, t.create_sql, to_jsonb(rr) ->> p_state as cell
             from tests.readme_reads rr join targets t using (data) order by rr.ord loop
    if r.id is null then
      v_id := pg_temp.create_or_refuse(r.create_sql);
      if v_id = 'cannot exist' then
        v_got := v_id;
      else
        update targets set id = v_id where data = r.data;
        v_got := pg_temp.readers(r.tbl, v_id);
      end if;
    else
      v_got := pg_temp.readers(r.tbl, r.id);
    end if;
    return next is(v_got, pg_temp.cell(r.cell), format('%s: %s reads it (README)', p_state, r.data));
  end loop;
end;
$$;

-- The writes table: per table, the statement of each operation (the user_profiles update
-- writes a column the role may write: memory_summary for the service role, tone otherwise).
create temp table write_sql (data text primary key, ins text, upd text, upd_service text, del text) on commit drop;
insert into write_sql values
  ('user_profiles (the creator''s row)',
   format('insert into public.user_profiles (id, name) values (%L, ''New'')', :'np'),
   format('update public.user_profiles set tone = ''probe'' where id = %L', :'cr'),
   format('update public.user_profiles set memory_summary = ''{"probe": 1}'' where id = %L', :'cr'),
   format('delete from public.user_profiles where id = %L', :'cr')),
  ('partnerships',
   format('insert into public.partnerships (user_a, invite_code) values (%L, ''MXZZ-0000-0001'')', :'np'),
   format('update public.partnerships set status = ''dissolved'' where id = %L', :'p'), null,
   format('delete from public.partnerships where id = %L', :'p')),
  ('partner_profiles',
   format('insert into public.partner_profiles (owner_user_id, name) values (%L, ''Probe'')', :'cr'),
   format('update public.partner_profiles set ai_notes = ''probe'' where id = %L', :'ppc'), null,
   format('delete from public.partner_profiles where id = %L', :'ppc')),
  ('shared_memories',
   format('insert into public.shared_memories (partnership_id, content) values (%L, ''probe'')', :'p'),
   format('update public.shared_memories set content = ''probe'' where id = %L', :'m_rel'), null,
   format('delete from public.shared_memories where id = %L', :'m_rel')),
  ('shared_insights',
   format('insert into public.shared_insights (partnership_id, category, title, content) values (%L, ''strength'', ''t'', ''probe'')', :'p'),
   format('update public.shared_insights set content = ''probe'' where id = %L', :'i_rel'), null,
   format('delete from public.shared_insights where id = %L', :'i_rel')),
  ('detection_config',
   format('insert into public.detection_config (partnership_id, partner_names) values (%L, ''{Ola}'')', :'q'),
   format('update public.detection_config set relationship_threshold = 3 where id = %L', :'d'), null,
   format('delete from public.detection_config where id = %L', :'d')),
  ('nova.join_failures',
   format('insert into nova.join_failures (user_id, fresh) values (%L, false)', :'cr'),
   format('update nova.join_failures set fresh = true where id = %s', :'jf'), null,
   format('delete from nova.join_failures where id = %s', :'jf'));

create function pg_temp.check_writes(p_state text) returns setof text language plpgsql as $$
declare
  r record;
  v_sql text;
  v_who text;
begin
  for r in select rw.data, o.op, o.cell, ws.ins, ws.upd, ws.upd_service, ws.del
             from tests.readme_writes rw
             join write_sql ws using (data)
             cross join lateral (values ('insert', rw.ins, 1), ('update', rw.upd, 2), ('delete', rw.del, 3)) as o(op, cell, ord)
            order by rw.ord, o.ord loop
    select string_agg(a.actor, ', ' order by a.ord) into v_who
      from actors a
     where tests.try_as(a.role, a.uid,
             case r.op when 'insert' then r.ins when 'delete' then r.del
                       else case when a.actor = 'service' then coalesce(r.upd_service, r.upd) else r.upd end end) = 'ok:1';
    return next is(coalesce(v_who, 'nobody'), pg_temp.cell(r.cell, p_state), format('%s: %s %s by (README)', p_state, r.data, r.op));
  end loop;
end;
$$;

select plan(2 + (select count(*)::int * 4 from tests.readme_reads) + (select count(*)::int * 9 from tests.readme_writes)
        + 19);

-- The README tables and the fixture name the same rows and tables.
select is((select string_agg(coalesce(rr.data, '(missing in README) ' || t.data), '; ')
             from tests.readme_reads rr full join targets t using (data)
            where rr.data is null or t.data is null or rr.pending is null or rr.deleted is null), null,
  'every row of the README reads table is checked, and every checked row is in it');
select is((select string_agg(coalesce(rw.data, '(missing in README) ' || ws.data), '; ')
             from tests.readme_writes rw full join write_sql ws using (data)
            where rw.data is null or ws.data is null or rw.del is null), null,
  'every table of the README writes table is checked, and every checked table is in it');

select pg_temp.check_reads('pending');
select pg_temp.check_writes('pending');

select is(tests.call_as(:'jo', format('select public.join_partnership(%L)',
            (select invite_code from public.partnerships where id = :'p'))) ->> 'ok', 'true', 'the joiner joins');
select pg_temp.check_reads('active');
select pg_temp.check_writes('active');

-- Column privileges (the "update" cells), in the active state.
create temp table column_probes (what text, role text, uid uuid, sql text, allowed boolean, ord serial) on commit drop;
insert into column_probes (what, role, uid, sql, allowed)
select format('creator %s own %s', case when allowed then 'updates' else 'cannot update' end, col),
       'authenticated', :'cr', format('update public.user_profiles set %I = %s where id = %L', col, val, :'cr'), allowed
  from (values ('name', '''Al''', true), ('interests', '''{chess}''', true),
               ('setup_mode', '''self_written''', true), ('communication_style', '''direct''', true),
               ('emotional_patterns', '''calm''', true), ('memory_summary', '''{}''', false),
               ('version', '9', false), ('id', quote_literal(:'np'), false),
               ('created_at', 'now()', false), ('updated_at', 'now()', false)) as v(col, val, allowed);
insert into column_probes (what, role, uid, sql, allowed) values
  ('creator cannot update the joiner''s profile', 'authenticated', :'cr', format('update public.user_profiles set tone = ''x'' where id = %L', :'jo'), false),
  ('service cannot update a profile''s name', 'service_role', null, format('update public.user_profiles set name = ''x'' where id = %L', :'jo'), false),
  ('service cannot move a memory to another partnership', 'service_role', null, format('update public.shared_memories set partnership_id = %L where id = %L', :'q', :'m_rel'), false),
  ('service cannot change a partner profile''s owner', 'service_role', null, format('update public.partner_profiles set owner_user_id = %L where id = %L', :'st', :'ppc'), false),
  ('service cannot change partnerships.invite_code', 'service_role', null, format('update public.partnerships set invite_code = ''SSSS-SSSS-SSSS'' where id = %L', :'p'), false),
  ('member cannot set partnerships.status', 'authenticated', :'jo', format('update public.partnerships set status = ''dissolved'' where id = %L', :'p'), false),
  ('a member cannot lock the shared memories (no row locks for clients)', 'authenticated', :'cr', format('select 1 from public.shared_memories where id = %L for share', :'m_rel'), false);
select is(case when tests.try_as(role, uid, sql) = 'ok:1' then 'allowed' else 'denied' end,
          case when allowed then 'allowed' else 'denied' end, what)
  from column_probes order by ord;

select is(tests.call_as(:'cr', 'select public.dissolve_partnership()') ->> 'ok', 'true', 'the creator dissolves it');
select pg_temp.check_reads('dissolved');
select pg_temp.check_writes('dissolved');

delete from auth.users where id = :'jo';
select pg_temp.check_reads('deleted');

select * from finish();
rollback;
