-- nova-layers, 8 of 9: nova_prompt_context(user), the contract's `context` in one round
-- trip (schema/nova-contract.schema.json, $defs/prompt_context). Service role only.
--
--   user         their user_profiles row, or null when there is none;
--   partnership  their current partnership (pending or active), else null;
--   reference    the linked partner's own user_profiles row (source partner_account) when
--                the partnership is active, else the user's AI-built partner_profiles row
--                (source ai_generated; nova.ai_profile_of), else null. The partner's
--                memory_summary is not included: it summarises the partner's private
--                chats (the engine would not show it either);
--   detection    the partnership's detection_config row as stored, or null (the engine
--                adds the reference's name to the partner names itself);
--   memories     active memories of the partnership, at most 200: most confident first,
--                then most recently updated, then id;
--   insights     active insights, at most 50: most recently updated first, then id.
-- The caps bound the payload however much a couple accumulates.

-- Timestamps as the contract writes them: ISO-8601 in UTC with microseconds. The memory
-- ops compare a memory's updated_at to this string, so it must keep every microsecond.
create function nova.iso_time(p_time timestamptz)
returns text
language sql
immutable
set search_path = pg_catalog, pg_temp
as $$
  select to_char(p_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- The partner whose own profile is the user's reference: the other member of an active
-- partnership, when they have a profile row. null otherwise (the reference is AI-built).
create function nova.linked_partner(p_user_id uuid, p_partnership public.partnerships)
returns uuid
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
  select u.id
    from public.user_profiles u
   where p_partnership.status = 'active'
     and u.id = case when p_partnership.user_a = p_user_id then p_partnership.user_b else p_partnership.user_a end
$$;

create function public.nova_prompt_context(p_user_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  c_memory_cap constant integer := 200;
  c_insight_cap constant integer := 50;
  v_ps public.partnerships;
  v_linked uuid;
  v_user jsonb;
  v_partnership jsonb;
  v_reference jsonb;
  v_detection jsonb;
  v_memories jsonb;
  v_insights jsonb;
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

  v_ps := nova.current_partnership(p_user_id);
  if v_ps.id is not null then
    v_partnership := jsonb_build_object(
      'id', v_ps.id, 'status', v_ps.status,
      'partner_user_id', case when v_ps.user_a = p_user_id then v_ps.user_b else v_ps.user_a end);
  end if;

  v_linked := nova.linked_partner(p_user_id, v_ps);
  if v_linked is not null then
    select jsonb_build_object(
             'source', 'partner_account', 'user_id', u.id, 'name', u.name,
             'tone', u.tone, 'interests', u.interests, 'emotional_patterns', u.emotional_patterns,
             'communication_style', u.communication_style)
      into v_reference
      from public.user_profiles u where u.id = v_linked;
  else
    select jsonb_build_object(
             'source', 'ai_generated', 'user_id', null, 'name', pp.name,
             'traits', pp.traits, 'relational_tendencies', pp.relational_tendencies,
             'important_truths', pp.important_truths, 'ai_notes', pp.ai_notes)
      into v_reference
      from nova.ai_profile_of(p_user_id, v_ps.id) pp
     where pp.id is not null;
  end if;

  select jsonb_build_object('partner_names', d.partner_names, 'custom_keywords', d.custom_keywords,
                            'relationship_threshold', d.relationship_threshold)
    into v_detection
    from public.detection_config d where d.partnership_id = v_ps.id;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', m.id, 'category', m.category, 'about_user', m.about_user, 'content', m.content,
           'confidence', m.confidence, 'updated_at', nova.iso_time(m.updated_at), 'is_active', m.is_active)
           order by m.confidence desc, m.updated_at desc, m.id), '[]'::jsonb)
    into v_memories
    from (select * from public.shared_memories sm
           where sm.partnership_id = v_ps.id and sm.is_active
           order by sm.confidence desc, sm.updated_at desc, sm.id
           limit c_memory_cap) m;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', i.id, 'category', i.category, 'about_user', i.about_user, 'title', i.title,
           'content', i.content, 'updated_at', nova.iso_time(i.updated_at), 'is_active', i.is_active)
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

revoke execute on function public.nova_prompt_context(uuid) from public, anon, authenticated;
grant execute on function public.nova_prompt_context(uuid) to service_role;

-- A new function is executable by PUBLIC: in nova only the roles granted one explicitly
-- may execute it (a per-schema default privilege cannot take PUBLIC's right away).
revoke execute on all functions in schema nova from public, anon;
