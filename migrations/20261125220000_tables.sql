-- nova-layers: the six tables of the prompt-layers plan (seed/prompt-layers-database-plan.md),
-- with the checks, indexes and triggers the flow relies on. Policies and grants are in the
-- next migration; functions after that.
--
-- One deliberate change from the plan: user_profiles.version is "text, default 0" in the
-- plan; here it is integer not null default 0, and only the trigger below changes it: it is
-- bumped by one whenever memory_summary changes (the plan's "drift detect").

create extension if not exists pgcrypto with schema extensions;

-- ---------------------------------------------------------------------------------------
-- Shared trigger functions

-- Keeps updated_at honest whoever writes the row.
create function public.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- Whether every element of a text array is non-null and at most max_len characters
-- (check constraints cannot hold subqueries, so a small immutable function does it).
create function public.text_array_ok(arr text[], max_len integer)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select arr is null
      or not exists (select 1 from pg_catalog.unnest(arr) as e where e is null or pg_catalog.char_length(e) > max_len)
$$;

-- ---------------------------------------------------------------------------------------
-- Table 1: user_profiles (Main User layer). One row per auth user, created at signup.

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
  constraint user_profiles_name_len check (char_length(name) between 1 and 100),
  constraint user_profiles_tone_len check (char_length(tone) <= 2000),
  constraint user_profiles_interests_len check (
    cardinality(interests) <= 100 and public.text_array_ok(interests, 200)),
  constraint user_profiles_emotional_patterns_len check (char_length(emotional_patterns) <= 4000),
  constraint user_profiles_communication_style_len check (char_length(communication_style) <= 4000),
  constraint user_profiles_memory_summary_shape check (
    jsonb_typeof(memory_summary) = 'object' and octet_length(memory_summary::text) <= 65536),
  constraint user_profiles_setup_mode check (setup_mode in ('pending', 'self_written', 'quiz_generated')),
  constraint user_profiles_version_nonneg check (version >= 0)
);
comment on column public.user_profiles.version is
  'Integer (the plan says text): bumped by trigger user_profiles_bump_version whenever memory_summary changes; never set by hand.';

-- memory_summary changes bump version; nobody sets version directly (not even the owner
-- of the table), so drift detection can trust it.
create function public.user_profiles_bump_version()
returns trigger
language plpgsql
set search_path = ''
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
  for each row execute function public.user_profiles_bump_version();
create trigger user_profiles_set_updated_at
  before update on public.user_profiles
  for each row execute function public.set_updated_at();

