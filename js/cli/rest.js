// rest — a stand-in for the part of PostgREST (Supabase's REST API) that the flow uses,
// straight over a database handle, so the demo runs the package's Supabase glue on an
// embedded database with no API server. It does per request what PostgREST does: one
// transaction, `set local role` to the JWT's role, the claims in request.jwt.claims (where
// auth.uid() and RLS read them), then the call. Results and errors come back in
// supabase-js's shape: { data, error: { code, message, details, hint } | null }.
//   client.rpc(fn, args)                               POST /rest/v1/rpc/fn
//   client.from(table).insert(row | rows)              POST /rest/v1/table
//   client.from(table).update(values).eq(column, v)    PATCH /rest/v1/table?column=eq.v
// Only the public schema, and only these calls: it is not PostgREST.

const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);
const ident = (name) => `"${String(name).replaceAll('"', '""')}"`;

function apiError(e) {
  const err = /** @type {any} */ (e);
  return { code: err?.code ?? null, message: String(err?.message ?? err), details: err?.detail ?? null, hint: err?.hint ?? null };
}

/**
 * A client acting with the given JWT claims.
 * @param {{ query: Function, transaction: Function }} db  a handle from database.js
 * @param {{ role: string, sub?: string } & Record<string, unknown>} claims
 *   as Supabase's JWTs carry them: service role key { role: "service_role" }, a signed-in
 *   user { sub, role: "authenticated", aud, email, ... }
 */
export function restClient(db, claims) {
  if (!API_ROLES.has(claims.role)) throw new Error(`rest: role ${claims.role} is not an API role`);
  const claimsText = JSON.stringify(claims);
  const signatures = new Map();

  // What PostgREST does around every request.
  async function asRole(fn) {
    try {
      const data = await db.transaction(async (tx) => {
        await tx.query(`set local role ${ident(claims.role)}`);
        await tx.query(`select set_config('request.jwt.claims', $1, true), set_config('request.method', 'POST', true)`, [claimsText]);
        return fn(tx);
      });
      return { data, error: null };
    } catch (e) {
      return { data: null, error: apiError(e) };
    }
  }

  // The function's parameter names and types, to call it with named arguments as PostgREST does.
  async function signature(fn, names) {
    const key = `${fn}(${names.join(',')})`;
    if (!signatures.has(key)) {
      const rows = await db.query(
        `select p.proargnames as names, array(select format_type(t, null) from unnest(p.proargtypes) as t) as types,
                p.pronargdefaults as defaults, p.proretset as set, format_type(p.prorettype, null) as returns
           from pg_proc p where p.pronamespace = 'public'::regnamespace and p.proname = $1`, [fn]);
      // The overload whose parameters take exactly the given names (the rest have defaults).
      const found = rows.find((r) => {
        const params = (r.names ?? []).slice(0, r.types.length);
        const required = params.slice(0, params.length - r.defaults);
        return names.every((n) => params.includes(n)) && required.every((n) => names.includes(n));
      });
      signatures.set(key, found ?? null);
    }
    return signatures.get(key);
  }

  return {
    async rpc(fn, args = {}) {
      const names = Object.keys(args);
      const sig = await signature(fn, names);
      if (!sig) {
        return { data: null, error: { code: 'PGRST202', message: `Could not find the function public.${fn}(${names.join(', ')}) in the schema cache`, details: null, hint: null } };
      }
      const params = (sig.names ?? []).slice(0, sig.types.length);
      const values = [];
      const argSql = names.map((n) => {
        const v = args[n];
        const type = sig.types[params.indexOf(n)];
        values.push(v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));
        return `${ident(n)} => $${values.length}::${type}`;
      }).join(', ');
      const call = `public.${ident(fn)}(${argSql})`;
      const sql = sig.returns === 'void' ? `select ${call}, null::jsonb as data`
        : sig.set ? `select coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb) as data from ${call} as r`
          : `select to_jsonb(${call}) as data`;
      return asRole(async (tx) => (await tx.query(sql, values))[0].data);
    },

    from(table) {
      const target = `public.${ident(table)}`;
      return {
        async insert(rows) {
          const list = Array.isArray(rows) ? rows : [rows];
          const cols = [...new Set(list.flatMap((r) => Object.keys(r)))].map(ident).join(', ');
          return asRole(async (tx) => {
            await tx.query(`insert into ${target} (${cols}) select ${cols} from jsonb_populate_recordset(null::${target}, $1::jsonb)`,
              [JSON.stringify(list)]);
            return null;
          });
        },
        update(values) {
          const cols = Object.keys(values).map(ident);
          return {
            eq: (column, value) => asRole(async (tx) => {
              await tx.query(`update ${target} set (${cols.join(', ')}) = (select ${cols.join(', ')} from jsonb_populate_record(null::${target}, $1::jsonb))
                               where ${ident(column)}::text = $2`, [JSON.stringify(values), String(value)]);
              return null;
            }),
          };
        },
      };
    },
  };
}

/** A client with the service role key's claims (what a route's admin client sends). */
export function serviceRoleClient(db) {
  return restClient(db, { iss: 'supabase', role: 'service_role' });
}

/**
 * A client signed in as an auth user: the claims of a Supabase access token for them.
 * @param {{ id: string, email: string | null, raw_app_meta_data?: object, raw_user_meta_data?: object }} user
 */
export function userClient(db, user) {
  const now = Math.floor(Date.now() / 1000);
  return restClient(db, {
    iss: 'supabase', aud: 'authenticated', role: 'authenticated', sub: user.id, email: user.email ?? '',
    phone: '', app_metadata: user.raw_app_meta_data ?? {}, user_metadata: user.raw_user_meta_data ?? {},
    aal: 'aal1', amr: [{ method: 'password', timestamp: now }], is_anonymous: false, iat: now, exp: now + 3600,
  });
}
