// Integration-suite setup.
// Database: tests run on PGlite always and on PostgreSQL when one is available: DATABASE_URL
// (CI's server), or TEST_POSTGRES=1 to start a throwaway server here. Each test file makes its
// own database on it (tests/support/test-database.ts).
// Kubernetes: the local cluster (npm run cluster:up) is started once per run, or reused when it
// runs already; with KUBECONFIG set, that cluster is used instead and only missing CRDs are
// installed. Each test file works in its own namespace (tests/support/cluster.ts).
import path from "node:path";

import { KubeConfig } from "@kubernetes/client-node";

import { downCluster } from "../../dev/cluster/down-cluster";
import { installCrds } from "../../dev/cluster/install-crds";
import { clusterExists } from "../../dev/cluster/kwokctl";
import { kubeconfigPath } from "../../dev/cluster/paths";
import { upCluster } from "../../dev/cluster/up-cluster";
import { startTestPostgres, type TestPostgres } from "./postgres";

let postgres: TestPostgres | undefined;
let startedCluster = false;

export async function setup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.KD_TEST_POSTGRES_URL ??= process.env.DATABASE_URL;
  } else if (process.env.TEST_POSTGRES === "1") {
    postgres = await startTestPostgres();
    process.env.KD_TEST_POSTGRES_URL = postgres.url;
  }
  // Code under test that calls getDb() without choosing a database gets a private in-memory
  // one, never the developer's .data/db.
  process.env.PGLITE_DIR ??= "memory://integration";
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789abcdef";

  await setupCluster();
}

async function setupCluster(): Promise<void> {
  if (process.env.KUBECONFIG && path.resolve(process.env.KUBECONFIG) !== kubeconfigPath) {
    const kc = new KubeConfig();
    kc.loadFromFile(process.env.KUBECONFIG);
    await installCrds(kc, (line) => console.log(line), { onlyIfAbsent: true });
    return;
  }
  const existedBefore = clusterExists();
  const up = await upCluster((line) => console.log(line));
  startedCluster = !existedBefore;
  process.env.KUBECONFIG = up.kubeconfig;
}

export async function teardown(): Promise<void> {
  await postgres?.stop();
  // A cluster this run created is removed again; one that was running before is left alone
  // (other runs and `npm start` may be using it). KEEP_CLUSTER=1 keeps it for the next run.
  if (startedCluster && process.env.KEEP_CLUSTER !== "1") await downCluster((line) => console.log(line));
}
