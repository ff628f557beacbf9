// Writes the benchmark requests (bench/sizes.mjs) as files for the native benchmark:
//   node bench/requests.mjs DIR     -> DIR/S.json ... DIR/XXL.json, DIR/sweep-0000.json ...
import { writeFileSync } from 'node:fs';
import { makeRequest } from '../tests/js/requests.js';
import { SIZES, SWEEP, request } from './sizes.mjs';

const dir = process.argv[2];
for (const size of SIZES) writeFileSync(`${dir}/${size.id}.json`, JSON.stringify(request(size)));
for (const m of SWEEP) {
  writeFileSync(`${dir}/sweep-${String(m).padStart(4, '0')}.json`, JSON.stringify(makeRequest({ memories: m, insights: 10 })));
}
