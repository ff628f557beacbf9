-- nova-layers, 2 of 9: user_profiles (the main_user layer, and the reference when the
-- partners are linked). One row per auth user, created at signup; deleted with the user.
--
-- One deliberate change from the plan: version is "text, default 0" in the plan; here it
-- is integer not null default 0, and only the trigger below changes it: it is bumped by one
-- whenever memory_summary changes (the plan's "drift detect").
--
-- Text caps are the engine's display caps (README "Text is data"), so stored text is never
-- cut when shown; each is the last number of the constraint named <table>_<column>_len.

create table public.user_profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  name text not null,
  tone text,
  interests text[],
  emotional_patterns text,
  communication_style text,
  memory_summary jsonb,
  setup_mode text not null default 'pending',
  version integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_profiles_name_len check (nova.text_ok(name, 100)),
  constraint user_profiles_tone_len check (char_length(tone) <= 300),
  -- 20 interests: main_user is never cut by the budget, so the profile at its caps (with
  -- the other never-cut parts at theirs) must fit the engine's default max_chars of 24,000
  -- (tests/sql/engine_limits.sh checks it). A partner's lists are cut, so they hold 100.
  constraint user_profiles_interests_len check (nova.text_list_ok(interests, 20, 300)),
  constraint user_profiles_emotional_patterns_len check (char_length(emotional_patterns) <= 2000),
  constraint user_profiles_communication_style_len check (char_length(communication_style) <= 300),
  -- An object of at most 64 KiB of JSON text, nested at most 16 deep: well inside the
  -- engine's request limits (NOVA_MAX_STRING_BYTES, NOVA_MAX_DEPTH); every number a
  -- finite, normal double (nova.jsonb_numbers_ok); keys and strings no longer than the
  -- prompt shows them (display caps memory_summary_key, memory_summary_value).
  constraint user_profiles_memory_summary_shape check (
    jsonb_typeof(memory_summary) = 'object' and octet_length(memory_summary::text) <= 65536
    and nova.jsonb_depth(memory_summary) <= 16 and nova.jsonb_numbers_ok(memory_summary)),
  constraint user_profiles_memory_summary_texts check (nova.jsonb_texts_ok(memory_summary, 100, 2000)),
  constraint user_profiles_setup_mode check (setup_mode in ('pending', 'self_written', 'quiz_generated')),
  constraint user_profiles_version_nonneg check (version >= 0)
);
comment on column public.user_profiles.version is
  'Integer (the plan says text): bumped by trigger user_profiles_bump_version whenever memory_summary changes; never set by hand.';

-- memory_summary changes bump version; nobody sets version directly (not even the owner
-- of the table), so drift detection can trust it.
create function nova.bump_profile_version()
returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  if new.memory_summary is distinct from old.memory_summary then
    new.version := old.version + 1;
  else
    new.version := old.version;
  end if;
  return new;
end;
$$;

create trigger user_profiles_bump_version
  before update on public.user_profiles
  for each row execute function nova.bump_profile_version();
create trigger user_profiles_set_updated_at
  before update on public.user_profiles
  for each row execute function nova.set_updated_at();

-- ---------------------------------------------------------------------------------------
-- Signup: every new auth user gets a row, with the name from the sign-up metadata, else
-- the e-mail's local part, else "there" (as route.ts did), trimmed and at most 100
-- characters. Each candidate is checked after it is cut and trimmed, so a crafted
-- full_name (invisible characters, then a name past the 100th character) falls through to
-- the next one: signup and the backfill below never fail on the name. Users who signed up
-- before this migration get theirs too.

create function nova.signup_name(p_meta jsonb, p_email text)
returns text
language sql
immutable
set search_path = pg_catalog, pg_temp
as $$
  select coalesce(
           (select c.name
              from (values (1, case when jsonb_typeof(p_meta -> 'full_name') = 'string' then p_meta ->> 'full_name' end),
                           (2, split_part(p_email, '@', 1))) as v(ord, raw)
             cross join lateral (select nova.trim_text(left(nova.trim_text(v.raw), 100)) as name) as c
             where nova.text_ok(c.name, 100)
             order by v.ord
             limit 1),
           'there')
$$;

-- Per-user serialisation: one row per auth user, locked FOR UPDATE (nova.lock_user) by
-- every function that changes the user's partnerships, join throttle or AI-built partner
-- profile, until its transaction ends. Clients hold no privilege on it, so no session can
-- take another user's lock (an advisory lock key can be taken by anyone who computes it).
-- Created at signup, so taking the lock never has to insert (an insert that meets a row
-- committed after a REPEATABLE READ snapshot fails).
create table nova.user_locks (
  user_id uuid primary key references auth.users (id) on delete cascade
);
alter table nova.user_locks enable row level security;
revoke all on nova.user_locks from public, anon, authenticated, service_role;

create function nova.lock_user(p_user_id uuid)
returns void
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  perform 1 from nova.user_locks l where l.user_id = p_user_id for update;
  if not found then
    -- A user whose row was removed by hand: recreate it, then lock it.
    insert into nova.user_locks (user_id) values (p_user_id) on conflict do nothing;
    perform 1 from nova.user_locks l where l.user_id = p_user_id for update;
  end if;
end;
$$;

-- Security definer: it runs as the auth server's role, which cannot write public tables.
create function nova.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  insert into public.user_profiles (id, name, setup_mode)
  values (new.id, nova.signup_name(new.raw_user_meta_data, new.email), 'pending')
  on conflict (id) do nothing;
  insert into nova.user_locks (user_id) values (new.id) on conflict do nothing;
  return new;
end;
$$;

-- nova_-prefixed so it sits beside the starter templates' on_auth_user_created.
create trigger nova_on_auth_user_created
  after insert on auth.users
  for each row execute function nova.handle_new_user();

-- Users who signed up before this migration. After the trigger, so no signup falls
-- between the two; a row both create is kept once (on conflict do nothing).
insert into public.user_profiles (id, name, setup_mode)
select u.id, nova.signup_name(u.raw_user_meta_data, u.email), 'pending'
  from auth.users u
on conflict (id) do nothing;
insert into nova.user_locks (user_id) select u.id from auth.users u on conflict do nothing;

-- ---------------------------------------------------------------------------------------
-- Access: the plan's policies, exactly. Supabase's default privileges grant every table in
-- public to anon, authenticated and service_role, so each table starts by revoking all.
-- service_role has BYPASSRLS on Supabase: what limits it is its grants.
--   signed-in users: read their own row; update their own prompt fields.
--   service role:    read any row (the partner's profile is the linked reference);
--                    update memory_summary only (AI learning).
-- Rows are created by the signup trigger, never by clients.
alter table public.user_profiles enable row level security;
revoke all on public.user_profiles from anon, authenticated, service_role;
grant select on public.user_profiles to authenticated, service_role;
grant update (name, tone, interests, emotional_patterns, communication_style, setup_mode)
  on public.user_profiles to authenticated;
grant update (memory_summary) on public.user_profiles to service_role;

create policy "Users can read their own profile"
  on public.user_profiles for select to authenticated
  using ((select auth.uid()) = id);
create policy "Users can update their own profile"
  on public.user_profiles for update to authenticated
  using ((select auth.uid()) = id)
  with check ((select auth.uid()) = id);

-- A new function is executable by PUBLIC: in nova only the roles granted one explicitly
-- may execute it (a per-schema default privilege cannot take PUBLIC's right away).
revoke execute on all functions in schema nova from public, anon;
