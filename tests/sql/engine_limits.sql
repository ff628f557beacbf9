-- Rows at every limit the tables allow, for tests/sql/engine_limits.sh: the longest names
-- and keywords, the longest texts, the most items, the deepest and widest memory_summary,
-- each in two alphabets: 'wide' (4-byte characters: the most UTF-8 per character) and
-- 'escaped' (one letter, then U+0001: the most JSON per character, six bytes each). The
-- script sends what nova_prompt_context returns to the engine's assemble.

-- p_n characters of visible text (the tables require one visible character).
create or replace function tests.limit_text(p_n integer, p_style text)
returns text language sql immutable as $$
  select case p_style when 'wide' then repeat('😀', p_n) else 'x' || repeat(chr(1), p_n - 1) end
$$;

-- A term of exactly 200 bytes (the engine's NOVA_MAX_KEYWORD_BYTES), distinct per p_i.
create or replace function tests.limit_term(p_i integer, p_style text)
returns text language sql immutable as $$
  select case p_style when 'wide' then lpad(p_i::text, 4, '0') || repeat('😀', 49)
                      else lpad(p_i::text, 4, '0') || repeat(chr(1), 196) end
$$;

-- A list of p_items items of p_chars characters, distinct.
create or replace function tests.limit_list(p_items integer, p_chars integer, p_style text)
returns text[] language sql immutable as $$
  select array_agg(lpad(g::text, 3, '0') || tests.limit_text(p_chars - 3, p_style) order by g)
    from generate_series(1, p_items) g
$$;

-- memory_summary at the table's limits: 'deep' nests 16 levels and fills the innermost
-- object with 2000-character values up to 64 KiB of JSON text; 'wide' is one array of
-- numbers as long as 64 KiB allows; 'long' is the longest key with the longest string the
-- table allows (nova.jsonb_texts_ok: the display caps).
create or replace function tests.limit_summary(p_shape text, p_style text)
returns jsonb language plpgsql as $$
declare
  v_leaf jsonb := '{}';
  v_next jsonb;
  v_i integer := 0;
begin
  if p_shape = 'numbers' then
    -- Every kind of number the table accepts (nova.jsonb_numbers_ok), its boundaries first.
    return jsonb_build_object('max', 1.7976931348623157e308, 'min', -1.7976931348623157e308,
      'tiny', 2.2250738585072014e-308, 'ntiny', -2.2250738585072014e-308, 'e308', 1e308, 'zero', 0, 'nzero', '-0'::jsonb,
      'tenth', 0.1, 'int', 9007199254740993, 'wide', 123456789012345678901234567890.123456789,
      'list', (select jsonb_agg(('1e' || g)::jsonb) from generate_series(-307, 308, 7) g));
  elsif p_shape = 'wide' then
    return jsonb_build_object('n', (select jsonb_agg(7) from generate_series(1, 21000)));
  elsif p_shape = 'long' then
    return jsonb_build_object(tests.limit_text(100, p_style), tests.limit_text(2000, p_style));
  end if;
  loop
    v_next := tests.nest(v_leaf || jsonb_build_object(lpad(v_i::text, 100, 'k'), tests.limit_text(2000, p_style)));
    exit when octet_length(v_next::text) > 65536;
    v_leaf := v_leaf || jsonb_build_object(lpad(v_i::text, 100, 'k'), tests.limit_text(2000, p_style));
    v_i := v_i + 1;
  end loop;
  return tests.nest(v_leaf);
end;
$$;

-- p_leaf inside 15 objects: 16 levels in all, the table's limit.
create or replace function tests.nest(p_leaf jsonb)
returns jsonb language plpgsql immutable as $$
declare
  v jsonb := p_leaf;
begin
  for d in 1 .. 15 loop
    v := jsonb_build_object(lpad(d::text, 100, 'd'), v);
  end loop;
  return v;
end;
$$;

-- A profile at every limit.
create or replace function tests.fill_profile(p_user uuid, p_style text, p_summary text)
returns void language sql as $$
  update public.user_profiles
     set name = tests.limit_text(100, p_style), tone = tests.limit_text(300, p_style),
         interests = tests.limit_list(20, 300, p_style), emotional_patterns = tests.limit_text(2000, p_style),
         communication_style = tests.limit_text(300, p_style),
         memory_summary = case when p_summary is not null then tests.limit_summary(p_summary, p_style) end
   where id = p_user
$$;

-- A partnership's memories, insights and detection config at every limit (p_threshold
-- null: no detection config row at all).
create or replace function tests.fill_partnership(p_partnership uuid, p_user uuid, p_style text, p_threshold double precision)
returns void language plpgsql as $$
begin
  insert into public.detection_config (partnership_id, partner_names, custom_keywords, relationship_threshold)
  select p_partnership, (select array_agg(tests.limit_term(g, p_style)) from generate_series(1, 50) g),
         jsonb_build_object('strong', (select jsonb_agg(tests.limit_term(1000 + g, p_style)) from generate_series(1, 500) g),
                            'medium', (select jsonb_agg(tests.limit_term(2000 + g, p_style)) from generate_series(1, 500) g),
                            'weak', (select jsonb_agg(tests.limit_term(3000 + g, p_style)) from generate_series(1, 500) g)),
         p_threshold
   where p_threshold is not null;
  -- More rows than the context's caps (200 memories, 50 insights), each at its text cap.
  insert into public.shared_memories (partnership_id, category, about_user, content, confidence)
  select p_partnership,
         (array['preference', 'emotional_need', 'important_date', 'gift_idea', 'growth_moment', 'pattern', 'general'])[1 + g % 7],
         case when g % 2 = 0 then p_user end, lpad(g::text, 3, '0') || tests.limit_text(1997, p_style),
         case g % 3 when 0 then 5e-324 when 1 then 1 else 0.5 end
    from generate_series(1, 210) g;
  -- The earliest and latest timestamps the tables accept (nova.time_ok).
  insert into public.shared_memories (partnership_id, category, content, confidence, created_at, updated_at)
  values (p_partnership, 'general', 'the earliest memory', 1, to_timestamp(0), to_timestamp(0)),
         (p_partnership, 'general', 'the latest memory', 1, '9999-12-31 23:59:59.999999+00', '9999-12-31 23:59:59.999999+00');
  insert into public.shared_insights (partnership_id, category, title, content, created_at, updated_at)
  values (p_partnership, 'strength', 'the latest insight', 'the latest insight', '9999-12-31 23:59:59.999999+00', '9999-12-31 23:59:59.999999+00');
  insert into public.shared_insights (partnership_id, category, about_user, title, content)
  select p_partnership,
         (array['emotional_need', 'communication', 'appreciation', 'conflict_style', 'growth_area', 'strength', 'gift_relevant'])[1 + g % 7],
         case when g % 2 = 0 then p_user end, lpad(g::text, 3, '0') || tests.limit_text(297, p_style),
         lpad(g::text, 3, '0') || tests.limit_text(1997, p_style)
    from generate_series(1, 60) g;
