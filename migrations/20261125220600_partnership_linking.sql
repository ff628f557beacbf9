-- nova-layers, 7 of 9: linking partners. create_partnership(), join_partnership(code),
-- dissolve_partnership(); invite codes; the throttle on failed joins.
--
-- The three functions run as their owner (security definer), act only for auth.uid(),
-- and return a jsonb outcome instead of raising on refusals: a raised error would roll
-- back the record of a failed join, and the throttle would never see it.
--   success: {"ok": true, ...}        refusal: {"ok": false, "error": "<code>"}
--
-- Concurrency. "One pending or active partnership per user" is the primary key of
-- nova.partnership_members (see partnerships): whatever the isolation level, a write
-- that would break it fails, and the functions turn that failure into the refusal
-- already_in_partnership. On top of it, each function serialises the calling user's
-- requests with a row lock on the user's row of nova.user_locks, so the throttle counts
-- exactly; clients cannot lock that row (nor any row these functions wait for: they have
-- no UPDATE privilege on partnerships and nothing at all in nova), so no client request
-- can hold up another user's. The one row lock a join takes on someone else's row is on
-- an invite it can join (pending, unexpired); a session that joins and keeps its
-- transaction open (a direct database connection: PostgREST commits at once) delays the
-- creator's calls by at most lock_timeout (3 s), which then answer busy. At REPEATABLE
-- READ or SERIALIZABLE a request that loses a race may instead fail with a serialization
-- error (40001): retry it.

-- ---------------------------------------------------------------------------------------
-- Invite codes: 12 symbols of Crockford's base32 alphabet 0-9 A-Z without I L O U
-- (32 symbols, 5 bits each: 60 random bits), shown as XXXX-XXXX-XXXX. Typing is forgiving:
-- case, dashes, spaces and underscores do not matter, and O reads as 0, I and L as 1
-- (Crockford's rule), so no symbol can be mistaken for another.

create function nova.generate_invite_code()
returns text
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
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
create function nova.normalize_invite_code(p_input text)
returns text
language sql
immutable
set search_path = pg_catalog, pg_temp
as $$
  select case when c ~ '^[0-9A-HJKMNP-TV-Z]{12}$'
              then substr(c, 1, 4) || '-' || substr(c, 5, 4) || '-' || substr(c, 9, 4)
         end
    from (select translate(regexp_replace(upper(coalesce(p_input, '')), '[\s_-]+', '', 'g'),
                           'OIL', '011') as c) as t
$$;

-- ---------------------------------------------------------------------------------------
-- The join throttle (README "Invite codes" has the arithmetic). A failure is a guess: a
-- well-formed code that is not the caller's own and cannot be joined (malformed input
-- matches no code and is not counted). Limits, checked before the code is looked at
-- (a throttled call learns nothing and is not recorded):
--   - every account: 5 failures in any 15 minutes and 20 in any 24 hours;
--   - accounts younger than 24 hours, together: once 200 failures of such fresh accounts
--     fall in the last 15 minutes, a fresh account that has failed before is throttled
--     until the window frees up. A fresh account's first try is never held by this pool
--     (an honest new user, whose partner sent the code, gets in), and an established
--     account never is: many new accounts cannot lock anyone else out, and what they
--     can guess together is bounded by the pool plus one guess per account created.
-- The pool is counted without a lock (a global lock would let one session hold up every
-- new user): concurrent requests can pass it by at most their number.

create table nova.join_failures (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  fresh boolean not null,
  failed_at timestamptz not null default now()
);
create index join_failures_user_idx on nova.join_failures (user_id, failed_at);
create index join_failures_fresh_idx on nova.join_failures (failed_at) where fresh;
create index join_failures_time_idx on nova.join_failures (failed_at);
alter table nova.join_failures enable row level security;
revoke all on nova.join_failures from public, anon, authenticated, service_role;

