// Autoscaling the way upstream's users do it: `scaledobject.kaito.sh/*` annotations on an
// InferenceSet. Without KEDA the set says so in a condition; with KEDA's real ScaledObject CRD
// installed (tests/fixtures/keda) the worker applies a ScaledObject the apiserver validates
// against KEDA's schema, targeting the set's scale subresource; removing the annotation removes it.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

import { kubeconfigPath } from "@/dev/cluster/paths";
import { isNotFound, type KubeClient } from "@/server/kube/kube-client";
import type { InferenceSet } from "@/server/kube/types/inferenceset";

import { adminClient, startWorkerRig, type WorkerRig } from "./controller-harness";
import { waitFor } from "../support/wait-for";

const fixtures = path.resolve(import.meta.dirname, "../fixtures");
const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const KEDA_CRD = "scaledobjects.keda.sh";

let client: KubeClient;
let ns: string;
let rig: WorkerRig;

function kubectl(args: string[], input?: string): string {
  return execFileSync("kubectl", args, {
    encoding: "utf8",
    input,
    env: { ...process.env, KUBECONFIG: process.env.KUBECONFIG ?? kubeconfigPath },
  });
}

async function removeKedaCrd() {
  await client.request({ method: "DELETE", path: `${CRDS}/${KEDA_CRD}` }).catch((e) => {
    if (!isNotFound(e)) throw e;
  });
  await waitFor("KEDA's CRD gone", async () =>
    client.request({ method: "GET", path: `${CRDS}/${KEDA_CRD}` }).then(
      () => false,
      (e) => isNotFound(e),
    ),
  );
}

async function autoscalingCondition(name: string) {
  const set = await client.request<InferenceSet>({
    method: "GET",
    path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/inferencesets/${name}`,
  });
  return set.status?.conditions?.find((c) => c.type === "AutoscalingReady");
}

type ScaledObjectView = {
  metadata: { name: string; ownerReferences: { kind: string; name: string }[] };
  spec: {
    scaleTargetRef: Record<string, string>;
    minReplicaCount: number;
    maxReplicaCount: number;
    triggers: { type: string; metadata: Record<string, string> }[];
  };
};

beforeAll(async () => {
  client = await adminClient();
  await removeKedaCrd();
  rig = await startWorkerRig(
    "iset-keda",
    {
      LEADER_ELECTION_LEASE_DURATION_SECONDS: "4",
      LEADER_ELECTION_RENEW_DEADLINE_SECONDS: "3",
      LEADER_ELECTION_RETRY_PERIOD_SECONDS: "0.5",
      CONTROLLER_TIMELINE: "off",
      INFERENCESET_KEDA_PROMETHEUS_URL: "http://prometheus.monitoring.svc:9090",
    },
    { client },
  );
  ({ ns } = rig);
});

afterAll(async () => {
  await rig?.stop();
  if (client) await removeKedaCrd();
});

describe("InferenceSet autoscaling annotations", () => {
  it("without KEDA, says that autoscaling is requested but KEDA is not installed", async () => {
    kubectl(["apply", "-n", ns, "-f", path.join(fixtures, "inferenceset/mistral-7b-instruct.yaml")]);
    const condition = await waitFor("AutoscalingReady=False", async () => {
      const c = await autoscalingCondition("mistral-7b-instruct");
      return c?.status === "False" && c;
    });
    expect(condition.reason).toBe("KedaNotInstalled");
    expect(condition.message).toContain("autoscaling is requested");
    expect(condition.message).toContain("KEDA is not installed");
  });

  it("with KEDA's CRD, applies a ScaledObject on the set's scale subresource that the apiserver accepts", async () => {
    const crd = parse(readFileSync(path.join(fixtures, "keda/scaledobjects.keda.sh.yaml"), "utf8"));
    await client.request({ method: "POST", path: CRDS, body: crd });
    await waitFor("KEDA's CRD Established", async () => {
      const got = await client.request<{ status?: { conditions?: { type: string; status: string }[] } }>({
        method: "GET",
        path: `${CRDS}/${KEDA_CRD}`,
      });
      return got.status?.conditions?.some((c) => c.type === "Established" && c.status === "True");
    });

    const condition = await waitFor(
      "AutoscalingReady=True",
      async () => {
        const c = await autoscalingCondition("mistral-7b-instruct");
        return c?.status === "True" && c;
      },
      { timeoutMs: 60_000 },
    );
    expect(condition.reason).toBe("ScaledObjectReady");

    const so = JSON.parse(
      kubectl(["get", "scaledobjects.keda.sh", "mistral-7b-instruct", "-n", ns, "-o", "json"]),
    ) as ScaledObjectView;
    expect(so.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "InferenceSet", name: "mistral-7b-instruct" }),
    ]);
    expect(so.spec.scaleTargetRef).toEqual({
      apiVersion: "kaito.sh/v1beta1",
      kind: "InferenceSet",
      name: "mistral-7b-instruct",
    });
    expect([so.spec.minReplicaCount, so.spec.maxReplicaCount]).toEqual([1, 5]);
    expect(so.spec.triggers[0].metadata.threshold).toBe("10");
    expect(so.spec.triggers[0].metadata.query).toContain("vllm:num_requests_waiting");

    // The same object, submitted again as a server-side dry run, passes KEDA's schema; one
    // without triggers does not, so the schema really is checked.
    const copy = { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", metadata: { name: "copy" }, spec: so.spec };
    expect(kubectl(["create", "-n", ns, "--dry-run=server", "-f", "-"], JSON.stringify(copy))).toContain(
      "created (server dry run)",
    );
    const broken = { ...copy, spec: { ...so.spec, triggers: undefined } };
    expect(() => kubectl(["create", "-n", ns, "--dry-run=server", "-f", "-"], JSON.stringify(broken))).toThrow(
      /triggers/,
    );
  });

  it("removes the ScaledObject when the annotation goes", async () => {
    kubectl(["annotate", "is", "mistral-7b-instruct", "-n", ns, "scaledobject.kaito.sh/auto-provision-"]);
    await waitFor("the ScaledObject deleted", async () =>
      client
        .request({ method: "GET", path: `/apis/keda.sh/v1alpha1/namespaces/${ns}/scaledobjects/mistral-7b-instruct` })
        .then(
          () => false,
          (e) => isNotFound(e),
        ),
    );
    // The status write that drops the condition follows the delete.
    await waitFor(
      "the AutoscalingReady condition gone",
      async () => (await autoscalingCondition("mistral-7b-instruct")) === undefined,
    );
  });
});
