-- nova-layers, 4 of 9: partner_profiles, the reference layer when the partner has no linked
-- account: the profile the AI builds of the user's partner from the user's conversations
-- (nova_apply_partner_notes appends to it).
--
-- partnership_id says whom the profile is about. A profile written while its owner is in
-- a pending or active partnership is about that partnership's partner: it is linked to it
-- when it is created. At the join, a profile made before the invite under the joiner's
-- name is linked too (nova.same_partner_name). source flips to partner_account while the
-- partnership is active, back to ai_generated when it ends. The link is kept after a
-- break-up, so deleting the partner's account deletes what was learned about them; an
-- invite withdrawn before anyone joined leaves its profiles unlinked (nobody to link to).
--
-- While a partnership is pending or active, the prompt and the partner notes use only a
-- profile linked to it or an unlinked one, never one linked to an ended partnership (an
-- ex's): nova.ai_profile_of.

create table public.partner_profiles (
  id uuid primary key default gen_random_uuid(),
  owner_user_id uuid not null references auth.users (id) on delete cascade,
  partnership_id uuid references public.partnerships (id) on delete cascade,
  name text not null,
  traits text[],
  relational_tendencies text[],
  important_truths text[],
  ai_notes text,
  source text not null default 'ai_generated',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint partner_profiles_name_len check (nova.text_ok(name, 100)),
  constraint partner_profiles_traits_len check (nova.text_list_ok(traits, 100, 300)),
  constraint partner_profiles_relational_tendencies_len check (nova.text_list_ok(relational_tendencies, 100, 300)),
  constraint partner_profiles_important_truths_len check (nova.text_list_ok(important_truths, 100, 300)),
  constraint partner_profiles_ai_notes_len check (char_length(ai_notes) <= 2000),
  constraint partner_profiles_source check (source in ('ai_generated', 'partner_account'))
);

create index partner_profiles_owner_idx on public.partner_profiles (owner_user_id, updated_at desc);
create index partner_profiles_partnership_idx on public.partner_profiles (partnership_id);

create trigger partner_profiles_set_updated_at
  before update on public.partner_profiles
  for each row execute function nova.set_updated_at();

-- A row that names a partnership must belong to one of its members (partner profiles:
-- the owner; memories and insights: about_user, when set). Used by the triggers of this
-- table and of shared_memories / shared_insights, which run as their owner (security
-- definer) so the rule holds whoever writes.
create function nova.is_member_of(p_user_id uuid, p_partnership_id uuid)
returns boolean
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
  select exists (select 1 from public.partnerships p
                  where p.id = p_partnership_id and p_user_id in (p.user_a, p.user_b))
$$;

-- What two names or notes are compared by: case and white space do not matter.
create function nova.note_key(p_text text)
returns text
language sql
immutable
set search_path = pg_catalog, pg_temp
as $$
  select lower(nova.squeeze_text(p_text))
$$;

-- Whether two names are the same person's, as far as names tell: equal ignoring case and
-- white space, or one is the other's first word ("Carol" and "Carol Smith"). Decides
-- which partner notes go into which profile and which unlinked profile is linked at a join.
create function nova.same_partner_name(p_a text, p_b text)
returns boolean
language sql
immutable
set search_path = pg_catalog, pg_temp
as $$
  select coalesce(a = b or a = split_part(b, ' ', 1) or split_part(a, ' ', 1) = b, false)
    from (select nova.note_key(p_a) as a, nova.note_key(p_b) as b) as k
$$;

-- A new profile is linked to its owner's current (pending or active) partnership: it is
-- about that partnership's partner. A linked profile belongs to a member of its
-- partnership. Security definer, so the rule holds whoever writes.
create function nova.check_partner_profile()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if tg_op = 'INSERT' and new.partnership_id is null then
    new.partnership_id := (nova.current_partnership(new.owner_user_id)).id;
  end if;
  if new.partnership_id is not null and not nova.is_member_of(new.owner_user_id, new.partnership_id) then
    raise exception 'partner_profiles: owner % is not a member of partnership %', new.owner_user_id, new.partnership_id
      using errcode = '23514';
  end if;
  return new;
end;
$$;

create trigger partner_profiles_check_link
  before insert or update of owner_user_id, partnership_id on public.partner_profiles
  for each row execute function nova.check_partner_profile();

-- The AI-built profile the prompt shows for a user whose current partnership is
-- p_partnership_id (null: none), and the one partner notes are written to. While there is
-- a current partnership: the profile linked to it, else the most recently updated
-- unlinked one; never one linked to an ended partnership (about an ex). Without one:
-- the most recently updated (after a break-up, the user's impressions of the ex, until a
-- newer profile is written). With p_name, only a profile under that name
-- (nova.same_partner_name).
create function nova.ai_profile_of(p_user_id uuid, p_partnership_id uuid, p_name text default null)
returns public.partner_profiles
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
  select pp.*
    from public.partner_profiles pp
   where pp.owner_user_id = p_user_id
     and (p_partnership_id is null or pp.partnership_id is null or pp.partnership_id = p_partnership_id)
     and (p_name is null or nova.same_partner_name(pp.name, p_name))
   order by (pp.partnership_id = p_partnership_id) is true desc, pp.updated_at desc, pp.id
   limit 1
$$;

-- An invite withdrawn (or expired) before anyone joined had no partner: the profiles
-- linked to it describe nobody known, so they become unlinked again (and are shown and
-- take notes in the owner's next partnership).
create function nova.unlink_withdrawn_profiles()
returns trigger
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  update public.partner_profiles pp set partnership_id = null where pp.partnership_id = new.id;
  return null;
end;
$$;

create trigger partnerships_unlink_withdrawn_profiles
  after update of status on public.partnerships
  for each row when (old.status = 'pending' and new.status = 'dissolved')
  execute function nova.unlink_withdrawn_profiles();

-- Access: service role only (the plan: never exposed to clients). It may write the
-- profile's content; owner, link and source change only through the functions.
alter table public.partner_profiles enable row level security;
revoke all on public.partner_profiles from anon, authenticated, service_role;
grant select, insert on public.partner_profiles to service_role;
grant update (name, traits, relational_tendencies, important_truths, ai_notes)
  on public.partner_profiles to service_role;

-- A new function is executable by PUBLIC: in nova only the roles granted one explicitly
-- may execute it (a per-schema default privilege cannot take PUBLIC's right away).
revoke execute on all functions in schema nova from public, anon;