-- Whether the account is fresh: signed up less than 24 hours ago.
create function nova.is_fresh_account(p_user_id uuid)
returns boolean
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
  select coalesce((select u.created_at > now() - interval '24 hours' from auth.users u where u.id = p_user_id), true)
$$;

-- Whether a join by this user is refused as throttled. The caller holds the user's lock,
-- so the user's own counts are exact.
create function nova.join_throttled(p_user_id uuid, p_fresh boolean)
returns boolean
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
  select (select count(*) from nova.join_failures f
           where f.user_id = p_user_id and f.failed_at > now() - interval '15 minutes') >= 5
      or (select count(*) from nova.join_failures f
           where f.user_id = p_user_id and f.failed_at > now() - interval '24 hours') >= 20
      or (p_fresh
          and exists (select 1 from nova.join_failures f where f.user_id = p_user_id)
          and (select count(*) from nova.join_failures f
                where f.fresh and f.failed_at > now() - interval '15 minutes') >= 200)
$$;

create function nova.record_join_failure(p_user_id uuid, p_fresh boolean)
returns void
language sql
set search_path = pg_catalog, pg_temp
as $$
  insert into nova.join_failures (user_id, fresh) values (p_user_id, p_fresh);
  -- Failures older than a day no longer count: remove a few each time.
  delete from nova.join_failures f
   where f.id in (select o.id from nova.join_failures o
                   where o.failed_at < now() - interval '24 hours' order by o.failed_at limit 20);
$$;

-- ---------------------------------------------------------------------------------------
-- What the three functions share.

-- The refusal outcome: {"ok": false, "error": <code>}.
create function nova.partnership_refusal(p_error text)
returns jsonb
language sql
immutable
set search_path = pg_catalog, pg_temp
as $$
  select jsonb_build_object('ok', false, 'error', p_error)
$$;

-- Whether the HTTP request asks PostgREST to roll its transaction back (Prefer:
-- tx=rollback, honoured only when db-tx-end allows it: README "Invite codes"). PostgREST
-- puts the request's headers in request.headers, as a JSON object with lower-case names.
-- Best effort: with two Prefer headers PostgREST acts on both but request.headers keeps
-- the last; db-tx-end = commit is the guarantee.
create function nova.request_asks_rollback()
returns boolean
language plpgsql
stable
set search_path = pg_catalog, pg_temp
as $$
begin
  return coalesce(nullif(current_setting('request.headers', true), '')::jsonb ->> 'prefer', '')
         ~* '(^|[,;[:space:]])tx[[:space:]]*=[[:space:]]*"?rollback';
exception when invalid_text_representation then
  return false;  -- not JSON: not set by PostgREST
end;
$$;

-- Why this caller may not change partnerships at all, or null:
--   not_authenticated      no JWT subject, or no such user;
--   read_only_transaction  the call could not record a failed guess (PostgREST runs GET
--                          calls read-only), and
--   rollback_not_allowed   the request asks to be rolled back (Prefer: tx=rollback):
--                          both refused before the code is looked at, so neither can be
--                          used to guess codes with nothing recorded;
--   anonymous_not_allowed  an anonymous sign-in (is_anonymous), when p_refuse_anonymous.
create function nova.caller_refusal(p_user_id uuid, p_refuse_anonymous boolean)
returns text
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
  select case
    when p_user_id is null or not exists (select 1 from auth.users u where u.id = p_user_id) then 'not_authenticated'
    when current_setting('transaction_read_only') = 'on' then 'read_only_transaction'
    when nova.request_asks_rollback() then 'rollback_not_allowed'
    when p_refuse_anonymous
         and (coalesce(auth.jwt() ->> 'is_anonymous', '') = 'true'
              or exists (select 1 from auth.users u where u.id = p_user_id and u.is_anonymous)) then 'anonymous_not_allowed'
  end
$$;

-- ---------------------------------------------------------------------------------------

