// `npm start`: the whole product on its embedded defaults. Runs before dependencies exist,
// so it installs them first and then hands over to the TypeScript launcher.
import { spawn } from "node:child_process";

import { ensureDependencies, ensureSystemPackages, root, step } from "./lib/ensure-deps.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";

try {
  ensureSystemPackages({
    "docker-registry": "/usr/bin/docker-registry",
    "busybox-static": "/bin/busybox",
    prometheus: "/usr/bin/prometheus",
  });
  ensureDependencies();
} catch (error) {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
}

step("Starting kaito-dashboard …");
const launcher = spawn(
  process.execPath,
  ["--conditions=react-server", "--import", "tsx", "dev/launch/main.ts", ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => launcher.kill(signal));
launcher.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
