import type { NextConfig } from 'next';

// Nothing nova-layers needs: its export conditions pick the build for each runtime, and
// the edge build's `.wasm?module` import is what Next already understands.
const nextConfig: NextConfig = {};

export default nextConfig;