-- Why an invite cannot be joined as read (null: it can): every refusal that counts as a
-- guess, except own_code (checked apart: it is no guess).
create function nova.invite_error(p_row public.partnerships)
returns text
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
  select case
    when p_row.id is null then 'invalid_code'
    when p_row.status = 'active' then 'already_used'
    when p_row.status = 'dissolved' then 'revoked'
    when p_row.invite_expires_at <= now() then 'expired'
  end
$$;

-- Each function waits at most lock_timeout (3 s) for a lock and then answers busy: a
-- join in a transaction that stays open (only a direct database connection can keep one
-- open) holds the invite it joins until then, and nobody else waits longer for it.

create function public.create_partnership()
returns jsonb
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
set lock_timeout = '3s'
as $$
declare
  c_invites_per_day constant integer := 10;
  v_uid uuid := auth.uid();
  v_refusal text := nova.caller_refusal(v_uid, true);
  v_row public.partnerships;
  v_constraint text;
begin
  if v_refusal is not null then
    return nova.partnership_refusal(v_refusal);
  end if;
  begin
    perform nova.lock_user(v_uid);

    -- An own invite that expired unused no longer counts.
    update public.partnerships p
       set status = 'dissolved'
     where p.user_a = v_uid and p.status = 'pending' and p.invite_expires_at <= now();

    if (nova.current_partnership(v_uid)).id is not null then
      return nova.partnership_refusal('already_in_partnership');
    end if;
    -- Each invite leaves a row (dissolved ones stay for the service role): at most 10 a
    -- day per user bounds what a create/dissolve loop can pile up.
    if (select count(*) from public.partnerships p
         where p.user_a = v_uid and p.created_at > now() - interval '24 hours') >= c_invites_per_day then
      return nova.partnership_refusal('too_many_invites');
    end if;

    -- 60 random bits: a collision with an existing code is astronomically rare, but retry.
    for attempt in 1 .. 5 loop
      begin
        insert into public.partnerships (user_a, invite_code)
        values (v_uid, nova.generate_invite_code())
        returning * into v_row;
        exit;
      exception when unique_violation then
        get stacked diagnostics v_constraint = constraint_name;
        if v_constraint = 'partnership_members_pkey' then
          -- A partnership of this user committed after this transaction's snapshot.
          return nova.partnership_refusal('already_in_partnership');
        elsif v_constraint <> 'partnerships_invite_code_key' or attempt = 5 then
          raise;
        end if;
      end;
    end loop;
  exception when lock_not_available then
    return nova.partnership_refusal('busy');
  end;

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
set search_path = pg_catalog, pg_temp
set lock_timeout = '3s'
as $$
declare
  v_uid uuid := auth.uid();
  v_refusal text := nova.caller_refusal(v_uid, true);
  v_code text := nova.normalize_invite_code(p_invite_code);
  v_fresh boolean;
  v_row public.partnerships;
  v_error text;
  v_constraint text;
