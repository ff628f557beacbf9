-- nova-layers, 6 of 9: detection_config, the per-partnership detector settings (at most one
-- row per partnership; service role only). nova_prompt_context passes the row to the
-- engine as it is: the engine adds the reference's name to the partner names itself.

-- Every term the detector gets: partner_names a list of strings, custom_keywords null or
-- {"strong"|"medium"|"weak": [text, ...] | null} (the contract's shape, so the engine never
-- sees anything else), each term at most 200 BYTES of UTF-8: the engine's
-- NOVA_MAX_KEYWORD_BYTES, which refuses a longer one on every request of the partnership.
create function nova.detection_terms_ok(p_names text[], p_keywords jsonb)
returns boolean
language sql
immutable
set search_path = pg_catalog, pg_temp
as $$
  select (cardinality(p_names) = 0 or array_ndims(p_names) = 1)
     and not exists (select 1 from unnest(p_names) as e where e is null or octet_length(e) > 200)
     and (p_keywords is null
      or (jsonb_typeof(p_keywords) = 'object'
          and not exists (
            select 1 from jsonb_each(p_keywords) as e(key, value)
             where e.key not in ('strong', 'medium', 'weak')
                or jsonb_typeof(e.value) not in ('array', 'null')
                or (jsonb_typeof(e.value) = 'array'
                    and (jsonb_array_length(e.value) > 500
                         or exists (select 1 from jsonb_array_elements(e.value) as x(v)
                                     where jsonb_typeof(x.v) <> 'string'
                                        or octet_length(x.v #>> '{}') > 200))))))
$$;
grant execute on function nova.detection_terms_ok(text[], jsonb) to service_role;

create table public.detection_config (
  id uuid primary key default gen_random_uuid(),
  partnership_id uuid not null unique references public.partnerships (id) on delete cascade,
  partner_names text[] not null,
  custom_keywords jsonb,
  relationship_threshold double precision not null default 2.0,
  constraint detection_config_partner_names_len check (cardinality(partner_names) <= 50),
  constraint detection_config_terms check (nova.detection_terms_ok(partner_names, custom_keywords)),
  constraint detection_config_threshold_range check (relationship_threshold >= 0 and relationship_threshold <= 100)
);

alter table public.detection_config enable row level security;
revoke all on public.detection_config from anon, authenticated, service_role;
grant select, insert, update, delete on public.detection_config to service_role;

-- A new function is executable by PUBLIC: in nova only the roles granted one explicitly
-- may execute it (a per-schema default privilege cannot take PUBLIC's right away).
revoke execute on all functions in schema nova from public, anon;
