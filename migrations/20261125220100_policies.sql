-- Row level security and privileges: the plan's policies, exactly, and nothing wider.
--
-- Supabase's default privileges grant every table in public to anon, authenticated and
-- service_role, so each table starts by revoking all and granting back what the plan says.
-- service_role has BYPASSRLS on Supabase: what limits it is the grants below, so policies
-- are written for authenticated users only. anon gets nothing anywhere.

-- user_profiles: users read and update their own row, except memory_summary, version, id
-- and created_at; the service role reads any row and updates memory_summary (AI learning).
-- Rows are created by the signup trigger, never by clients.
alter table public.user_profiles enable row level security;
revoke all on public.user_profiles from anon, authenticated, service_role;
grant select on public.user_profiles to authenticated, service_role;
grant update (name, tone, interests, emotional_patterns, communication_style, setup_mode)
  on public.user_profiles to authenticated;
grant update (memory_summary) on public.user_profiles to service_role;

create policy "Users can read their own profile"
  on public.user_profiles for select to authenticated
  using ((select auth.uid()) = id);
create policy "Users can update their own profile"
  on public.user_profiles for update to authenticated
  using ((select auth.uid()) = id)
  with check ((select auth.uid()) = id);

-- partnerships: members read their partnerships; only the service role changes user_b and
-- status. Creating, joining and dissolving go through the security definer functions.
alter table public.partnerships enable row level security;
revoke all on public.partnerships from anon, authenticated, service_role;
grant select on public.partnerships to authenticated, service_role;
grant update (user_b, status) on public.partnerships to service_role;

create policy "Members can read their partnerships"
  on public.partnerships for select to authenticated
  using ((select auth.uid()) = user_a or (select auth.uid()) = user_b);

-- partner_profiles: service role only (read, insert, update), never exposed to clients.
alter table public.partner_profiles enable row level security;
revoke all on public.partner_profiles from anon, authenticated, service_role;
grant select, insert, update on public.partner_profiles to service_role;

-- shared_memories: both partners read; only the service role writes.
alter table public.shared_memories enable row level security;
revoke all on public.shared_memories from anon, authenticated, service_role;
grant select on public.shared_memories to authenticated;
grant select, insert, update, delete on public.shared_memories to service_role;

create policy "Partners can read their shared memories"
  on public.shared_memories for select to authenticated
  using (exists (
    select 1 from public.partnerships p
     where p.id = shared_memories.partnership_id
       and ((select auth.uid()) = p.user_a or (select auth.uid()) = p.user_b)));

-- shared_insights: both partners read; only the service role inserts and updates
-- (is_active is the soft delete).
alter table public.shared_insights enable row level security;
revoke all on public.shared_insights from anon, authenticated, service_role;
grant select on public.shared_insights to authenticated;
grant select, insert, update on public.shared_insights to service_role;

create policy "Partners can read their shared insights"
  on public.shared_insights for select to authenticated
  using (exists (
    select 1 from public.partnerships p
     where p.id = shared_insights.partnership_id
       and ((select auth.uid()) = p.user_a or (select auth.uid()) = p.user_b)));

-- detection_config: service role only.
alter table public.detection_config enable row level security;
revoke all on public.detection_config from anon, authenticated, service_role;
grant select, insert, update, delete on public.detection_config to service_role;

-- Trigger functions are not an API (triggers need no EXECUTE privilege to fire).
revoke execute on function public.set_updated_at(), public.user_profiles_bump_version(),
  public.nova_handle_new_user(), public.nova_signup_name(jsonb, text)
  from public, anon, authenticated, service_role;
-- The check-constraint helpers run as whoever writes the row, so the writers keep them.
revoke execute on function public.text_array_ok(text[], integer), public.detection_terms_ok(text[], jsonb)
  from public, anon;
grant execute on function public.text_array_ok(text[], integer), public.detection_terms_ok(text[], jsonb)
  to authenticated, service_role;
