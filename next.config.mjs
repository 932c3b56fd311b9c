/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // npm test type-checks the whole tree (tests included) with tsc; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Next loads every route's module at start by default; the web process then carries pages no
  // request has asked for yet (docs/adapters.md: the 200 MB budget of the web process).
  experimental: { preloadEntriesOnStart: false },
  serverExternalPackages: [
    "@kubernetes/client-node",
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "pg",
    // One copy shared with the custom web server's bundle (dev/package/build-package.ts).
    "@prisma/client",
  ],
};

export default nextConfig;