end;
$$;

-- The context of a user at every limit: p_case 'linked' (an active couple, both profiles
-- at their limits: the reference is the partner's own) or 'ai' (a pending invite, the
-- reference an AI-built profile at its limits); p_summary the shape of the user's
-- memory_summary (null: none); p_threshold the detection threshold (0: the relationship
-- layer is always on, 100: never; null: no detection config row).
create or replace function tests.limits_context(p_case text, p_style text, p_summary text, p_threshold double precision)
returns jsonb language plpgsql as $$
declare
  a uuid := tests.new_user('limits-a@example.com');
  b uuid := tests.new_user('limits-b@example.com');
  p uuid;
begin
  if p_case = 'linked' then
    insert into public.partnerships (user_a, user_b, invite_code, status)
    values (a, b, nova.generate_invite_code(), 'active') returning id into p;
    perform tests.fill_profile(b, p_style, null);
  else
    insert into public.partnerships (user_a, invite_code) values (a, nova.generate_invite_code()) returning id into p;
    insert into public.partner_profiles (owner_user_id, name, traits, relational_tendencies, important_truths, ai_notes)
    values (a, tests.limit_text(100, p_style), tests.limit_list(100, 300, p_style), tests.limit_list(100, 300, p_style),
            tests.limit_list(100, 300, p_style), tests.limit_text(2000, p_style));
  end if;
  perform tests.fill_profile(a, p_style, p_summary);
  perform tests.fill_partnership(p, a, p_style, p_threshold);
  return public.nova_prompt_context(a);
end;
$$;
