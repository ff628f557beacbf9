-- The two functions the prompt flow calls with the service role key:
--   nova_prompt_context(user)        the contract's `context` in one round trip;
--   nova_apply_memory_ops(p, ops)    the AI's memory edits, validated, all or nothing.
-- Field names and shapes are schema/nova-contract.schema.json ($defs/prompt_context).

-- Context for one user:
--   user         their user_profiles row, or null when there is none;
--   partnership  their active partnership, else their open (pending) one, else null;
--   reference    the linked partner's own user_profiles row (source partner_account) when the
--                partnership is active, else the user's own partner_profiles row (source
--                ai_generated; the one linked to this partnership first, then the most
--                recently updated), else null;
--   detection    the partnership's detection_config; partner_names falls back to the
--                reference's name when the row is missing or lists no names; null when
--                there is neither a row nor a reference;
--   memories     active memories of the partnership, at most 200: most confident first,
--                then most recently updated, then id;
--   insights     active insights, at most 50: most recently updated first, then id.
-- The caps bound the payload however much a couple accumulates.
create function public.nova_prompt_context(p_user_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  c_memory_cap constant integer := 200;
  c_insight_cap constant integer := 50;
  v_user jsonb;
  v_ps public.partnerships;
  v_partner uuid;
  v_partnership jsonb;
  v_reference jsonb;
  v_detection jsonb;
  v_memories jsonb;
  v_insights jsonb;
  v_cfg public.detection_config;
begin
  if p_user_id is null then
    raise exception 'nova_prompt_context: p_user_id is null' using errcode = '22004';
  end if;

  select jsonb_build_object(
           'name', u.name, 'tone', u.tone, 'interests', u.interests,
           'emotional_patterns', u.emotional_patterns, 'communication_style', u.communication_style,
           'memory_summary', u.memory_summary, 'setup_mode', u.setup_mode, 'version', u.version)
    into v_user
    from public.user_profiles u where u.id = p_user_id;

  v_ps := public.current_partnership_of(p_user_id);

  if v_ps.id is not null then
    v_partner := case when v_ps.user_a = p_user_id then v_ps.user_b else v_ps.user_a end;
    v_partnership := jsonb_build_object('id', v_ps.id, 'status', v_ps.status, 'partner_user_id', v_partner);
  end if;

  if v_ps.status = 'active' then
    select jsonb_build_object(
             'source', 'partner_account', 'user_id', u.id, 'name', u.name,
             'tone', u.tone, 'interests', u.interests, 'emotional_patterns', u.emotional_patterns,
             'communication_style', u.communication_style, 'memory_summary', u.memory_summary)
      into v_reference
      from public.user_profiles u where u.id = v_partner;
  end if;
  if v_reference is null then
    select jsonb_build_object(
             'source', 'ai_generated', 'user_id', null, 'name', pp.name,
             'traits', pp.traits, 'relational_tendencies', pp.relational_tendencies,
             'important_truths', pp.important_truths, 'ai_notes', pp.ai_notes)
      into v_reference
      from public.partner_profiles pp
     where pp.owner_user_id = p_user_id
     order by (pp.partnership_id is not distinct from v_ps.id) desc, pp.updated_at desc, pp.id
     limit 1;
  end if;

  if v_ps.id is not null then
    select * into v_cfg from public.detection_config d where d.partnership_id = v_ps.id;
  end if;
  if v_cfg.id is not null then
    v_detection := jsonb_build_object(
      'partner_names', case when cardinality(v_cfg.partner_names) > 0 then to_jsonb(v_cfg.partner_names)
                            when v_reference is not null then jsonb_build_array(v_reference ->> 'name')
                            else '[]'::jsonb end,
      'custom_keywords', v_cfg.custom_keywords,
      'relationship_threshold', v_cfg.relationship_threshold);
  elsif v_reference is not null then
    -- No row: the reference's name, and the engine's default threshold (null).
    v_detection := jsonb_build_object(
      'partner_names', jsonb_build_array(v_reference ->> 'name'),
      'custom_keywords', null,
      'relationship_threshold', null);
  end if;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', m.id, 'category', m.category, 'about_user', m.about_user, 'content', m.content,
           'confidence', m.confidence,
           -- ISO-8601 in UTC with microseconds: the contract's timestamp format.
           'updated_at', to_char(m.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           'is_active', m.is_active)
           order by m.confidence desc, m.updated_at desc, m.id), '[]'::jsonb)
    into v_memories
    from (select * from public.shared_memories sm
           where sm.partnership_id = v_ps.id and sm.is_active
           order by sm.confidence desc, sm.updated_at desc, sm.id
           limit c_memory_cap) m;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', i.id, 'category', i.category, 'about_user', i.about_user, 'title', i.title,
           'content', i.content,
           'updated_at', to_char(i.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           'is_active', i.is_active)
           order by i.updated_at desc, i.id), '[]'::jsonb)
    into v_insights
    from (select * from public.shared_insights si
           where si.partnership_id = v_ps.id and si.is_active
           order by si.updated_at desc, si.id
           limit c_insight_cap) i;

  return jsonb_build_object(
    'user_id', p_user_id,
    'user', v_user,
    'partnership', v_partnership,
    'reference', v_reference,
    'detection', v_detection,
    'memories', v_memories,
    'insights', v_insights);
