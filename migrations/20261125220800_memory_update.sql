-- nova-layers, 9 of 9: the AI's edits after a reply (the seed plan's "AI Update Flow"),
-- service role only, each all or nothing:
--   nova_apply_memory_ops(partnership, ops)          shared memories: add, update, deactivate
--   nova_apply_partner_notes(user, name, notes)      the user's AI-built partner profile
--   nova_apply_memory_update(user, partnership, ops, notes, name)
--                                                    both in one transaction (the route's call)
-- Refusals are values, never raised errors:
--   {"applied": 0, "error": {"index": <item index, or null for the call>, "code": <stable
--   snake_case code>, "reason": <text for people>}}
-- Codes: invalid_request, too_many_ops, too_many_notes, partnership_not_found,
-- partnership_dissolved, user_not_found, invalid_op, not_member, not_found, stale,
-- duplicate_id, invalid_note, partner_linked, name_required, profile_full, write_failed.

create function nova.update_refusal(p_index integer, p_code text, p_reason text)
returns jsonb
language sql
immutable
set search_path = pg_catalog, pg_temp
as $$
  select jsonb_build_object('applied', 0,
           'error', jsonb_build_object('index', p_index, 'code', p_code, 'reason', p_reason))
$$;

-- A timestamp as nova_prompt_context writes them (ISO-8601, any offset), or null.
create function nova.jsonb_time(p_value jsonb)
returns timestamptz
language plpgsql
immutable
set search_path = pg_catalog, pg_temp
as $$
begin
  if jsonb_typeof(p_value) is distinct from 'string'
     or (p_value #>> '{}') !~ '^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d(:?\d\d)?)$' then
    return null;
  end if;
  return (p_value #>> '{}')::timestamptz;
exception when datetime_field_overflow or invalid_datetime_format then
  return null;
end;
$$;

-- A uuid as the ops name one (a string of 8-4-4-4-12 hex digits, either case), or null.
-- Lowered by the cast, so two spellings of one id are one value.
create function nova.jsonb_uuid(p_value jsonb)
returns uuid
language sql
immutable
set search_path = pg_catalog, pg_temp
as $$
  select case when jsonb_typeof(p_value) = 'string'
                   and (p_value #>> '{}') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
              then (p_value #>> '{}')::uuid end
$$;

-- ---------------------------------------------------------------------------------------
-- Memory operations for one partnership:
--   {"op": "add", "category": <memory category>, "about_user"?: <member uuid | null>,
--    "content": <1..2000 chars>, "confidence"?: <0..1, default 1>}
--   {"op": "update", "id": <memory uuid>, "updated_at": <as read>, "content"?, "confidence"?}
--   {"op": "deactivate", "id": <memory uuid>, "updated_at": <as read>}
-- updated_at is the memory's updated_at as nova_prompt_context gave it: when the row has
-- changed since (another chat updated it), the batch is refused as stale.

-- Why one op cannot be applied (code and reason), or nulls when it can. The memories the
-- ops name are locked by the caller, so what is checked here is what will be written.
create function nova.memory_op_error(p_op jsonb, p_partnership_id uuid, p_members uuid[],
                                     out code text, out reason text)
language plpgsql
stable
set search_path = pg_catalog, pg_temp
as $$
declare
  v_kind text;
  v_allowed text[];
  v_key text;
  v_seen timestamptz;
  v_row public.shared_memories;
begin
  if jsonb_typeof(p_op) is distinct from 'object' then
    code := 'invalid_op'; reason := 'an op must be a JSON object'; return;
  end if;
  v_kind := case when jsonb_typeof(p_op -> 'op') = 'string' then p_op ->> 'op' end;
  v_allowed := case v_kind
    when 'add' then array['op', 'category', 'about_user', 'content', 'confidence']
    when 'update' then array['op', 'id', 'updated_at', 'content', 'confidence']
    when 'deactivate' then array['op', 'id', 'updated_at']
  end;
  if v_allowed is null then
    code := 'invalid_op'; reason := '"op" must be "add", "update" or "deactivate"'; return;
  end if;
  for v_key in select jsonb_object_keys(p_op) loop
    if not v_key = any (v_allowed) then
      code := 'invalid_op'; reason := format('%s takes no member "%s"', v_kind, left(v_key, 100)); return;
    end if;
  end loop;

  if p_op ? 'content' then
    if jsonb_typeof(p_op -> 'content') <> 'string' or not nova.has_visible_text(p_op ->> 'content') then
      code := 'invalid_op'; reason := '"content" must be a string with visible text'; return;
    elsif char_length(nova.trim_text(p_op ->> 'content')) > 2000 then
      code := 'invalid_op'; reason := '"content" is longer than 2000 characters'; return;
    end if;
  end if;
  if p_op ? 'confidence' and not coalesce(nova.jsonb_float8(p_op -> 'confidence') between 0 and 1, false) then
    code := 'invalid_op'; reason := '"confidence" must be a number from 0 to 1'; return;
  end if;

  if v_kind = 'add' then
    if not p_op ? 'content' then
      code := 'invalid_op'; reason := 'add needs "content"'; return;
    end if;
    if jsonb_typeof(p_op -> 'category') is distinct from 'string'
       or (p_op ->> 'category') not in ('preference', 'emotional_need', 'important_date',
                                        'gift_idea', 'growth_moment', 'pattern', 'general') then
      code := 'invalid_op'; reason := '"category" must be one of the memory categories'; return;
    end if;
    if coalesce(jsonb_typeof(p_op -> 'about_user'), 'null') <> 'null' then
      if nova.jsonb_uuid(p_op -> 'about_user') is null then
        code := 'invalid_op'; reason := '"about_user" must be a uuid or null'; return;
      elsif not coalesce(nova.jsonb_uuid(p_op -> 'about_user') = any (p_members), false) then
        code := 'not_member'; reason := '"about_user" is not a member of this partnership'; return;
      end if;
    end if;
    return;
  end if;

  -- update / deactivate
  if nova.jsonb_uuid(p_op -> 'id') is null then
    code := 'invalid_op'; reason := '"id" must be a uuid'; return;
  end if;
  v_seen := nova.jsonb_time(p_op -> 'updated_at');
  if v_seen is null then
    code := 'invalid_op'; reason := format('%s needs "updated_at", the memory''s updated_at as read', v_kind); return;
  end if;
  if v_kind = 'update' and not (p_op ? 'content' or p_op ? 'confidence') then
    code := 'invalid_op'; reason := 'update needs "content" or "confidence"'; return;
  end if;
  select * into v_row from public.shared_memories m
   where m.id = nova.jsonb_uuid(p_op -> 'id') and m.partnership_id = p_partnership_id;
  -- The same answer whether the id exists elsewhere or not: no probing other partnerships.
  if v_row.id is null then
    code := 'not_found'; reason := 'no memory of this partnership has this id'; return;
  elsif v_row.updated_at <> v_seen then
    code := 'stale';
    reason := format('the memory changed since it was read (updated_at %s, now %s)',
                     nova.iso_time(v_seen), nova.iso_time(v_row.updated_at));
    return;
  elsif not v_row.is_active then
    code := 'not_found'; reason := 'the memory is no longer active'; return;
  end if;
end;
$$;

create function public.nova_apply_memory_ops(p_partnership_id uuid, p_ops jsonb)
returns jsonb
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  c_max_ops constant integer := 100;
  v_ps public.partnerships;
  v_op jsonb;
  v_index integer;
  v_error record;
  v_id uuid;
  v_ids jsonb := '[]'::jsonb;
  v_named jsonb := '{}'::jsonb;  -- memory id (as nova.jsonb_uuid reads it) -> index of the op naming it
begin
  -- Held until the end: the partnership cannot be dissolved under the batch.
  select * into v_ps from public.partnerships p where p.id = p_partnership_id for share;
  if v_ps.id is null then
    return nova.update_refusal(null, 'partnership_not_found', 'no partnership has this id');
  elsif v_ps.status = 'dissolved' then
    return nova.update_refusal(null, 'partnership_dissolved', 'the partnership is dissolved');
  elsif jsonb_typeof(p_ops) is distinct from 'array' then
    return nova.update_refusal(null, 'invalid_request', 'p_ops must be a JSON array of ops');
  elsif jsonb_array_length(p_ops) > c_max_ops then
    return nova.update_refusal(null, 'too_many_ops', format('at most %s ops per call', c_max_ops));
  end if;

  -- Lock the memories the ops name, in id order (two batches cannot deadlock), so nothing
  -- changes them between the check and the write.
  perform 1 from public.shared_memories m
   where m.partnership_id = p_partnership_id
     and m.id in (select nova.jsonb_uuid(e -> 'id') from jsonb_array_elements(p_ops) as e)
   order by m.id
     for update;

  -- Pass 1: check everything; nothing is written yet. One op per memory: a second one
  -- would act on a row the first already changed (its updated_at is no longer the one
  -- read), so the batch is refused as the engine's duplicate_id rule says.
  for v_op, v_index in select e.value, e.ordinality - 1 from jsonb_array_elements(p_ops) with ordinality as e loop
    v_error := nova.memory_op_error(v_op, p_partnership_id, array[v_ps.user_a, v_ps.user_b]);
    if v_error.code is not null then
      return nova.update_refusal(v_index, v_error.code, v_error.reason);
    end if;
    v_id := nova.jsonb_uuid(v_op -> 'id');
    if v_id is not null then
      if v_named ? v_id::text then
        return nova.update_refusal(v_index, 'duplicate_id',
                                   format('op %s already names this memory: one op per memory in a batch', v_named ->> v_id::text));
      end if;
      v_named := v_named || jsonb_build_object(v_id::text, v_index);
    end if;
  end loop;

  -- Pass 2: apply in order. Anything the table still refuses undoes the whole batch.
  begin
    for v_op, v_index in select e.value, e.ordinality - 1 from jsonb_array_elements(p_ops) with ordinality as e loop
      case v_op ->> 'op'
        when 'add' then
          insert into public.shared_memories (partnership_id, category, about_user, content, confidence)
          values (p_partnership_id, v_op ->> 'category', nova.jsonb_uuid(v_op -> 'about_user'),
                  nova.trim_text(v_op ->> 'content'), coalesce(nova.jsonb_float8(v_op -> 'confidence'), 1.0))
          returning id into v_id;
        when 'update' then
          update public.shared_memories m
             set content = coalesce(nova.trim_text(v_op ->> 'content'), m.content),
                 confidence = coalesce(nova.jsonb_float8(v_op -> 'confidence'), m.confidence)
           where m.id = nova.jsonb_uuid(v_op -> 'id') and m.partnership_id = p_partnership_id
          returning m.id into v_id;
        else
          update public.shared_memories m
             set is_active = false
           where m.id = nova.jsonb_uuid(v_op -> 'id') and m.partnership_id = p_partnership_id
          returning m.id into v_id;
      end case;
      v_ids := v_ids || to_jsonb(v_id);
    end loop;
  exception when others then
    return nova.update_refusal(v_index, 'write_failed', left(sqlerrm, 300));
  end;

  return jsonb_build_object('applied', jsonb_array_length(p_ops), 'ids', v_ids);
end;
$$;

-- ---------------------------------------------------------------------------------------
-- Partner notes: what the AI learned about the user's partner, appended to the user's
-- AI-built partner profile, the one nova_prompt_context shows (nova.ai_profile_of).
--   p_notes: [{"field": "traits"|"relational_tendencies"|"important_truths",
--              "content": <1..300 chars>}], at most 100
--   p_partner_name: whom the notes are about. When it is not the shown profile's name
--   (nova.same_partner_name), the notes go into the user's profile under that name that
--   the prompt could show, or a new one: notes about a new partner never land in an ex's
--   profile. null (or not a usable name): the shown profile. A profile created while the
--   user is in a pending or active partnership is linked to it (partner_profiles).
-- Refused (partner_linked) when the partner has a linked account: the reference is then
-- the partner's own profile, which only they write. A note equal to an item of its field
-- (ignoring case and white space), or to an earlier note, is skipped; a field cannot grow
-- past the table's 100 items (profile_full).
--   success: {"applied": n, "profile_id": <the profile written to; null for no notes>,
--             "skipped": k}

create function public.nova_apply_partner_notes(p_user_id uuid, p_partner_name text, p_notes jsonb)
returns jsonb
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  c_max_notes constant integer := 100;
  c_max_items constant integer := 100;
  v_note jsonb;
  v_index integer;
  v_field text;
  v_content text;
  v_ps public.partnerships;
  v_profile public.partner_profiles;
  v_name text;
  v_lists jsonb;
  v_applied integer := 0;
  v_skipped integer := 0;
begin
  if p_user_id is null then
    return nova.update_refusal(null, 'invalid_request', 'p_user_id is null');
  elsif jsonb_typeof(p_notes) is distinct from 'array' then
    return nova.update_refusal(null, 'invalid_request', 'p_notes must be a JSON array of notes');
  elsif jsonb_array_length(p_notes) > c_max_notes then
    return nova.update_refusal(null, 'too_many_notes', format('at most %s notes per call', c_max_notes));
  end if;
  for v_note, v_index in select e.value, e.ordinality - 1 from jsonb_array_elements(p_notes) with ordinality as e loop
    if jsonb_typeof(v_note) is distinct from 'object'
       or exists (select 1 from jsonb_object_keys(v_note) as k where k not in ('field', 'content')) then
      return nova.update_refusal(v_index, 'invalid_note', 'a note is {"field", "content"}');
    elsif jsonb_typeof(v_note -> 'field') is distinct from 'string'
       or (v_note ->> 'field') not in ('traits', 'relational_tendencies', 'important_truths') then
      return nova.update_refusal(v_index, 'invalid_note', '"field" must be "traits", "relational_tendencies" or "important_truths"');
    elsif jsonb_typeof(v_note -> 'content') is distinct from 'string'
       or not nova.text_ok(nova.trim_text(v_note ->> 'content'), 300) then
      return nova.update_refusal(v_index, 'invalid_note', '"content" must be a string with visible text, at most 300 characters');
    end if;
  end loop;
  if not exists (select 1 from auth.users u where u.id = p_user_id) then
    return nova.update_refusal(null, 'user_not_found', 'no user has this id');
  elsif jsonb_array_length(p_notes) = 0 then
    return jsonb_build_object('applied', 0, 'profile_id', null, 'skipped', 0);
  end if;

  -- Serialised with the user's partnership changes and other notes: the profile chosen
  -- here is the one written, and two first notes cannot create two profiles.
  perform nova.lock_user(p_user_id);
  v_ps := nova.current_partnership(p_user_id);
  if nova.linked_partner(p_user_id, v_ps) is not null then
    return nova.update_refusal(null, 'partner_linked',
                               'the partner has a linked account: their own profile is the reference');
  end if;
  v_name := nova.trim_text(p_partner_name);
  if not coalesce(nova.text_ok(v_name, 100), false) then
    v_name := null;
  end if;
  select pp.* into v_profile from public.partner_profiles pp
   where pp.id = (nova.ai_profile_of(p_user_id, v_ps.id, v_name)).id
     for update;
  if v_profile.id is null and v_name is null then
    return nova.update_refusal(null, 'name_required',
                               'the user has no AI-built partner profile the prompt could show: p_partner_name must be a name of 1 to 100 characters');
  end if;

  v_lists := jsonb_build_object('traits', coalesce(to_jsonb(v_profile.traits), '[]'),
                                'relational_tendencies', coalesce(to_jsonb(v_profile.relational_tendencies), '[]'),
                                'important_truths', coalesce(to_jsonb(v_profile.important_truths), '[]'));
  for v_note, v_index in select e.value, e.ordinality - 1 from jsonb_array_elements(p_notes) with ordinality as e loop
    v_field := v_note ->> 'field';
    v_content := nova.trim_text(v_note ->> 'content');
    if exists (select 1 from jsonb_array_elements_text(v_lists -> v_field) as x
                where nova.note_key(x) = nova.note_key(v_content)) then
      v_skipped := v_skipped + 1;
    elsif jsonb_array_length(v_lists -> v_field) >= c_max_items then
      return nova.update_refusal(v_index, 'profile_full',
                                 format('%s already holds %s items', v_field, c_max_items));
    else
      v_lists := jsonb_set(v_lists, array[v_field], (v_lists -> v_field) || to_jsonb(v_content));
      v_applied := v_applied + 1;
    end if;
  end loop;

  if v_profile.id is null then
    insert into public.partner_profiles (owner_user_id, name) values (p_user_id, v_name)
    returning * into v_profile;
  end if;
  if v_applied > 0 then
    -- A field that gained nothing keeps its value (null stays null).
    update public.partner_profiles pp
       set traits = case when jsonb_array_length(v_lists -> 'traits') = 0 then pp.traits
                         else array(select jsonb_array_elements_text(v_lists -> 'traits')) end,
           relational_tendencies = case when jsonb_array_length(v_lists -> 'relational_tendencies') = 0 then pp.relational_tendencies
                         else array(select jsonb_array_elements_text(v_lists -> 'relational_tendencies')) end,
           important_truths = case when jsonb_array_length(v_lists -> 'important_truths') = 0 then pp.important_truths
                         else array(select jsonb_array_elements_text(v_lists -> 'important_truths')) end
     where pp.id = v_profile.id;
  end if;
  return jsonb_build_object('applied', v_applied, 'profile_id', v_profile.id, 'skipped', v_skipped);
end;
$$;

-- ---------------------------------------------------------------------------------------
-- Both in one transaction: what the route calls after a reply.
--   success: {"ok": true, "memories": <ops result>, "partner_notes": <notes result>}
--   refusal: {"ok": false, "step": "request" | "memories" | "partner_notes",
--             "error": {"index", "code", "reason"}}, and nothing applied.
-- step "request": the call itself (unknown user; ops without a partnership the user is
-- in). Null p_ops is no ops, null p_partner_notes no notes; p_partnership_id may be null
-- when there are no ops.
create function public.nova_apply_memory_update(p_user_id uuid, p_partnership_id uuid, p_ops jsonb,
                                                p_partner_notes jsonb, p_partner_name text)
returns jsonb
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_memories jsonb := '{"applied": 0, "ids": []}'::jsonb;
  v_notes jsonb;
  v_step text;
  v_has_ops boolean := p_ops is not null and p_ops <> '[]'::jsonb;
begin
  if p_user_id is null or not exists (select 1 from auth.users u where u.id = p_user_id) then
    return jsonb_build_object('ok', false, 'step', 'request',
             'error', nova.update_refusal(null, 'user_not_found', 'no user has this id') -> 'error');
  elsif v_has_ops and p_partnership_id is null then
    return jsonb_build_object('ok', false, 'step', 'request',
             'error', nova.update_refusal(null, 'invalid_request', 'p_partnership_id is required when there are ops') -> 'error');
  elsif v_has_ops and not nova.is_member_of(p_user_id, p_partnership_id) then
    return jsonb_build_object('ok', false, 'step', 'request',
             'error', nova.update_refusal(null, 'not_member', 'the user is not a member of p_partnership_id') -> 'error');
  end if;
  -- The user first, then the partnership and its memories: the order every function
  -- that takes both locks takes them in.
  perform nova.lock_user(p_user_id);
  begin
    if v_has_ops then
      v_memories := public.nova_apply_memory_ops(p_partnership_id, p_ops);
      if v_memories ? 'error' then
        v_step := 'memories';
        raise exception using errcode = 'NV001';
      end if;
    end if;
    v_notes := public.nova_apply_partner_notes(p_user_id, p_partner_name, coalesce(p_partner_notes, '[]'::jsonb));
    if v_notes ? 'error' then
      v_step := 'partner_notes';
      raise exception using errcode = 'NV001';  -- undoes the memory ops applied above
    end if;
  exception when sqlstate 'NV001' then
    return jsonb_build_object('ok', false, 'step', v_step,
             'error', case v_step when 'memories' then v_memories -> 'error' else v_notes -> 'error' end);
  end;
  return jsonb_build_object('ok', true, 'memories', v_memories, 'partner_notes', v_notes);
end;
$$;

revoke execute on function public.nova_apply_memory_ops(uuid, jsonb),
  public.nova_apply_partner_notes(uuid, text, jsonb),
  public.nova_apply_memory_update(uuid, uuid, jsonb, jsonb, text)
  from public, anon, authenticated;
grant execute on function public.nova_apply_memory_ops(uuid, jsonb),
  public.nova_apply_partner_notes(uuid, text, jsonb),
  public.nova_apply_memory_update(uuid, uuid, jsonb, jsonb, text)
  to service_role;

-- A new function is executable by PUBLIC: in nova only the roles granted one explicitly
-- may execute it (a per-schema default privilege cannot take PUBLIC's right away).
revoke execute on all functions in schema nova from public, anon;
