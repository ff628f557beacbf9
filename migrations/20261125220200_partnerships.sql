-- nova-layers, 3 of 9: partnerships. user_a creates one with an invite code; user_b joins
-- with it. invite_expires_at is ours (codes expire after 7 days).
--
-- "A user has at most one pending or active partnership" is held by the schema, not by
-- the functions: nova.partnership_members has one row per member of a pending or active
-- partnership, with the user as its primary key, and a trigger on partnerships keeps it
-- in step with every insert and update, whoever writes and at any isolation level. A
-- write that would put a user in a second one fails with a unique violation on
-- partnership_members_pkey.
--
-- Status only moves forward: pending -> active (when user_b joins), pending -> dissolved,
-- active -> dissolved. Dissolved is final; user_a never changes; user_b is set once, by
-- the join.
--
-- Deleting either member's account deletes the partnership (both foreign keys cascade),
-- and with it everything that hangs off it: memories, insights, detection config, the
-- partner profiles linked to it, the invite code (README "Privacy").

create table public.partnerships (
  id uuid primary key default gen_random_uuid(),
  user_a uuid not null references auth.users (id) on delete cascade,
  user_b uuid references auth.users (id) on delete cascade,
  invite_code text not null unique,
  status text not null default 'pending',
  created_at timestamptz not null default now(),
  invite_expires_at timestamptz not null default (now() + interval '7 days'),
  constraint partnerships_status check (status in ('pending', 'active', 'dissolved')),
  -- 12 symbols of Crockford's base32 alphabet in groups of four: see nova.generate_invite_code.
  constraint partnerships_invite_code_format check (
    invite_code ~ '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'),
  constraint partnerships_distinct_users check (user_b <> user_a),
  constraint partnerships_pending_has_no_b check (status <> 'pending' or user_b is null),
  constraint partnerships_active_has_b check (status <> 'active' or user_b is not null)
);

-- Account deletion finds a user's partnerships from either side.
create index partnerships_user_a_idx on public.partnerships (user_a);
create index partnerships_user_b_idx on public.partnerships (user_b);

-- Status moves forward only, user_a is fixed, user_b is set once when the partnership
-- becomes active: so the members of a partnership never change, and neither can whom
-- its memories are about.
create function nova.check_partnership_change()
returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  if new.user_a is distinct from old.user_a then
    raise exception 'partnerships.user_a never changes' using errcode = '23514';
  end if;
  if new.status is distinct from old.status
     and (old.status, new.status) not in (('pending', 'active'), ('pending', 'dissolved'), ('active', 'dissolved')) then
    raise exception 'partnership status cannot go from % to %', old.status, new.status using errcode = '23514';
  end if;
  if new.user_b is distinct from old.user_b and not (old.status = 'pending' and new.status = 'active') then
    raise exception 'partnerships.user_b is set once, when the partnership becomes active' using errcode = '23514';
  end if;
  return new;
end;
$$;

create trigger partnerships_check_change
  before update on public.partnerships
  for each row execute function nova.check_partnership_change();

-- ---------------------------------------------------------------------------------------
-- Membership: one row per user in a pending or active partnership.

create table nova.partnership_members (
  user_id uuid primary key references auth.users (id) on delete cascade,
  partnership_id uuid not null references public.partnerships (id) on delete cascade
);
create index partnership_members_partnership_idx on nova.partnership_members (partnership_id);

-- Keeps partnership_members in step with the row: members of a pending or active
-- partnership are in it, members of a dissolved one are not. Security definer: the
-- writers of partnerships have no access to nova's tables.
create function nova.sync_partnership_members()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if new.status = 'dissolved' then
    delete from nova.partnership_members m where m.partnership_id = new.id;
  else
    insert into nova.partnership_members (user_id, partnership_id)
    select u, new.id
      from unnest(array[new.user_a, new.user_b]) as t(u)
     where u is not null
       and not exists (select 1 from nova.partnership_members m where m.user_id = u and m.partnership_id = new.id);
  end if;
  return null;
end;
$$;

create trigger partnerships_sync_members
  after insert or update of user_a, user_b, status on public.partnerships
  for each row execute function nova.sync_partnership_members();

-- The user's current partnership (pending or active), or a row of nulls.
create function nova.current_partnership(p_user_id uuid)
returns public.partnerships
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
  select p.*
    from nova.partnership_members m
    join public.partnerships p on p.id = m.partnership_id
   where m.user_id = p_user_id
$$;

-- The signed-in caller's current partnership id (RLS: what clients may read).
create function nova.my_partnership_id()
returns uuid
language sql
stable
security definer
set search_path = pg_catalog, pg_temp
as $$
  select m.partnership_id from nova.partnership_members m where m.user_id = auth.uid()
$$;
grant execute on function nova.my_partnership_id() to authenticated;

-- ---------------------------------------------------------------------------------------
-- Access. Clients read only the partnership they are in now (pending or active): after a
-- break-up nothing of it is readable by either ex-partner, the row stays for the service
-- role. Creating, joining and dissolving go through the functions of
-- partnership_linking; the service role may move status forward (as the trigger allows).
alter table public.partnerships enable row level security;
revoke all on public.partnerships from anon, authenticated, service_role;
grant select on public.partnerships to authenticated, service_role;
grant update (user_b, status) on public.partnerships to service_role;

create policy "Members can read their current partnership"
  on public.partnerships for select to authenticated
  using (id = (select nova.my_partnership_id()));

alter table nova.partnership_members enable row level security;
revoke all on nova.partnership_members from public, anon, authenticated, service_role;

-- A new function is executable by PUBLIC: in nova only the roles granted one explicitly
-- may execute it (a per-schema default privilege cannot take PUBLIC's right away).
revoke execute on all functions in schema nova from public, anon;
