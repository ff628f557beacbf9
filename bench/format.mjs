// What every summarizer (bench/summarize.mjs, bench/detect/summarize.mjs) writes its
// figures with, so the tables of one report read alike.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// A measurement: 'n/a' when missing, whole with thousands separators from 1,000, else d decimals.
export const num = (v, d = 1) => (v == null || !Number.isFinite(v) ? 'n/a' : v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(d));
// a ÷ b as "2.50x" (d decimals), 'n/a' when either is missing or b is 0.
export const ratio = (a, b, d = 2) => (a == null || b == null || !b ? 'n/a' : `${(a / b).toFixed(d)}x`);
// The JSON file f of folder dir, or null when there is none.
export const readJson = (dir, f) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : null);
