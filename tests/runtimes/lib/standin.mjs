// A STAND-IN for Supabase's API gateway, PostgREST and Supabase Auth (GoTrue), which cannot
// run here (no Docker). It is not a mock of the database: every call runs against the real
// PostgreSQL of the suite, with our migrations, under the role and JWT claims PostgREST would
// set, so RLS, grants and security definer functions decide what each key may do.
//
// What it does, as the real services do:
//   - every /rest/v1 and /auth/v1 request needs an `apikey` header (the gateway's check);
//   - `Authorization: Bearer <jwt>` is verified with the project's JWT secret (HS256, as
//     Supabase's legacy anon/service_role keys and session tokens are); a bad signature or
//     an expired token is refused (PostgREST PGRST301 / GoTrue bad_jwt), never downgraded;
//   - PostgREST: each request is one transaction with `role` = the JWT's role claim and
//     `request.jwt.claims` = its claims (what auth.uid() and auth.role() read); supports the
//     subset supabase-js sends for rpc(), select() with eq/neq/gt/gte/lt/lte/is filters and or(),
//     order, limit, offset, single()/maybeSingle(), and insert(); Postgres errors come back
//     with PostgREST's status codes and {code, message, details, hint} bodies;
//   - GoTrue: GET /auth/v1/user returns the auth.users row of the token's subject (or, for
//     a test token with the claim `standin_auth_status`, that 5xx: an Auth outage).
// Usable two ways (one implementation): as supabase-js's `fetch` option, in process
// (createClient(url, key, { global: { fetch: standIn.fetch } })), or served on loopback for
// runtimes in other processes (serve()).
import { createServer } from 'node:http';
import { SignJWT, jwtVerify } from 'jose';
import pg from 'pg';

export const TEST_JWT_SECRET = 'nova-layers runtimes suite: test secret, not a real one';

// jsonb and json come back as the text Postgres wrote (PostgREST passes it through).
pg.types.setTypeParser(3802, (v) => v);
pg.types.setTypeParser(114, (v) => v);

