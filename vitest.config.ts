import path from "node:path";
import { defineConfig } from "vitest/config";

// server-only throws outside React Server Components; under vitest the server modules run as plain Node code.
const alias = {
  "@": path.resolve(__dirname),
  "server-only": path.resolve(__dirname, "tests/support/server-only-stub.ts"),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: [
            "lib/**/*.test.ts",
            "server/**/*.test.ts",
            "components/**/*.test.ts",
            "components/**/*.test.tsx",
            "dev/**/*.test.ts",
          ],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/global-setup.ts"],
          // next-auth imports "next/server" without an extension, which Node's ESM loader rejects.
          server: { deps: { inline: ["next-auth"] } },
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