end;
$$;

-- ---------------------------------------------------------------------------------------
-- Memory operations from the AI, for one partnership:
--   {"op":"add", "category": <memory category>, "about_user": <member uuid|null>,
--    "content": <1..2000 chars>, "confidence": <0..1, default 1.0>}
--   {"op":"update", "id": <memory uuid>, "content"?: ..., "confidence"?: ...}  (at least one)
--   {"op":"deactivate", "id": <memory uuid>}
-- At most 100 ops. Every op is validated before anything is written, and the writes run in
-- one subtransaction, so one bad op means nothing is applied.
--   success: {"applied": n, "ids": [uuid per op, in op order]}
--   refusal: {"applied": 0, "error": {"index": <op index, or null for the request>, "reason": text}}

-- The refusal outcome: nothing applied, and why (p_index null: the request as a whole).
create function public.nova_memory_ops_refusal(p_index integer, p_reason text)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object('applied', 0,
           'error', pg_catalog.jsonb_build_object('index', p_index, 'reason', p_reason))
$$;

-- Why one op is invalid, or null when it is fine. p_members are the partnership's users.
create function public.nova_memory_op_error(p_op jsonb, p_partnership_id uuid, p_members uuid[])
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  c_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  v_kind text;
  v_allowed text[];
  v_key text;
  v_id uuid;
  v_about uuid;
  v_row_partnership uuid;
begin
  if jsonb_typeof(p_op) is distinct from 'object' then
    return 'op is not an object';
  end if;
  v_kind := p_op ->> 'op';
  v_allowed := case v_kind
    when 'add' then array['op', 'category', 'about_user', 'content', 'confidence']
    when 'update' then array['op', 'id', 'content', 'confidence']
    when 'deactivate' then array['op', 'id']
  end;
  if v_allowed is null or jsonb_typeof(p_op -> 'op') <> 'string' then
    return 'op must be "add", "update" or "deactivate"';
  end if;
  for v_key in select jsonb_object_keys(p_op) loop
    if not v_key = any (v_allowed) then
      return format('unexpected member "%s" for %s', v_key, v_kind);
    end if;
  end loop;

  if p_op ? 'content' then
    if jsonb_typeof(p_op -> 'content') <> 'string' or btrim(p_op ->> 'content') = '' then
      return 'content must be a non-empty string';
    elsif char_length(p_op ->> 'content') > 2000 then
      return 'content is longer than 2000 characters';
    end if;
  end if;
  if p_op ? 'confidence' then
    if jsonb_typeof(p_op -> 'confidence') <> 'number'
       or (p_op ->> 'confidence')::numeric < 0 or (p_op ->> 'confidence')::numeric > 1 then
      return 'confidence must be a number from 0 to 1';
    end if;
  end if;

  if v_kind = 'add' then
    if not p_op ? 'content' then
      return 'add needs content';
    end if;
    if jsonb_typeof(p_op -> 'category') is distinct from 'string'
       or (p_op ->> 'category') not in ('preference', 'emotional_need', 'important_date',
                                        'gift_idea', 'growth_moment', 'pattern', 'general') then
      return 'category must be one of the memory categories';
    end if;
    if coalesce(jsonb_typeof(p_op -> 'about_user'), 'null') <> 'null' then
      if jsonb_typeof(p_op -> 'about_user') <> 'string'
         or (p_op ->> 'about_user') !~* c_uuid then
        return 'about_user must be a uuid or null';
      end if;
      v_about := (p_op ->> 'about_user')::uuid;
      if not coalesce(v_about = any (p_members), false) then
        return 'about_user is not a member of this partnership';
      end if;
    end if;
    return null;
  end if;

  -- update / deactivate
  if jsonb_typeof(p_op -> 'id') is distinct from 'string'
     or (p_op ->> 'id') !~* c_uuid then
    return 'id must be a uuid';
  end if;
  v_id := (p_op ->> 'id')::uuid;
  select m.partnership_id into v_row_partnership from public.shared_memories m where m.id = v_id;
  if v_row_partnership is distinct from p_partnership_id then
    -- Same answer whether the id exists elsewhere or not: no probing other partnerships.
    return 'id is not a memory of this partnership';
  end if;
  if v_kind = 'update' and not (p_op ? 'content' or p_op ? 'confidence') then
    return 'update needs content or confidence';
  end if;
  return null;
