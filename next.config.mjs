/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // npm test type-checks the whole tree (tests included) with tsc; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: [
    "@kubernetes/client-node",
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "pg",
  ],
};

export default nextConfig;
