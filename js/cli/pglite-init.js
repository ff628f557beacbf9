// pglite-init — runs in a worker thread: creates a new PGlite data directory (initdb, ~10 s
// of wasm that would block the main thread's progress lines), then closes it.
import { workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';

const db = await PGlite.create({ dataDir: workerData.dataDir, extensions: { pgcrypto } });
await db.close();