end;
$$;

create function public.nova_apply_memory_ops(p_partnership_id uuid, p_ops jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_max_ops constant integer := 100;
  v_members uuid[];
  v_status text;
  v_op jsonb;
  v_reason text;
  v_index integer;
  v_id uuid;
  v_ids jsonb := '[]'::jsonb;
begin
  select array[p.user_a, p.user_b], p.status into v_members, v_status
    from public.partnerships p where p.id = p_partnership_id
     for share;
  if v_status is null then
    return public.nova_memory_ops_refusal(null, 'partnership not found');
  elsif v_status = 'dissolved' then
    return public.nova_memory_ops_refusal(null, 'partnership is dissolved');
  end if;
  if jsonb_typeof(p_ops) is distinct from 'array' then
    return public.nova_memory_ops_refusal(null, 'ops must be an array');
  elsif jsonb_array_length(p_ops) > c_max_ops then
    return public.nova_memory_ops_refusal(null, format('at most %s ops per call', c_max_ops));
  end if;

  -- Pass 1: validate everything; nothing is written yet.
  for v_op, v_index in select e.value, e.ordinality - 1 from jsonb_array_elements(p_ops) with ordinality as e loop
    v_reason := public.nova_memory_op_error(v_op, p_partnership_id, v_members);
    if v_reason is not null then
      return public.nova_memory_ops_refusal(v_index, v_reason);
    end if;
  end loop;

  -- Pass 2: apply in order. Anything the table still refuses undoes the whole batch.
  begin
    for v_op, v_index in select e.value, e.ordinality - 1 from jsonb_array_elements(p_ops) with ordinality as e loop
      case v_op ->> 'op'
        when 'add' then
          insert into public.shared_memories (partnership_id, category, about_user, content, confidence)
          values (p_partnership_id, v_op ->> 'category', (v_op ->> 'about_user')::uuid,
                  btrim(v_op ->> 'content'), coalesce((v_op ->> 'confidence')::double precision, 1.0))
          returning id into v_id;
        when 'update' then
          update public.shared_memories
             set content = coalesce(btrim(v_op ->> 'content'), content),
                 confidence = coalesce((v_op ->> 'confidence')::double precision, confidence)
           where id = (v_op ->> 'id')::uuid and partnership_id = p_partnership_id
          returning id into v_id;
        else
          update public.shared_memories
             set is_active = false
           where id = (v_op ->> 'id')::uuid and partnership_id = p_partnership_id
          returning id into v_id;
      end case;
      v_ids := v_ids || to_jsonb(v_id);
    end loop;
  exception when others then
    return public.nova_memory_ops_refusal(v_index, sqlerrm);
  end;

  return jsonb_build_object('applied', jsonb_array_length(p_ops), 'ids', v_ids);
end;
$$;

revoke execute on function public.nova_prompt_context(uuid), public.nova_apply_memory_ops(uuid, jsonb)
  from public, anon, authenticated;
grant execute on function public.nova_prompt_context(uuid), public.nova_apply_memory_ops(uuid, jsonb)
  to service_role;
revoke execute on function public.nova_memory_op_error(jsonb, uuid, uuid[]),
  public.nova_memory_ops_refusal(integer, text)
  from public, anon, authenticated, service_role;
