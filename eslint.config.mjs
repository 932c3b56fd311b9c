import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next*/**",
      "dist/**",
      ".data/**",
      "server/db/generated/**",
      "next-env.d.ts",
      "dev/cluster/bins/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  js.configs.recommended,
  {
    // Plain Node scripts that run before dependencies are installed (npm start, npm test).
    files: ["**/*.mjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        fetch: "readonly",
        AbortSignal: "readonly",
      },
    },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // lib/ is isomorphic: the browser bundles it, so it may not reach into server code or Node.
    files: ["lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["@/server/*", "@/app/*", "@/components/*", "@/dev/*", "server-only", "node:*"] },
      ],
    },
  },
  {
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@kubernetes/client-node", message: "Kubernetes access belongs in server/." },
            { name: "@prisma/client", message: "Database access belongs in server/." },
          ],
        },
      ],
    },
  },
  // The import graph of docs/architecture.md ("Import rules"). Aliased and relative paths alike.
  {
    files: ["components/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)server(/|$)",
              allowTypeImports: true,
              message:
                "Components take only types from server/; values come from the page as props (docs/architecture.md, Import rules).",
            },
            {
              regex: "^(@/|(\\.\\./)+)app(/|$)",
              message:
                "Components get data and server actions from the page as props, never from app/ (docs/architecture.md, Import rules).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["server/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)components(/|$)",
              message:
                "The server does not depend on the UI; what both need lives in lib/ (docs/architecture.md, Import rules).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)server/db(/|$)",
              message:
                "Pages and routes call domain functions in server/<domain>/, which own their queries (docs/architecture.md, Import rules).",
            },
          ],
        },
      ],
    },
  },
);
