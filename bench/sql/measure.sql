-- Plans and timings of nova_prompt_context on the bench data (see run.sh).
\set ON_ERROR_STOP 1
\pset pager off

-- Time one call per couple (1,000 calls, a different user each time), server side.
create temp table timings (n int, ms double precision, bytes int);
do $$
declare
  t0 timestamptz;
  ctx jsonb;
  g int;
begin
  for g in 1 .. 1000 loop
    t0 := clock_timestamp();
    ctx := public.nova_prompt_context((lpad(to_hex(1), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(2 * g - (g % 2)), 12, '0'))::uuid);
    insert into timings values (g, extract(epoch from clock_timestamp() - t0) * 1000, octet_length(ctx::text));
    if jsonb_array_length(ctx -> 'memories') <> 90 or ctx -> 'partnership' ->> 'status' <> 'active' then
      raise exception 'unexpected context for couple %', g;
    end if;
  end loop;
end;
$$;
select 'timing' as what,
       round(avg(ms)::numeric, 3) as mean_ms,
       round((percentile_cont(0.5) within group (order by ms))::numeric, 3) as p50_ms,
       round((percentile_cont(0.95) within group (order by ms))::numeric, 3) as p95_ms,
       round(max(ms)::numeric, 3) as max_ms,
       round(avg(bytes)) as mean_bytes
  from timings where n > 10;  -- the first calls also plan the function's statements

-- The AI's edits after a reply: nova_apply_memory_update (every op checked, stale updates
-- refused, memories and partner notes in one transaction) next to the same three writes as
-- plain statements (what a route writing the tables itself would run, with no checks).
-- One couple per call, alternating, server side.
create temp table writes (n int, kind text, ms double precision);
do $$
declare
  t0 timestamptz;
  g int;
  u uuid;
  p uuid;
  m1 public.shared_memories;
  m2 public.shared_memories;
  r jsonb;
begin
  for g in 1 .. 1000 loop
    u := ('00000001-0000-4000-8000-' || lpad(to_hex(2 * g - 1), 12, '0'))::uuid;
    p := ('00000002-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid;
    select * into m1 from public.shared_memories where partnership_id = p and is_active order by id limit 1;
    select * into m2 from public.shared_memories where partnership_id = p and is_active order by id offset 1 limit 1;
    t0 := clock_timestamp();
    if g % 2 = 0 then
      r := public.nova_apply_memory_update(u, p, jsonb_build_array(
             jsonb_build_object('op', 'add', 'category', 'gift_idea', 'about_user', u, 'content', 'Wants a film camera', 'confidence', 0.8),
             jsonb_build_object('op', 'update', 'id', m1.id, 'updated_at', nova.iso_time(m1.updated_at), 'content', 'updated ' || g),
             jsonb_build_object('op', 'deactivate', 'id', m2.id, 'updated_at', nova.iso_time(m2.updated_at))),
           '[]'::jsonb, null);
      if r ->> 'ok' <> 'true' then
        raise exception 'memory update refused for couple %: %', g, r;
      end if;
      insert into writes values (g, 'nova_apply_memory_update', extract(epoch from clock_timestamp() - t0) * 1000);
    else
      insert into public.shared_memories (partnership_id, category, about_user, content, confidence)
      values (p, 'gift_idea', u, 'Wants a film camera', 0.8);
      update public.shared_memories set content = 'updated ' || g where id = m1.id;
      update public.shared_memories set is_active = false where id = m2.id;
      insert into writes values (g, 'plain statements', extract(epoch from clock_timestamp() - t0) * 1000);
    end if;
  end loop;
end;
$$;
select 'writes' as what, kind,
       round(avg(ms)::numeric, 3) as mean_ms,
       round((percentile_cont(0.5) within group (order by ms))::numeric, 3) as p50_ms,
       round((percentile_cont(0.95) within group (order by ms))::numeric, 3) as p95_ms
  from writes where n > 10 group by kind order by kind;

-- Every statement the function runs, with its plan (auto_explain, nested statements).
load 'auto_explain';
set auto_explain.log_min_duration = 0;
set auto_explain.log_analyze = on;
set auto_explain.log_buffers = on;
set auto_explain.log_nested_statements = on;
set auto_explain.log_level = notice;
select octet_length(public.nova_prompt_context('00000001-0000-4000-8000-0000000001f5'::uuid)::text) as bytes_for_one_call;
reset auto_explain.log_min_duration;
set auto_explain.log_min_duration = -1;

-- The memory query on its own, for the record.
explain (analyze, buffers, costs off)
select * from public.shared_memories sm
 where sm.partnership_id = '00000002-0000-4000-8000-0000000000fb' and sm.is_active
 order by sm.confidence desc, sm.updated_at desc, sm.id
 limit 200;
