-- nova-layers, 1 of 9: the private schema `nova` and the rules every table shares.
--
-- Layout (one feature per file, in dependency order):
--   1 nova_schema            this file: schema nova, text rules, updated_at trigger
--   2 user_profiles          main_user layer; signup trigger and backfill
--   3 partnerships           partnerships, the membership table that holds "one at a time"
--   4 partner_profiles       the AI-built reference profiles
--   5 shared_memories        shared_memories and shared_insights
--   6 detection_config       per-partnership detector settings
--   7 partnership_linking    invite codes, the join throttle, create/join/dissolve
--   8 prompt_context         nova_prompt_context (the chat route's one round trip)
--   9 memory_update          the AI's edits: memory ops, partner notes, both at once
--
-- The public schema holds only what the API exposes: the six tables of the plan and the
-- RPC functions. Everything else (helpers, trigger functions, internal tables) lives in
-- `nova`, which PostgREST does not expose (keep it out of the API's exposed schemas) and
-- in which anon can do nothing at all. Every function pins
-- `search_path = pg_catalog, pg_temp`: built-in names resolve to pg_catalog before anything
-- a caller could create in pg_temp, nothing in public can shadow them, and every other
-- name is schema-qualified.
--
-- Account deletion is foreign keys only: every row that belongs to a user, or to a
-- partnership they were in, references it ON DELETE CASCADE (README "Privacy").

create extension if not exists pgcrypto with schema extensions;

create schema nova;
comment on schema nova is
  'nova-layers internals: helpers, trigger functions and internal tables. Not part of the Data API: do not add it to the exposed schemas.';
revoke all on schema nova from public;
-- authenticated and service_role evaluate the check constraints and the RLS helper that
-- live here (they need USAGE for that); what they may execute is granted one by one.
grant usage on schema nova to authenticated, service_role;

-- ---------------------------------------------------------------------------------------
-- Text rules. The engine (src/sanitize.h) removes invisible characters and collapses
-- white space before it shows a value, so text made only of those would be shown as
-- nothing: the tables refuse it where a value is required (names, list items, memory and
-- insight text). The two patterns below are the SQL side of sanitize.h rules 2-4; the
-- database-to-engine test (tests/sql/engine_limits.sh) checks that they agree with the
-- engine. The white-space class is the first part of both.
--
-- These helpers run in every check constraint, row by row: they pin no search_path
-- (a function with SET is never inlined, which made each check 40 times slower) and
-- instead name every operator and function with its schema, so nothing a caller puts on
-- its search_path can change them.

-- True when the text has at least one character the engine would show: not white space,
-- not a control, invisible, bidi, tag or noncharacter, and not emoji glue (a variation
-- selector or ZWJ on its own shows nothing).
create function nova.has_visible_text(p_text text)
returns boolean
language sql
immutable
parallel safe
as $$
  select p_text operator(pg_catalog.~) '[^\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000'
    '\u0001-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef'
    '\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]'
$$;

-- The text without white space at either end (the engine's trimming; btrim strips only
-- spaces). Invisible characters are kept: a variation selector ends many emoji.
create function nova.trim_text(p_text text)
returns text
language sql
immutable
parallel safe
as $$
  select pg_catalog.regexp_replace(p_text, '^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$', '', 'g')
$$;

-- The text as one line: trimmed, every run of white space one space (the engine's rule for
-- one-line fields).
create function nova.squeeze_text(p_text text)
returns text
language sql
immutable
parallel safe
as $$
  select pg_catalog.regexp_replace(nova.trim_text(p_text), '[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+', ' ', 'g')
$$;

-- A required one-line or block value: visible, and at most p_max characters. Characters
-- are code points, as the engine counts its display caps (README "Text is data"), so
-- what is stored is never cut when shown.
create function nova.text_ok(p_text text, p_max integer)
returns boolean
language sql
immutable
parallel safe
as $$
  select nova.has_visible_text(p_text) and pg_catalog.char_length(p_text) operator(pg_catalog.<=) p_max
$$;

-- A list: null, or at most p_max_items items, each visible and at most p_max_chars.
-- (Check constraints cannot hold subqueries, so a small immutable function does it.)
create function nova.text_list_ok(p_list text[], p_max_items integer, p_max_chars integer)
returns boolean
language sql
immutable
parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select p_list is null
      or (cardinality(p_list) <= p_max_items
          and (cardinality(p_list) = 0 or array_ndims(p_list) = 1)
          and not exists (select 1 from unnest(p_list) as e
                           where e is null or not nova.text_ok(e, p_max_chars)))
$$;

-- Nesting depth of a JSON value: 0 for a scalar, 1 for [] or {}, 2 for [[]], ...
-- (memory_summary is bounded so a request built from it never exceeds the engine's
-- NOVA_MAX_DEPTH).
create function nova.jsonb_depth(p_value jsonb)
returns integer
language sql
immutable
parallel safe
set search_path = pg_catalog, pg_temp
as $$
  with recursive t(v, d) as (
    select p_value, 1
     where jsonb_typeof(p_value) in ('object', 'array')
    union all
    select c.v, t.d + 1
      from t,
           lateral (select e.value from jsonb_each(case when jsonb_typeof(t.v) = 'object' then t.v end) as e
                    union all
                    select e.value from jsonb_array_elements(case when jsonb_typeof(t.v) = 'array' then t.v end) as e) as c(v)
     where jsonb_typeof(c.v) in ('object', 'array')
  )
  select coalesce(max(d), 0) from t
$$;

-- Whether every number in a JSON value is a finite, normal double: 0, or a magnitude from
-- DBL_MIN to DBL_MAX. The engine turns memory_summary's numbers into doubles and prints
-- them, so one outside (1e400, -1e400, 1e-400, a subnormal like 4.9e-324) would be
-- refused or printed as another number (infinity, 0): the table refuses it. Stricter than
-- the engine, never looser (tests/sql/engine_limits.sh sends the boundaries through it).
create function nova.jsonb_numbers_ok(p_value jsonb)
returns boolean
language sql
immutable
parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select not jsonb_path_exists(p_value,
    'strict $.** ? (@.type() == "number" && @ != 0 && (@.abs() < 2.2250738585072014e-308 || @.abs() > 1.7976931348623157e308))')
$$;

-- Whether every key in a JSON value has at most p_key_chars characters and every string in
-- it at most p_string_chars, at any depth. memory_summary's are shown whole only up to the
-- display caps memory_summary_key and memory_summary_value (schema $defs/display_caps):
-- the table refuses what the prompt would cut.
create function nova.jsonb_texts_ok(p_value jsonb, p_key_chars integer, p_string_chars integer)
returns boolean
language sql
immutable
parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select not exists (
    select 1 from jsonb_path_query(p_value, 'strict $.**') as v -- the value and all inside it
     where (jsonb_typeof(v) = 'string' and char_length(v #>> '{}') > p_string_chars)
        or (jsonb_typeof(v) = 'object'
            and exists (select 1 from jsonb_object_keys(v) as k where char_length(k) > p_key_chars)))
$$;

-- A JSON number as a write stores it (double precision), or null when it is not a number
-- or does not fit (1e-400, 1e400): validation and write cannot disagree.
create function nova.jsonb_float8(p_value jsonb)
returns double precision
language plpgsql
immutable
set search_path = pg_catalog, pg_temp
as $$
begin
  if jsonb_typeof(p_value) is distinct from 'number' then
    return null;
  end if;
  return (p_value #>> '{}')::double precision;
exception when numeric_value_out_of_range or invalid_text_representation then
  return null;
end;
$$;

-- The writers of the tables evaluate their check constraints.
grant execute on function nova.has_visible_text(text), nova.trim_text(text), nova.squeeze_text(text),
  nova.text_ok(text, integer), nova.text_list_ok(text[], integer, integer), nova.jsonb_depth(jsonb),
  nova.jsonb_numbers_ok(jsonb), nova.jsonb_texts_ok(jsonb, integer, integer)
  to authenticated, service_role;

-- ---------------------------------------------------------------------------------------
-- updated_at is the time of the write, whoever writes (clock_timestamp, not the
-- transaction's start: the memory ops compare it to detect a concurrent change).
create function nova.set_updated_at()
returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  new.updated_at := clock_timestamp();
  return new;
end;
$$;

-- A new function is executable by PUBLIC: in nova only the roles granted one explicitly
-- may execute it (a per-schema default privilege cannot take PUBLIC's right away).
revoke execute on all functions in schema nova from public, anon;
