-- Linking partners: create_partnership(), join_partnership(code), dissolve_partnership(),
-- the throttle on failed joins, and what deleting an account does to a partnership.
--
-- The three functions run as their owner (security definer, empty search_path, every name
-- schema-qualified), act only for auth.uid(), and return a jsonb outcome instead of raising
-- on refusals: a raised error would roll back the record of a failed join attempt, and the
-- throttle would never see it.
--   success: {"ok": true, ...}        refusal: {"ok": false, "error": "<code>"}

-- ---------------------------------------------------------------------------------------
-- Invite codes: 12 symbols of Crockford's base32 alphabet 0-9 A-Z without I L O U
-- (32 symbols, 5 bits each: 60 random bits), shown as XXXX-XXXX-XXXX. Typing is forgiving:
-- case, dashes and spaces do not matter, and O reads as 0, I and L as 1 (Crockford's rule),
-- so no symbol can be mistaken for another.

create function public.generate_invite_code()
returns text
language plpgsql
volatile
set search_path = ''
as $$
declare
  alphabet constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  bytes bytea := extensions.gen_random_bytes(12);
  code text := '';
begin
  -- One random byte per symbol; its low 5 bits are uniform, so every symbol is too.
  for i in 0 .. 11 loop
    if i in (4, 8) then
      code := code || '-';
    end if;
    code := code || substr(alphabet, (get_byte(bytes, i) & 31) + 1, 1);
  end loop;
  return code;
end;
$$;

-- The canonical form of what a user typed, or null when it cannot be a code at all.
create function public.normalize_invite_code(p_input text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when c ~ '^[0-9A-HJKMNP-TV-Z]{12}$'
              then substr(c, 1, 4) || '-' || substr(c, 5, 4) || '-' || substr(c, 9, 4)
         end
    from (select pg_catalog.translate(
                   pg_catalog.regexp_replace(pg_catalog.upper(coalesce(p_input, '')), '[\s_-]+', '', 'g'),
                   'OIL', '011') as c) as t
$$;

-- ---------------------------------------------------------------------------------------
-- Failed join attempts, for the throttle (5 failures per user per 15 minutes). Nobody but
-- the functions reads or writes it.

create table public.partnership_join_attempts (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  attempted_at timestamptz not null default now()
);
create index partnership_join_attempts_user_idx
  on public.partnership_join_attempts (user_id, attempted_at desc);
alter table public.partnership_join_attempts enable row level security;
revoke all on public.partnership_join_attempts from anon, authenticated, service_role;
revoke all on sequence public.partnership_join_attempts_id_seq from anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------
-- When a partnership ends, each partner's AI-built profile of the other is unlinked and
-- becomes the Reference again (source ai_generated).

create function public.unlink_partner_profiles(p_partnership_id uuid)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.partner_profiles
     set partnership_id = null, source = 'ai_generated'
   where partnership_id = p_partnership_id;
$$;

-- ---------------------------------------------------------------------------------------
-- What the three functions share: the refusal shape, the per-user lock, and the question
-- "which partnership is this user in right now?" (nova_prompt_context asks it too).

-- The refusal outcome: {"ok": false, "error": <code>}.
create function public.partnership_refusal(p_error text)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object('ok', false, 'error', p_error)
$$;

-- Serialises one user's partnership changes until the transaction ends: "at most one
-- pending or active partnership per user" holds even when requests arrive together.
-- Every function that changes a user's partnerships takes this lock for that user.
create function public.lock_partnership_user(p_user_id uuid)
returns void
language sql
set search_path = ''
as $$
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('nova.partnership:' || p_user_id::text, 0))
$$;

-- The user's current partnership: the active one, else their open (pending) invite, else
-- null (the newest first, then by id, should there ever be more than one).
create function public.current_partnership_of(p_user_id uuid)
returns public.partnerships
language sql
stable
security definer
set search_path = ''
as $$
  select p.*
    from public.partnerships p
   where (p.user_a = p_user_id or p.user_b = p_user_id) and p.status in ('active', 'pending')
   order by (p.status = 'active') desc, p.created_at desc, p.id
   limit 1
$$;

-- ---------------------------------------------------------------------------------------

create function public.create_partnership()
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_row public.partnerships;
begin
  if v_uid is null then
    return public.partnership_refusal('not_authenticated');
  end if;
  perform public.lock_partnership_user(v_uid);

  -- An own invite that expired unused no longer counts.
  update public.partnerships
     set status = 'dissolved'
   where user_a = v_uid and status = 'pending' and invite_expires_at <= now();

  if (public.current_partnership_of(v_uid)).id is not null then
    return public.partnership_refusal('already_in_partnership');
  end if;

  -- 60 random bits: a collision with an existing code is astronomically rare, but retry.
  for attempt in 1 .. 5 loop
    begin
      insert into public.partnerships (user_a, invite_code)
      values (v_uid, public.generate_invite_code())
      returning * into v_row;
      exit;
    exception when unique_violation then
      if attempt = 5 then
        raise;
      end if;
    end;
  end loop;

  return jsonb_build_object(
    'ok', true,
    'partnership_id', v_row.id,
    'invite_code', v_row.invite_code,
    'invite_expires_at', to_char(v_row.invite_expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
end;
$$;

create function public.join_partnership(p_invite_code text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_code text := public.normalize_invite_code(p_invite_code);
  v_row public.partnerships;
  v_creator uuid;
  v_lock uuid;
  v_error text;
begin
  if v_uid is null then
    return public.partnership_refusal('not_authenticated');
  end if;
  -- Serialise with everything else the joiner and the code's creator do (a creator whose
  -- invite is being joined may be joining someone else's at the same moment). Locks are
  -- taken in uuid order so two joins that cross cannot deadlock.
  if v_code is not null then
    select p.user_a into v_creator from public.partnerships p where p.invite_code = v_code;
  end if;
  for v_lock in
    select distinct u from unnest(array[v_uid, v_creator]) as t(u) where u is not null order by u
  loop
    perform public.lock_partnership_user(v_lock);
  end loop;

  if (select count(*) from public.partnership_join_attempts
       where user_id = v_uid and attempted_at > now() - interval '15 minutes') >= 5 then
    return public.partnership_refusal('throttled');
  end if;

  -- Only an active partnership stops a join (an own open invite is withdrawn below);
  -- current_partnership_of returns the active one before any pending one.
  if (public.current_partnership_of(v_uid)).status = 'active' then
    return public.partnership_refusal('already_in_partnership');
  end if;

  -- Joiners of one code already queue on its creator's lock (above); the row lock also
  -- holds off the account-deletion trigger, which takes no advisory lock.
  if v_code is not null then
    select * into v_row from public.partnerships where invite_code = v_code for update;
  end if;

  if v_row.id is null then
    v_error := 'invalid_code';
  elsif v_row.user_a = v_uid then
    return public.partnership_refusal('own_code');
  elsif v_row.status = 'active' then
    v_error := 'already_used';
  elsif v_row.status = 'dissolved' then
    v_error := 'revoked';
  elsif v_row.invite_expires_at <= now() then
    v_error := 'expired';
  end if;

  if v_error is null then
    -- Conditional on still being open: exactly one joiner can win.
    update public.partnerships
       set user_b = v_uid, status = 'active'
     where id = v_row.id and status = 'pending' and user_b is null
    returning * into v_row;
    if not found then
      v_error := 'already_used';
    end if;
  end if;

  if v_error is not null then
    insert into public.partnership_join_attempts (user_id) values (v_uid);
    return public.partnership_refusal(v_error);
  end if;

  -- The joiner's own open invite, if any, is withdrawn: one partnership at a time.
  update public.partnerships
     set status = 'dissolved'
   where user_a = v_uid and status = 'pending';

  -- Each partner's AI-built profile of the other now belongs to this partnership; the
  -- Reference comes from the partner's own account from now on.
  update public.partner_profiles
     set partnership_id = v_row.id, source = 'partner_account'
   where owner_user_id in (v_row.user_a, v_row.user_b) and partnership_id is null;

  return jsonb_build_object('ok', true, 'partnership_id', v_row.id, 'partner_user_id', v_row.user_a);
end;
$$;

create function public.dissolve_partnership()
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_id uuid;
begin
  if v_uid is null then
    return public.partnership_refusal('not_authenticated');
  end if;
  perform public.lock_partnership_user(v_uid);

  update public.partnerships
     set status = 'dissolved'
   where (user_a = v_uid or user_b = v_uid) and status in ('pending', 'active')
  returning id into v_id;
  if v_id is null then
    return public.partnership_refusal('not_in_partnership');
  end if;
  perform public.unlink_partner_profiles(v_id);
  return jsonb_build_object('ok', true, 'partnership_id', v_id);
end;
$$;

-- ---------------------------------------------------------------------------------------
-- Account deletion (a row deleted from auth.users):
--   - the user's profile, own partner_profiles rows and join attempts go (foreign keys
--     ON DELETE CASCADE), and so does every memory and insight about them (about_user
--     ON DELETE CASCADE);
--   - a partnership nobody joined is deleted with its creator;
--   - a partnership with two members is dissolved and kept for the other partner: the
--     survivor becomes user_a (the column cannot be null), user_b is emptied, and the
--     survivor's memories, insights about them or the relationship, and own rows stay.
create function public.nova_handle_deleted_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  for v_id in
    select id from public.partnerships where user_a = old.id or user_b = old.id
  loop
    perform public.unlink_partner_profiles(v_id);
  end loop;

  delete from public.partnerships where user_a = old.id and user_b is null;

  update public.partnerships
     set user_a = case when user_a = old.id then user_b else user_a end,
         user_b = null,
         status = 'dissolved'
   where user_a = old.id or user_b = old.id;
  return old;
end;
$$;

create trigger nova_on_auth_user_deleted
  before delete on auth.users
  for each row execute function public.nova_handle_deleted_user();

-- ---------------------------------------------------------------------------------------
-- Who may call what: signed-in users call the three partnership functions; the helpers
-- are internal.
revoke execute on function public.create_partnership(), public.join_partnership(text),
  public.dissolve_partnership() from public, anon, service_role;
grant execute on function public.create_partnership(), public.join_partnership(text),
  public.dissolve_partnership() to authenticated;

revoke execute on function public.generate_invite_code(), public.normalize_invite_code(text),
  public.unlink_partner_profiles(uuid), public.nova_handle_deleted_user(),
  public.partnership_refusal(text), public.lock_partnership_user(uuid), public.current_partnership_of(uuid)
  from public, anon, authenticated, service_role;
