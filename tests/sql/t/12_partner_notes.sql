-- nova_apply_partner_notes: the AI's notes land in the profile the prompt shows (created
-- with the partner's name when there is none), never in a linked partner's; duplicates
-- skipped; all or nothing; within the table's caps.
begin;
select plan(36);
select s ->> 'a' as a, s ->> 'b' as b, s ->> 'c' as c, s ->> 'p' as p, s ->> 'pp' as pp from tests.seed_couple() s \gset

create function pg_temp.notes(u uuid, name text, notes text) returns jsonb language sql as $$
  select public.nova_apply_partner_notes(u, name, notes::jsonb)
$$;
create function pg_temp.code(r jsonb) returns text language sql as $$
  select coalesce(r #>> '{error,index}', 'null') || ' ' || coalesce(r #>> '{error,code}', 'ok')
$$;
create function pg_temp.profiles(u uuid) returns text language sql as $$
  select coalesce(string_agg(name || ':' || coalesce(array_to_string(traits, ','), '') || '/'
                             || coalesce(array_to_string(relational_tendencies, ','), '') || '/'
                             || coalesce(array_to_string(important_truths, ','), ''), '; ' order by created_at, name), '(none)')
    from public.partner_profiles where owner_user_id = u
$$;

select is(tests.try_as('anon', null, format('select public.nova_apply_partner_notes(%L, ''X'', ''[]'')', :'c')), 'err:42501', 'anon cannot apply notes');
select is(tests.try_as('authenticated', :'c', format('select public.nova_apply_partner_notes(%L, ''X'', ''[]'')', :'c')), 'err:42501', 'a user cannot apply notes to themselves');
select is(tests.try_as('service_role', null, format('select public.nova_apply_partner_notes(%L, ''X'', ''[]'')', :'c')), 'ok:1', 'service_role can');

-- A solo user without a profile: the first notes create it with the partner's name.
select is(pg_temp.notes(:'c', 'Robin', '[]'), '{"applied": 0, "profile_id": null, "skipped": 0}'::jsonb, 'no notes: nothing created');
select is(pg_temp.profiles(:'c'), '(none)', '... no profile');
select is(pg_temp.code(pg_temp.notes(:'c', null, '[{"field": "traits", "content": "kind"}]')), 'null name_required', 'the first notes need a partner name');
select is(pg_temp.code(pg_temp.notes(:'c', U&'\00A0\2003', '[{"field": "traits", "content": "kind"}]')), 'null name_required', '... a visible one');
select is(pg_temp.code(pg_temp.notes(:'c', repeat('n', 101), '[{"field": "traits", "content": "kind"}]')), 'null name_required', '... of at most 100 characters');
select pg_temp.notes(:'c', '  Robin ', '[{"field": "traits", "content": " kind "}, {"field": "important_truths", "content": "hates surprises"},
  {"field": "traits", "content": "KIND"}, {"field": "relational_tendencies", "content": "withdraws when stressed"}]') as r1 \gset
select is((:'r1'::jsonb) - 'profile_id', '{"applied": 3, "skipped": 1}'::jsonb, 'three applied, one duplicate in the batch skipped');
select is(pg_temp.profiles(:'c'), 'Robin:kind/withdraws when stressed/hates surprises', 'the profile is created with the trimmed name and notes');
select is(public.nova_prompt_context(:'c') #>> '{reference,name}', 'Robin', 'the prompt shows it as the reference');
select is((:'r1'::jsonb) ->> 'profile_id', (select id::text from public.partner_profiles where owner_user_id = :'c'), 'profile_id is that profile');

-- Appends to the same profile; duplicates of existing items (case, white space) skipped.
select is(pg_temp.notes(:'c', ' ROBIN ', '[{"field": "traits", "content": "Kind"}, {"field": "traits", "content": "funny"},
  {"field": "important_truths", "content": "hates   SURPRISES"}]') - 'profile_id', '{"applied": 1, "skipped": 2}'::jsonb,
  'a second batch: one new, two duplicates of existing items');
select is(pg_temp.profiles(:'c'), 'Robin:kind,funny/withdraws when stressed/hates surprises', 'appended to the same profile; the name is not changed');

-- Several profiles: the one the prompt shows (the most recently updated when solo).
insert into public.partner_profiles (owner_user_id, name, updated_at) values (:'c', 'An ex', now() - interval '1 year');
select is(pg_temp.notes(:'c', null, '[{"field": "traits", "content": "patient"}]') ->> 'applied', '1', 'with two profiles ...');
select is(pg_temp.profiles(:'c'), 'An ex://; Robin:kind,funny,patient/withdraws when stressed/hates surprises', '... the note lands in the one the prompt shows');

-- Pending: still the AI-built profile. Linked: refused, nothing written anywhere.
select tests.call_as(:'c', 'select public.create_partnership()') ->> 'invite_code' as code_c \gset
select is(pg_temp.notes(:'c', null, '[{"field": "traits", "content": "early riser"}]') ->> 'applied', '1', 'with a pending invite, notes still land');
select tests.new_user('robin@example.com', 'Robin R') as r \gset
select tests.call_as(:'r', format('select public.join_partnership(%L)', :'code_c')) ->> 'ok' as joined \gset
select is(public.nova_prompt_context(:'c') #>> '{reference,source}', 'partner_account', 'once Robin joins, the reference is Robin''s own profile');
select is(pg_temp.code(pg_temp.notes(:'c', 'Robin', '[{"field": "traits", "content": "secretly sad"}]')), 'null partner_linked', 'notes for a linked partner are refused');
select is(pg_temp.code(pg_temp.notes(:'a', 'Blair', '[{"field": "traits", "content": "x"}]')), 'null partner_linked', '... for the seed couple too');
select is(pg_temp.profiles(:'c'), 'An ex://; Robin:kind,funny,patient,early riser/withdraws when stressed/hates surprises', 'nothing was added to the AI-built profile');
select is((select count(*)::int from public.partner_profiles where owner_user_id = :'c' and 'secretly sad' = any (traits)), 0, 'nor to any other');
-- After the break-up the profile linked to that partnership is the reference again, and takes notes.
select tests.call_as(:'r', 'select public.dissolve_partnership()') ->> 'ok' as dissolved \gset
select is(pg_temp.notes(:'c', null, '[{"field": "relational_tendencies", "content": "keeps in touch"}]') ->> 'profile_id',
  (select id::text from public.partner_profiles where owner_user_id = :'c' and name = 'Robin'), 'after the break-up notes land in the profile linked to it');

-- Refusals: nothing applied, the note's index and a stable code.
select pg_temp.profiles(:'c') as before \gset
select is(pg_temp.code(pg_temp.notes(:'c', null, n)), want, what)
  from (values ('[{"field": "traits", "content": "ok"}, 5]', '1 invalid_note', 'a note that is not an object (nothing applied)'),
               ('[{"field": "traits", "content": "ok", "extra": 1}]', '0 invalid_note', 'an unknown member'),
               ('[{"field": "ai_notes", "content": "ok"}]', '0 invalid_note', 'a field that is not a list of the profile'),
               ('[{"field": "traits", "content": 7}]', '0 invalid_note', 'content not a string'),
               ('[{"field": "traits", "content": "\t\n\u00a0"}]', '0 invalid_note', 'content of only white space'),
               ('[{"field": "traits", "content": "' || repeat('x', 301) || '"}]', '0 invalid_note', 'content over 300 characters'),
               ('{"field": "traits"}', 'null invalid_request', 'notes not an array'),
               ((select jsonb_agg('{"field": "traits", "content": "x"}'::jsonb)::text from generate_series(1, 101)), 'null too_many_notes', '101 notes')) v(n, want, what);
select is(pg_temp.profiles(:'c'), :'before', 'no refused batch changed the profile');
select is(pg_temp.code(public.nova_apply_partner_notes(null, 'x', '[]')), 'null invalid_request', 'a null user');
select is(pg_temp.code(public.nova_apply_partner_notes(gen_random_uuid(), 'x', '[{"field": "traits", "content": "x"}]')), 'null user_not_found', 'an unknown user');

-- The table's caps: a field holds 100 items at most.
update public.partner_profiles set traits = (select array_agg('trait ' || g) from generate_series(1, 100) g)
 where owner_user_id = :'c' and name = 'Robin';
select is(pg_temp.code(pg_temp.notes(:'c', null, '[{"field": "important_truths", "content": "fine"}, {"field": "traits", "content": "one more"}]')),
  '1 profile_full', 'a note that would take a field past 100 items is refused (all or nothing)');
select is(pg_temp.notes(:'c', null, '[{"field": "traits", "content": "TRAIT 7"}]') - 'profile_id', '{"applied": 0, "skipped": 1}'::jsonb,
  'a duplicate into a full field is just skipped');

select * from finish();
rollback;
