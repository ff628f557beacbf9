-- Test helpers, loaded after the migrations (not part of them). Schema `tests`.
create schema if not exists tests;

-- A new auth user (the signup trigger gives it a profile). Returns its id.
create or replace function tests.new_user(p_email text, p_full_name text default null)
returns uuid language sql as $$
  insert into auth.users (id, email, raw_user_meta_data, aud, role)
  values (gen_random_uuid(), p_email,
          case when p_full_name is null then '{}'::jsonb else jsonb_build_object('full_name', p_full_name) end,
          'authenticated', 'authenticated')
  returning id
$$;

-- Become API role p_role signed in as p_uid (JWT claims as PostgREST sets them, plus
-- p_claims, e.g. {"is_anonymous": true}), until tests.sign_out() or the end of the
-- transaction.
create or replace function tests.sign_in(p_role text, p_uid uuid, p_claims jsonb default '{}')
returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims',
                     (jsonb_build_object('sub', p_uid, 'role', p_role) || p_claims)::text, true);
  execute format('set local role %I', p_role);
end;
$$;

-- Back to the session's own role, with no claims.
create or replace function tests.sign_out()
returns void language plpgsql as $$
begin
  reset role;
  perform set_config('request.jwt.claims', '', true);
end;
$$;

-- Runs p_sql as p_role (JWT sub p_uid) and reports 'ok:<rows>' or 'err:<sqlstate>'.
-- The statement's effects are always rolled back, so probes do not disturb each other.
create or replace function tests.try_as(p_role text, p_uid uuid, p_sql text)
returns text language plpgsql as $$
declare
  n bigint;
  result text;
begin
  perform tests.sign_in(p_role, p_uid);
  begin
    execute p_sql;
    get diagnostics n = row_count;
    result := 'ok:' || n;
    raise exception using errcode = 'NV000';  -- undo the probe
  exception when others then
    if result is null then
      result := 'err:' || sqlstate;
    end if;
  end;
  perform tests.sign_out();
  return result;
end;
$$;

-- Calls p_sql (one jsonb value) as signed-in user p_uid, keeping its effects.
-- An error comes back as {"sqlstate": ..., "message": ...}.
create or replace function tests.call_as(p_uid uuid, p_sql text, p_role text default 'authenticated',
                                         p_claims jsonb default '{}')
returns jsonb language plpgsql as $$
declare
  result jsonb;
begin
  perform tests.sign_in(p_role, p_uid, p_claims);
  begin
    execute p_sql into result;
  exception when others then
    result := jsonb_build_object('sqlstate', sqlstate, 'message', sqlerrm);
  end;
  perform tests.sign_out();
  return result;
end;
$$;

-- A linked couple a (Alex) and b (Blair) with one of everything, a stranger c, and a user n
-- whose profile row is gone (for insert probes). Returns the ids as jsonb.
create or replace function tests.seed_couple()
returns jsonb language plpgsql as $$
declare
  a uuid := tests.new_user('alex@example.com', 'Alex');
  b uuid := tests.new_user('blair@example.com', 'Blair');
  c uuid := tests.new_user('casey@example.com', 'Casey');
  n uuid := tests.new_user('noprofile@example.com');
  p uuid;
  pp uuid;
  m uuid;
  i uuid;
  d uuid;
begin
  delete from public.user_profiles where id = n;
  insert into public.partnerships (user_a, user_b, invite_code, status)
  values (a, b, 'AAAA-BBBB-CCCC', 'active') returning id into p;
  insert into public.partner_profiles (owner_user_id, partnership_id, name, traits, source)
  values (a, p, 'Blair', array['calm'], 'partner_account') returning id into pp;
  insert into public.shared_memories (partnership_id, category, about_user, content, confidence)
  values (p, 'preference', b, 'Blair loves tulips', 0.9) returning id into m;
  insert into public.shared_insights (partnership_id, category, about_user, title, content)
  values (p, 'communication', a, 'Talks it out', 'Alex needs to talk things through') returning id into i;
  insert into public.detection_config (partnership_id, partner_names)
  values (p, array['Blair', 'B']) returning id into d;
  return jsonb_build_object('a', a, 'b', b, 'c', c, 'n', n, 'p', p, 'pp', pp, 'm', m, 'i', i, 'd', d);
end;
$$;

-- The three contexts validated against the contract by validate-context.mjs.
create or replace function tests.context_case(p_case text)
returns jsonb language plpgsql as $$
declare
  s jsonb;
  u uuid;
  p uuid;
begin
  case p_case
    when 'solo_without_profile' then
      u := tests.new_user('solo@example.com');
      delete from public.user_profiles where id = u;
    when 'solo_with_ai_partner' then
      u := tests.new_user('sam@example.com', 'Sam');
      insert into public.partnerships (user_a, invite_code) values (u, 'DDDD-EEEE-FFFF') returning id into p;
      insert into public.partner_profiles (owner_user_id, name, traits, relational_tendencies,
                                           important_truths, ai_notes)
      values (u, 'Robin', array['kind', 'busy'], array['withdraws when stressed'],
              array['hates surprises'], 'Met in 2019');
      insert into public.shared_memories (partnership_id, category, content, confidence)
      values (p, 'important_date', 'Anniversary on 3 May', 1.0);
      update public.user_profiles set memory_summary = '{"traits": ["curious"]}', tone = 'warm' where id = u;
    when 'linked_couple' then
      s := tests.seed_couple();
      u := (s ->> 'a')::uuid;
      update public.detection_config
         set custom_keywords = '{"strong": ["date night"], "medium": null, "weak": ["weekend"]}',
             relationship_threshold = 2.5
       where partnership_id = (s ->> 'p')::uuid;
      insert into public.shared_memories (partnership_id, category, content, confidence, is_active)
      values ((s ->> 'p')::uuid, 'general', 'inactive one', 0.5, false);
    else
      raise exception 'unknown case %', p_case;
  end case;
  return public.nova_prompt_context(u);
end;
$$;

-- The README's privacy tables (README "Privacy: who reads and writes what"), loaded by
-- run.sh from README.md before the pgTAP files run: 03_privacy_matrix.sql checks them.
create table if not exists tests.readme_reads (ord int, data text, pending text, active text, dissolved text, deleted text);
create table if not exists tests.readme_writes (ord int, data text, ins text, upd text, del text);

grant usage on schema tests to anon, authenticated, service_role;