-- ---------------------------------------------------------------------------------------
-- Table 2: partnerships. user_a creates it with an invite code; user_b joins with it.
-- invite_expires_at is ours (the plan's codes expire after 7 days).

create table public.partnerships (
  id uuid primary key default gen_random_uuid(),
  user_a uuid not null references auth.users (id) on delete cascade,
  user_b uuid references auth.users (id) on delete set null,
  invite_code text not null unique,
  status text not null default 'pending',
  created_at timestamptz not null default now(),
  invite_expires_at timestamptz not null default (now() + interval '7 days'),
  constraint partnerships_status check (status in ('pending', 'active', 'dissolved')),
  -- 12 symbols of Crockford's base32 alphabet in groups of four: see generate_invite_code.
  constraint partnerships_invite_code_format check (
    invite_code ~ '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'),
  constraint partnerships_distinct_users check (user_b <> user_a),
  constraint partnerships_pending_has_no_b check (status <> 'pending' or user_b is null),
  constraint partnerships_active_has_b check (status <> 'active' or user_b is not null)
);

-- "Which partnership is this user in?" is asked from either side.
create index partnerships_user_a_idx on public.partnerships (user_a);
create index partnerships_user_b_idx on public.partnerships (user_b);

-- ---------------------------------------------------------------------------------------
-- Table 3: partner_profiles (Reference layer when the partner has no linked account).

create table public.partner_profiles (
  id uuid primary key default gen_random_uuid(),
  owner_user_id uuid not null references auth.users (id) on delete cascade,
  partnership_id uuid references public.partnerships (id) on delete set null,
  name text not null,
  traits text[],
  relational_tendencies text[],
  important_truths text[],
  ai_notes text,
  source text not null default 'ai_generated',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint partner_profiles_name_len check (char_length(name) between 1 and 100),
  constraint partner_profiles_traits_len check (
    cardinality(traits) <= 100 and public.text_array_ok(traits, 500)),
  constraint partner_profiles_relational_tendencies_len check (
    cardinality(relational_tendencies) <= 100 and public.text_array_ok(relational_tendencies, 500)),
  constraint partner_profiles_important_truths_len check (
    cardinality(important_truths) <= 100 and public.text_array_ok(important_truths, 500)),
  constraint partner_profiles_ai_notes_len check (char_length(ai_notes) <= 8000),
  constraint partner_profiles_source check (source in ('ai_generated', 'partner_account'))
);

create index partner_profiles_owner_idx on public.partner_profiles (owner_user_id, updated_at desc);
create index partner_profiles_partnership_idx on public.partner_profiles (partnership_id);

create trigger partner_profiles_set_updated_at
  before update on public.partner_profiles
  for each row execute function public.set_updated_at();

-- ---------------------------------------------------------------------------------------
-- Table 4: shared_memories (Shared Memory layer). about_user null = about the relationship.

create table public.shared_memories (
  id uuid primary key default gen_random_uuid(),
  partnership_id uuid not null references public.partnerships (id) on delete cascade,
  category text not null default 'general',
  about_user uuid references auth.users (id) on delete cascade,
  content text not null,
  confidence double precision not null default 1.0,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint shared_memories_category check (category in (
    'preference', 'emotional_need', 'important_date', 'gift_idea', 'growth_moment', 'pattern', 'general')),
  constraint shared_memories_content_len check (char_length(btrim(content)) between 1 and 2000),
  constraint shared_memories_confidence_range check (confidence >= 0 and confidence <= 1)
);

-- The context query: active memories of one partnership, most confident then most recent.
-- Matching the ORDER BY lets the capped query stop after the cap without sorting.
create index shared_memories_context_idx on public.shared_memories
  (partnership_id, confidence desc, updated_at desc, id) where is_active;
-- Account deletion removes memories about the user (foreign key cascade).
create index shared_memories_about_user_idx on public.shared_memories (about_user);
-- Partnership deletion cascades, and service-role tools list inactive rows too.
create index shared_memories_partnership_idx on public.shared_memories (partnership_id);

create trigger shared_memories_set_updated_at
  before update on public.shared_memories
  for each row execute function public.set_updated_at();

-- ---------------------------------------------------------------------------------------
-- Table 5: shared_insights (Shared Insight layer).

create table public.shared_insights (
  id uuid primary key default gen_random_uuid(),
  partnership_id uuid not null references public.partnerships (id) on delete cascade,
  category text not null,
  about_user uuid references auth.users (id) on delete cascade,
  title text not null,
  content text not null,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint shared_insights_category check (category in (
    'emotional_need', 'communication', 'appreciation', 'conflict_style', 'growth_area', 'strength', 'gift_relevant')),
  constraint shared_insights_title_len check (char_length(btrim(title)) between 1 and 200),
  constraint shared_insights_content_len check (char_length(btrim(content)) between 1 and 4000)
);

create index shared_insights_context_idx on public.shared_insights
  (partnership_id, updated_at desc, id) where is_active;
create index shared_insights_about_user_idx on public.shared_insights (about_user);
create index shared_insights_partnership_idx on public.shared_insights (partnership_id);

create trigger shared_insights_set_updated_at
  before update on public.shared_insights
  for each row execute function public.set_updated_at();

-- ---------------------------------------------------------------------------------------
-- Table 6: detection_config (per-partnership detection). At most one per partnership.

-- Every term the detector gets: partner_names a list of strings, custom_keywords null or
-- {"strong"|"medium"|"weak": [text, ...] | null} (the contract's shape, so the engine never
-- sees anything else), each term at most 200 BYTES of UTF-8: the engine's
-- NOVA_MAX_KEYWORD_BYTES, which refuses a longer one on every request of the partnership.
create function public.detection_terms_ok(names text[], kw jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select not exists (select 1 from pg_catalog.unnest(names) as e
                      where e is null or pg_catalog.octet_length(e) > 200)
     and (kw is null
      or (pg_catalog.jsonb_typeof(kw) = 'object'
          and not exists (
            select 1 from pg_catalog.jsonb_each(kw) as e(key, value)
             where e.key not in ('strong', 'medium', 'weak')
                or pg_catalog.jsonb_typeof(e.value) not in ('array', 'null')
                or (pg_catalog.jsonb_typeof(e.value) = 'array'
                    and (pg_catalog.jsonb_array_length(e.value) > 500
                         or exists (select 1 from pg_catalog.jsonb_array_elements(e.value) as x(v)
                                     where pg_catalog.jsonb_typeof(x.v) <> 'string'
                                        or pg_catalog.octet_length(x.v #>> '{}') > 200))))))
$$;

create table public.detection_config (
  id uuid primary key default gen_random_uuid(),
  partnership_id uuid not null unique references public.partnerships (id) on delete cascade,
  partner_names text[] not null,
  custom_keywords jsonb,
  relationship_threshold double precision not null default 2.0,
  constraint detection_config_partner_names_len check (cardinality(partner_names) <= 50),
  constraint detection_config_terms check (public.detection_terms_ok(partner_names, custom_keywords)),
  constraint detection_config_threshold_range check (relationship_threshold >= 0 and relationship_threshold <= 100)
);

-- ---------------------------------------------------------------------------------------
-- Signup: every new auth user gets a user_profiles row (name from the sign-up metadata,
-- else the e-mail's local part, else "there", as route.ts did; at most 100 characters,
-- the engine's name cap). Users who signed up before this migration get theirs too.

create function public.nova_signup_name(meta jsonb, email text)
returns text
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.left(coalesce(nullif(pg_catalog.btrim(meta ->> 'full_name'), ''),
                                  nullif(pg_catalog.btrim(pg_catalog.split_part(coalesce(email, ''), '@', 1)), ''),
                                  'there'), 100)
$$;

create function public.nova_handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.user_profiles (id, name, setup_mode)
  values (new.id, public.nova_signup_name(new.raw_user_meta_data, new.email), 'pending')
  on conflict (id) do nothing;
  return new;
end;
$$;

create trigger nova_on_auth_user_created
  after insert on auth.users
  for each row execute function public.nova_handle_new_user();

-- Users who signed up before this migration. After the trigger, so no signup falls
-- between the two; a row both create is kept once (on conflict do nothing).
insert into public.user_profiles (id, name, setup_mode)
select u.id, public.nova_signup_name(u.raw_user_meta_data, u.email), 'pending'
  from auth.users u
on conflict (id) do nothing;
