-- The app's own chat tables, as the chat routes of these examples assume them: the seed
-- app's `chats` (one per conversation, with its memory_summary) and `messages`. If your app
-- already has them, compare and keep yours; the routes read only the columns below.
-- Not part of nova-layers' migrations (migrations/): the prompt layers never read them.

create table public.chats (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  title text,
  -- The per-chat summary the app keeps (conversation-level context); the route passes it
  -- to the engine as chat_memory_summary.
  memory_summary text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index chats_user_id_idx on public.chats (user_id);

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  chat_id uuid not null references public.chats (id) on delete cascade,
  role text not null,
  content text not null,
  created_at timestamptz not null default now(),
  constraint messages_role check (role in ('user', 'assistant'))
);
create index messages_chat_id_created_at_idx on public.messages (chat_id, created_at, id);

-- Signed-in users see and start their own chats and write their own turns; the assistant's
-- turns are written by the route with the service role key (so no client can put words in
-- Nova's mouth).
alter table public.chats enable row level security;
alter table public.messages enable row level security;

create policy chats_select_own on public.chats
  for select to authenticated using (user_id = (select auth.uid()));
create policy chats_insert_own on public.chats
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy chats_update_own on public.chats
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy messages_select_own on public.messages
  for select to authenticated
  using (exists (select 1 from public.chats c where c.id = chat_id and c.user_id = (select auth.uid())));
create policy messages_insert_own_user_turn on public.messages
  for insert to authenticated
  with check (role = 'user'
              and exists (select 1 from public.chats c where c.id = chat_id and c.user_id = (select auth.uid())));

revoke all on public.chats, public.messages from anon;
revoke all on public.chats, public.messages from authenticated;
grant select, insert, update on public.chats to authenticated;
grant select, insert on public.messages to authenticated;
grant select, insert, update, delete on public.chats, public.messages to service_role;
