-- nova-layers, 5 of 9: shared_memories and shared_insights, the couple's memory and
-- insight layers. Written by the AI only (service role), read by both partners while the
-- partnership is theirs (pending or active); after a break-up by nobody but the service
-- role; deleted with the partnership when either partner deletes their account.
--
-- about_user is null (about the relationship) or one of the partnership's members: the
-- tables hold that rule themselves (trigger), whoever writes.

-- A timestamp nova_prompt_context can hand the engine: from 1970-01-01 to the end of
-- year 9999, UTC. The engine reads four-digit years only, and 'infinity' or a BC date
-- would reach it as null or as the wrong year, failing every chat of the couple. A check,
-- not a trigger that overwrites them: the service role may import rows with their real
-- dates (updated_at is still set on every update, by trigger).
create function nova.time_ok(p_time timestamptz)
returns boolean
language sql
immutable
parallel safe
set search_path = pg_catalog, pg_temp
as $$
  -- to_timestamp(seconds since 1970) is immutable, a timestamptz literal is not.
  select p_time >= to_timestamp(0) and p_time < to_timestamp(253402300800)  -- 10000-01-01 00:00:00 UTC
$$;
grant execute on function nova.time_ok(timestamptz) to service_role;

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
  constraint shared_memories_content_len check (nova.text_ok(content, 2000)),
  constraint shared_memories_confidence_range check (confidence >= 0 and confidence <= 1),
  constraint shared_memories_times_range check (nova.time_ok(created_at) and nova.time_ok(updated_at))
);

-- The context query: active memories of one partnership, most confident then most recent.
-- Matching the ORDER BY lets the capped query stop after the cap without sorting.
create index shared_memories_context_idx on public.shared_memories
  (partnership_id, confidence desc, updated_at desc, id) where is_active;
-- The about_user foreign key's cascade, and the partnership's (service-role tools list
-- inactive rows too).
create index shared_memories_about_user_idx on public.shared_memories (about_user);
create index shared_memories_partnership_idx on public.shared_memories (partnership_id);

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
  constraint shared_insights_title_len check (nova.text_ok(title, 300)),
  constraint shared_insights_content_len check (nova.text_ok(content, 2000)),
  constraint shared_insights_times_range check (nova.time_ok(created_at) and nova.time_ok(updated_at))
);

create index shared_insights_context_idx on public.shared_insights
  (partnership_id, updated_at desc, id) where is_active;
create index shared_insights_about_user_idx on public.shared_insights (about_user);
create index shared_insights_partnership_idx on public.shared_insights (partnership_id);

-- about_user must be a member of the row's partnership (or null: the relationship), and
-- nothing new is written about a couple after their break-up (a dissolved partnership
-- takes no new rows). Security definer, so the rule
-- holds whoever writes.
create function nova.check_shared_row()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if new.about_user is not null and not nova.is_member_of(new.about_user, new.partnership_id) then
    raise exception '%: about_user % is not a member of partnership %', tg_table_name, new.about_user, new.partnership_id
      using errcode = '23514';
  end if;
  if tg_op = 'INSERT'
     and exists (select 1 from public.partnerships p where p.id = new.partnership_id and p.status = 'dissolved') then
    raise exception '%: partnership % is dissolved', tg_table_name, new.partnership_id using errcode = '23514';
  end if;
  return new;
end;
$$;

create trigger shared_memories_check_row
  before insert or update of about_user, partnership_id on public.shared_memories
  for each row execute function nova.check_shared_row();
create trigger shared_insights_check_row
  before insert or update of about_user, partnership_id on public.shared_insights
  for each row execute function nova.check_shared_row();
create trigger shared_memories_set_updated_at
  before update on public.shared_memories
  for each row execute function nova.set_updated_at();
create trigger shared_insights_set_updated_at
  before update on public.shared_insights
  for each row execute function nova.set_updated_at();

-- Access. Clients read the rows of the partnership they are in now; only the service role
-- writes (insights: no delete, is_active is the soft delete). No one moves a row to
-- another partnership.
alter table public.shared_memories enable row level security;
revoke all on public.shared_memories from anon, authenticated, service_role;
grant select on public.shared_memories to authenticated;
grant select, insert, delete on public.shared_memories to service_role;
grant update (category, about_user, content, confidence, is_active) on public.shared_memories to service_role;

create policy "Partners can read their shared memories"
  on public.shared_memories for select to authenticated
  using (partnership_id = (select nova.my_partnership_id()));

alter table public.shared_insights enable row level security;
revoke all on public.shared_insights from anon, authenticated, service_role;
grant select on public.shared_insights to authenticated;
grant select, insert on public.shared_insights to service_role;
grant update (category, about_user, title, content, is_active) on public.shared_insights to service_role;

create policy "Partners can read their shared insights"
  on public.shared_insights for select to authenticated
  using (partnership_id = (select nova.my_partnership_id()));

-- A new function is executable by PUBLIC: in nova only the roles granted one explicitly
-- may execute it (a per-schema default privilege cannot take PUBLIC's right away).
revoke execute on all functions in schema nova from public, anon;