const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);
const IDENT = /^[a-z_][a-z0-9_]*$/;
const FILTER_OPS = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** Signs a JWT with the test secret (or `secret`): the keys and the users' session tokens. */
export async function signJwt(claims, { secret = TEST_JWT_SECRET, expiresIn = '1h' } = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt()
    .setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

/** The project's two API keys, as Supabase issues them (JWTs with a role claim). */
export async function projectKeys(secret = TEST_JWT_SECRET) {
  return {
    anonKey: await signJwt({ iss: 'supabase', role: 'anon' }, { secret, expiresIn: '10y' }),
    serviceRoleKey: await signJwt({ iss: 'supabase', role: 'service_role' }, { secret, expiresIn: '10y' }),
  };
}

/** A signed-in user's access token, as Supabase Auth issues it (`claims`: extra claims). */
export function userToken(userId, { claims = {}, ...opts } = {}) {
  return signJwt({ iss: 'supabase', sub: userId, aud: 'authenticated', role: 'authenticated', ...claims }, opts);
}

const json = (status, body, headers = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
const pgrstError = (status, code, message, details = null, hint = null) => json(status, { code, details, hint, message });
const quote = (id) => `"${id}"`;

class Refusal extends Error {
  constructor(response) {
    super('refused');
    this.response = response;
  }
}

/**
 * @param {{ pool: pg.Pool, secret?: string }} opts
 * @returns {{ fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>, stats: { requests: number, dbMs: number } }}
 */
export function createStandIn({ pool, secret = TEST_JWT_SECRET }) {
  const key = new TextEncoder().encode(secret);
  const stats = { requests: 0, dbMs: 0 };

  async function claimsOf(request, { required }) {
    const auth = request.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    if (!token) {
      if (required) throw new Refusal(json(401, { code: 401, error_code: 'no_authorization', msg: 'This endpoint requires a Bearer token' }));
      return { role: 'anon' };
    }
    try {
      return (await jwtVerify(token, key, { algorithms: ['HS256'] })).payload;
    } catch (e) {
      throw new Refusal(required
        ? json(403, { code: 403, error_code: 'bad_jwt', msg: `invalid JWT: unable to parse or verify signature, ${e.message}` })
        : pgrstError(401, 'PGRST301', e.code === 'ERR_JWT_EXPIRED' ? 'JWT expired' : 'JWSError JWSInvalidSignature'));
    }
  }

  // One PostgREST request: a transaction under the JWT's role and claims.
  async function asRole(claims, method, path, sql, params) {
    const role = String(claims.role ?? 'anon');
    if (!API_ROLES.has(role)) throw new Refusal(pgrstError(401, 'PGRST301', `role "${role}" is not an API role`));
    const client = await pool.connect();
    const started = performance.now();
    try {
      await client.query('begin');
      await client.query(
        "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), " +
        "set_config('request.method', $3, true), set_config('request.path', $4, true)",
        [role, JSON.stringify(claims), method, path]);
      const result = await client.query(sql, params);
      await client.query('commit');
      return result;
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw new Refusal(postgresError(e, role));
    } finally {
      stats.dbMs += performance.now() - started;
      client.release();
    }
  }

  // PostgREST's mapping of Postgres errors to HTTP statuses (the cases that matter here).
  function postgresError(e, role) {
    if (e instanceof Refusal) return e.response;
    const code = e.code ?? 'XX000';
    const status = code === '42501' ? (role === 'anon' ? 401 : 403)
      : code === '42883' || code === '42P01' ? 404
        : code === '23505' ? 409
          : /^(22|23|P0)/.test(code) ? 400 : 500;
    return pgrstError(status, code, e.message, e.detail ?? null, e.hint ?? null);
  }

  async function rpc(request, claims, fn) {
    if (!IDENT.test(fn)) return pgrstError(404, 'PGRST202', `Could not find the function public.${fn}`);
    const body = request.method === 'POST' ? await request.json().catch(() => undefined) : {};
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      return pgrstError(400, 'PGRST102', 'Could not parse the JSON body');
    }
    const names = Object.keys(body);
    if (!names.every((n) => IDENT.test(n))) return pgrstError(400, 'PGRST102', 'bad argument name');
    // Parameters go as text of unknown type: Postgres casts each to the argument's type.
    const params = names.map((n) => (body[n] === null ? null : typeof body[n] === 'object' ? JSON.stringify(body[n]) : String(body[n])));
    const args = names.map((n, i) => `${quote(n)} => $${i + 1}`).join(', ');
    const { rows } = await asRole(claims, request.method, `/rpc/${fn}`, `select public.${quote(fn)}(${args}) as r`, params);
    const r = rows[0]?.r;
    return json(200, r === null || r === undefined ? 'null' : typeof r === 'string' ? r : JSON.stringify(r));
  }

  function columnsOf(text) {
    if (!text || text === '*') return '*';
    const cols = text.split(',').map((c) => c.trim());
    if (!cols.every((c) => IDENT.test(c))) throw new Refusal(pgrstError(400, 'PGRST100', `unsupported select: ${text}`));
    return cols.map(quote).join(', ');
  }

  // One filter `column` + `op.value` as SQL, its value bound as a parameter.
  function condition(k, v, params) {
    const m = /^(eq|neq|gt|gte|lt|lte|is)\.(.*)$/s.exec(v);
    if (!IDENT.test(k) || !m) throw new Refusal(pgrstError(400, 'PGRST100', `unsupported filter: ${k}=${v}`));
    if (m[1] === 'is') {
      if (!['null', 'true', 'false'].includes(m[2])) throw new Refusal(pgrstError(400, 'PGRST100', `unsupported filter: ${k}=${v}`));
      return `${quote(k)} is ${m[2]}`;
    }
    params.push(m[2]);
    return `${quote(k)} ${FILTER_OPS[m[1]]} $${params.length}`;
  }

  function whereOf(url, params) {
    const conds = [];
    for (const [k, v] of url.searchParams) {
      if (['select', 'order', 'limit', 'offset', 'columns'].includes(k)) continue;
      if (k === 'or') {
        // or=(a.eq.1,b.eq.2): flat alternatives of simple filters (no nesting, no commas in values).
        const alts = /^\((.*)\)$/s.exec(v)?.[1].split(',') ?? [];
        if (alts.length === 0) throw new Refusal(pgrstError(400, 'PGRST100', `unsupported filter: or=${v}`));
        conds.push(`(${alts.map((a) => { const i = a.indexOf('.'); return condition(a.slice(0, i), a.slice(i + 1), params); }).join(' or ')})`);
        continue;
      }
      conds.push(condition(k, v, params));
    }
    return conds.length ? ` where ${conds.join(' and ')}` : '';
  }

  function orderOf(url) {
    const order = url.searchParams.get('order');
    if (!order) return '';
    const terms = order.split(',').map((t) => {
      const [col, dir = 'asc', nulls] = t.split('.');
      if (!IDENT.test(col) || !['asc', 'desc'].includes(dir) || (nulls && !['nullsfirst', 'nullslast'].includes(nulls))) {
        throw new Refusal(pgrstError(400, 'PGRST100', `unsupported order: ${order}`));
      }
      return `${quote(col)} ${dir}${nulls ? ` nulls ${nulls.slice(5)}` : ''}`;
    });
    return ` order by ${terms.join(', ')}`;
  }

  function pageOf(url) {
    let sql = '';
    for (const k of ['limit', 'offset']) {
      const v = url.searchParams.get(k);
      if (v === null) continue;
      if (!/^\d+$/.test(v)) throw new Refusal(pgrstError(400, 'PGRST100', `bad ${k}`));
      sql += ` ${k} ${v}`;
    }
    return sql;
  }

  // The JSON array of rows, or one object when the client asked for exactly one.
  function rowsResponse(request, text, status) {
    const wantsObject = (request.headers.get('accept') ?? '').includes('application/vnd.pgrst.object+json');
    if (!wantsObject) return json(status, text);
    const rows = JSON.parse(text);
    if (rows.length !== 1) {
      return pgrstError(406, 'PGRST116', 'JSON object requested, multiple (or no) rows returned',
        `The result contains ${rows.length} rows`);
    }
    return json(status, JSON.stringify(rows[0]));
  }

  async function select(request, claims, table, url) {
    const params = [];
    const sql = `select coalesce(json_agg(t), '[]')::text as r from (select ${columnsOf(url.searchParams.get('select'))} ` +
      `from public.${quote(table)}${whereOf(url, params)}${orderOf(url)}${pageOf(url)}) t`;
    const { rows } = await asRole(claims, 'GET', `/${table}`, sql, params);
    return rowsResponse(request, rows[0].r, 200);
  }

  async function insert(request, claims, table, url) {
    const body = await request.json().catch(() => undefined);
    const list = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : null;
    if (!list || list.length === 0) return pgrstError(400, 'PGRST102', 'Could not parse the JSON body');
    const cols = [...new Set(list.flatMap((r) => Object.keys(r)))];
    if (!cols.every((c) => IDENT.test(c))) return pgrstError(400, 'PGRST204', 'bad column name');
    const colList = cols.map(quote).join(', ');
    const returning = (request.headers.get('prefer') ?? '').includes('return=representation');
    const sql = `with ins as (insert into public.${quote(table)} (${colList}) select ${colList} ` +
      `from json_populate_recordset(null::public.${quote(table)}, $1::json) returning *) ` +
      `select coalesce(json_agg(t), '[]')::text as r from (select ${returning ? columnsOf(url.searchParams.get('select')) : '1'} from ins) t`;
    const { rows } = await asRole(claims, 'POST', `/${table}`, sql, [JSON.stringify(list)]);
    return returning ? rowsResponse(request, rows[0].r, 201) : new Response(null, { status: 201 });
  }

  // GoTrue's GET /user: the token's user, from auth.users.
  async function authUser(request) {
    const claims = await claimsOf(request, { required: true });
    // Test-only knob (no such claim exists in Supabase): a token carrying
    // `standin_auth_status: 5xx` gets that status, as an Auth outage or its gateway answers.
    if (Number.isInteger(claims.standin_auth_status)) {
      const status = claims.standin_auth_status;
      return status === 500
        ? json(500, { code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure, please check server logs for more information' })
        : new Response('<html><body>upstream unavailable</body></html>', { status, headers: { 'content-type': 'text/html' } });
    }
    if (typeof claims.sub !== 'string') {
      return json(403, { code: 403, error_code: 'bad_jwt', msg: 'invalid claim: missing sub claim' });
    }
    const started = performance.now();
    const { rows } = await pool.query(
      'select id, email, raw_user_meta_data, created_at, updated_at from auth.users where id::text = $1', [claims.sub]);
    stats.dbMs += performance.now() - started;
    if (rows.length === 0) {
      return json(403, { code: 403, error_code: 'user_not_found', msg: 'User from sub claim in JWT does not exist' });
    }
    const u = rows[0];
    return json(200, {
      id: u.id, aud: 'authenticated', role: 'authenticated', email: u.email,
      app_metadata: { provider: 'email', providers: ['email'] }, user_metadata: JSON.parse(u.raw_user_meta_data ?? '{}'),
      created_at: u.created_at, updated_at: u.updated_at,
    });
  }

  async function handle(request) {
    const url = new URL(request.url);
    if (!request.headers.get('apikey')) {
      return json(401, { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
    }
    if (url.pathname === '/auth/v1/user' && request.method === 'GET') return authUser(request);
    const rest = /^\/rest\/v1\/(rpc\/)?([^/]+)$/.exec(url.pathname);
    if (!rest) return json(404, { message: 'no Route matched with those values' });
    const claims = await claimsOf(request, { required: false });
    if (rest[1]) return rpc(request, claims, rest[2]);
    const table = rest[2];
    if (!IDENT.test(table)) return pgrstError(404, 'PGRST205', `Could not find the table 'public.${table}'`);
    if (request.method === 'GET') return select(request, claims, table, url);
    if (request.method === 'POST') return insert(request, claims, table, url);
    return pgrstError(405, 'PGRST117', `Unsupported HTTP method: ${request.method}`);
  }

  return {
    stats,
    async fetch(input, init) {
      stats.requests++;
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      try {
        return await handle(request);
      } catch (e) {
        if (e instanceof Refusal) return e.response;
        return pgrstError(500, 'XX000', `stand-in failure: ${e.message}`);
      }
    },
  };
}

/** Serves a stand-in on 127.0.0.1 (a free port); resolves to { url, close() }. */
export function serve(standIn) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const response = await standIn.fetch(`http://${req.headers.host}${req.url}`,
      { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
    }));
  });
}