begin
  if v_refusal is not null then
    return nova.partnership_refusal(v_refusal);
  end if;
  begin
    perform nova.lock_user(v_uid);

    v_fresh := nova.is_fresh_account(v_uid);
    if nova.join_throttled(v_uid, v_fresh) then
      return nova.partnership_refusal('throttled');
    end if;
    -- Only an active partnership stops a join (an own open invite is withdrawn below).
    if (nova.current_partnership(v_uid)).status = 'active' then
      return nova.partnership_refusal('already_in_partnership');
    end if;
    -- Malformed input matches no code: refused, but it is no guess and is not counted.
    if v_code is null then
      return nova.partnership_refusal('invalid_code');
    end if;

    -- Everything is checked on the row as read, without a lock. Only an invite that can be
    -- joined (pending, unexpired, not the caller's) is locked, which queues the joiners of
    -- one code and its creator's own changes to it, and is checked again under the lock
    -- (it may have been joined or withdrawn meanwhile). A used, withdrawn, expired or own
    -- code is never locked, so a caller who knows one cannot hold up its creator.
    select * into v_row from public.partnerships p where p.invite_code = v_code;
    if v_row.user_a = v_uid then
      return nova.partnership_refusal('own_code');
    end if;
    v_error := nova.invite_error(v_row);
    if v_error is null then
      select * into v_row from public.partnerships p where p.id = v_row.id for update;
      v_error := nova.invite_error(v_row);
    end if;
    if v_error is not null then
      perform nova.record_join_failure(v_uid, v_fresh);
      return nova.partnership_refusal(v_error);
    end if;

    begin
      -- The joiner's own open invite is withdrawn: one partnership at a time.
      update public.partnerships p
         set status = 'dissolved'
       where p.user_a = v_uid and p.status = 'pending';
      update public.partnerships p
         set user_b = v_uid, status = 'active'
       where p.id = v_row.id
      returning * into v_row;
    exception when unique_violation then
      get stacked diagnostics v_constraint = constraint_name;
      if v_constraint <> 'partnership_members_pkey' then
        raise;
      end if;
      -- The joiner is in a partnership made by a path that bypassed this one (or that
      -- committed after this transaction's snapshot): nothing above is kept.
      return nova.partnership_refusal('already_in_partnership');
    end;

    -- What each partner's AI-built profiles say about the other now belongs to this
    -- partnership (deleting the other's account deletes it): the creator's profiles made
    -- during the invite (linked at creation) and, of either partner, an unlinked profile
    -- under the other's name. A profile linked to an earlier partnership, or unlinked under
    -- another name, is about someone else and is left alone. The reference comes from the
    -- partner's own account from now on.
    update public.partner_profiles pp
       set partnership_id = v_row.id, source = 'partner_account'
      from (values (v_row.user_a, v_row.user_b), (v_row.user_b, v_row.user_a)) as m(owner_id, partner_id)
     where pp.owner_user_id = m.owner_id
       and (pp.partnership_id = v_row.id
            or (pp.partnership_id is null
                and nova.same_partner_name(pp.name, (select u.name from public.user_profiles u where u.id = m.partner_id))));
  exception when lock_not_available then
    return nova.partnership_refusal('busy');
  end;

  return jsonb_build_object('ok', true, 'partnership_id', v_row.id, 'partner_user_id', v_row.user_a);
end;
$$;

create function public.dissolve_partnership()
returns jsonb
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
set lock_timeout = '3s'
as $$
declare
  v_uid uuid := auth.uid();
  v_refusal text := nova.caller_refusal(v_uid, false);
  v_id uuid;
begin
  if v_refusal is not null then
    return nova.partnership_refusal(v_refusal);
  end if;
  begin
    perform nova.lock_user(v_uid);

    update public.partnerships p
       set status = 'dissolved'
     where p.id = (nova.current_partnership(v_uid)).id and p.status <> 'dissolved'
    returning p.id into v_id;
    if v_id is null then
      return nova.partnership_refusal('not_in_partnership');
    end if;
    -- The partner profiles linked to it are the AI's impressions again (the link stays:
    -- see partner_profiles).
    update public.partner_profiles pp
       set source = 'ai_generated'
     where pp.partnership_id = v_id and pp.source = 'partner_account';
  exception when lock_not_available then
    return nova.partnership_refusal('busy');
  end;
  return jsonb_build_object('ok', true, 'partnership_id', v_id);
end;
$$;

-- Signed-in users call the three functions; nobody else does.
revoke execute on function public.create_partnership(), public.join_partnership(text),
  public.dissolve_partnership() from public, anon, service_role;
grant execute on function public.create_partnership(), public.join_partnership(text),
  public.dissolve_partnership() to authenticated;

-- A new function is executable by PUBLIC: in nova only the roles granted one explicitly
-- may execute it (a per-schema default privilege cannot take PUBLIC's right away).
revoke execute on all functions in schema nova from public, anon;
