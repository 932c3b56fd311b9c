import "server-only";

import type {
  V1Container,
  V1EnvVar,
  V1PodSpec,
  V1StatefulSet,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
} from "@kubernetes/client-node";

import { findSku } from "@/lib/kaito/gpu-skus";
import { LABEL_CREATED_BY_INFERENCESET } from "@/lib/kaito/inferenceset";
import {
  ANNOTATION_RUNTIME,
  LABEL_WORKSPACE,
  LABEL_WORKSPACE_NAMESPACE,
  RESOURCE_GPU,
  TAINT_SKU_KEY,
  TAINT_SKU_VALUE,
  userMatchLabels,
} from "@/lib/kaito/labels";
import { PartitionMode, partitionResource } from "@/lib/kaito/partition";
import { findPreset, servedModelId } from "@/lib/kaito/presets";
import {
  DEFAULT_INFERENCE_CONFIGMAP,
  HF_TOKEN_KEY,
  INFERENCE_CONFIG_KEY,
  INFERENCE_PORT,
  RUNTIME_TRANSFORMERS,
  RUNTIME_VLLM,
} from "@/lib/kaito/runtime";
import { targetNodeCount, type Workspace } from "@/server/kube/types/workspace";

import {
  passthroughPodAnnotations,
  workspaceLabels,
  workspaceOwnerReference,
  type RenderOptions,
} from "./render-options";

export const GPU_TOLERATIONS: V1Toleration[] = [
  { key: RESOURCE_GPU, operator: "Exists", effect: "NoSchedule" },
  { key: TAINT_SKU_KEY, operator: "Equal", value: TAINT_SKU_VALUE, effect: "NoSchedule" },
];

/**
 * Required node affinity: every user matchLabel (reserved keys ignored) and matchExpression, then,
 * when `ownNodesOnly`, upstream's `kaito.sh/workspace` and `kaito.sh/workspacenamespace` (its
 * provisioner's node selector, appended as upstream appends it). Every NodeClaim of this Workspace
 * carries those two labels and the provisioner copies them onto the Node, so the pods cannot take a
 * free GPU on a node made for another Workspace whose nodes match the same selector, such as a
 * sibling in an InferenceSet (docs/inferencesets.md, "Each child on its own nodes").
 */
export function workspaceNodeAffinity(ws: Workspace, ownNodesOnly = false): V1PodSpec["affinity"] {
  const matchLabels = userMatchLabels(ws.resource?.labelSelector);
  const expressions = Object.entries(matchLabels).map(([key, value]) => ({ key, operator: "In", values: [value] }));
  const userExpressions = ws.resource?.labelSelector?.matchExpressions ?? [];
  const own = ownNodesOnly
    ? [
        { key: LABEL_WORKSPACE, operator: "In", values: [ws.metadata.name] },
        { key: LABEL_WORKSPACE_NAMESPACE, operator: "In", values: [ws.metadata.namespace] },
      ]
    : [];
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              ...expressions,
              ...userExpressions.map((e) => ({ key: e.key, operator: e.operator, values: e.values })),
              ...own,
            ],
          },
        ],
      },
    },
  };
}

export function runtimeOf(ws: Workspace): typeof RUNTIME_VLLM | typeof RUNTIME_TRANSFORMERS {
  return ws.metadata.annotations?.[ANNOTATION_RUNTIME] === RUNTIME_TRANSFORMERS ? RUNTIME_TRANSFORMERS : RUNTIME_VLLM;
}

function gpuCount(ws: Workspace): number {
  const partition = ws.resource?.partition;
  if (partition) return partition.mode === PartitionMode.Accelerator ? (partition.count ?? 1) : 1;
  return findSku(ws.resource?.instanceType ?? "")?.gpuCount ?? 1;
}

function leaderAddress(ws: Workspace): string {
  return `${ws.metadata.name}-0.${ws.metadata.name}-headless.${ws.metadata.namespace}.svc.cluster.local`;
}

function mainCommand(ws: Workspace, nodes: number): string[] {
  const presetName = ws.inference?.preset?.name ?? "";
  const model = findPreset(presetName)?.huggingFaceId ?? presetName;
  if (runtimeOf(ws) === RUNTIME_TRANSFORMERS) {
    return [
      "/bin/sh",
      "-c",
      `accelerate launch /workspace/tfs/inference_api.py --pretrained_model_name_or_path=${model}`,
    ];
  }
  const args = [
    `python3 /workspace/vllm/inference_api.py`,
    `--model=${model}`,
    `--served-model-name=${servedModelId(presetName)}`,
    `--kaito-config-file=/mnt/config/${INFERENCE_CONFIG_KEY}`,
    `--tensor-parallel-size=${gpuCount(ws)}`,
  ];
  // Multi-node: pod 0 leads the Ray cluster, the others join it by its stable headless DNS name.
  if (nodes > 1) args.push(`--pipeline-parallel-size=${nodes}`, `--kaito-leader-address=${leaderAddress(ws)}`);
  return ["/bin/sh", "-c", args.join(" ")];
}

function adapterEnv(ws: Workspace): V1EnvVar[] {
  return (ws.inference?.adapters ?? []).map((a) => ({ name: a.source.name, value: a.strength ?? "1.0" }));
}

function adapterPullers(ws: Workspace): V1Container[] {
  return (ws.inference?.adapters ?? [])
    .filter((a) => a.source.image)
    .map((a) => ({
      name: `puller-${a.source.name}`,
      image: a.source.image!,
      command: [
        "/bin/sh",
        "-c",
        `mkdir -p /mnt/adapter/${a.source.name} && cp -r /data/. /mnt/adapter/${a.source.name}/`,
      ],
      volumeMounts: [{ name: "adapter-volume", mountPath: "/mnt/adapter" }],
    }));
}

function pullSecrets(ws: Workspace): { name: string }[] {
  const names = new Set<string>(ws.inference?.preset?.presetOptions?.imagePullSecrets ?? []);
  for (const a of ws.inference?.adapters ?? []) for (const s of a.source.imagePullSecrets ?? []) names.add(s);
  return [...names].sort().map((name) => ({ name }));
}

function presetPodSpec(ws: Workspace, options: RenderOptions, nodes: number, ownNodesOnly: boolean): V1PodSpec {
  // A partition asks for its MIG device or its whole GPUs instead of the SKU's GPU count.
  const gpu = ws.resource?.partition
    ? partitionResource(ws.resource.partition)
    : { name: RESOURCE_GPU, quantity: gpuCount(ws) };
  const image = ws.inference?.preset?.presetOptions?.image ?? `${options.imageRegistry}/kaito-base:${options.imageTag}`;
  const modelAccessSecret = ws.inference?.preset?.presetOptions?.modelAccessSecret;
  const env: V1EnvVar[] = [];
  if (modelAccessSecret) {
    env.push({
      name: HF_TOKEN_KEY,
      valueFrom: { secretKeyRef: { name: modelAccessSecret, key: HF_TOKEN_KEY, optional: true } },
    });
  }
  env.push(...adapterEnv(ws));
  const volumes: V1Volume[] = [
    { name: "dshm", emptyDir: { medium: "Memory" } },
    { name: "model-weights-volume", emptyDir: {} },
    { name: "config-volume", configMap: { name: ws.inference?.config ?? DEFAULT_INFERENCE_CONFIGMAP } },
    { name: "adapter-volume", emptyDir: {} },
  ];
  const volumeMounts: V1VolumeMount[] = [
    { name: "dshm", mountPath: "/dev/shm" },
    { name: "model-weights-volume", mountPath: "/workspace/weights" },
    { name: "config-volume", mountPath: "/mnt/config" },
    { name: "adapter-volume", mountPath: "/mnt/adapter" },
  ];
  const health = { httpGet: { path: "/health", port: INFERENCE_PORT } };
  const secrets = pullSecrets(ws);
  return {
    affinity: workspaceNodeAffinity(ws, ownNodesOnly),
    tolerations: GPU_TOLERATIONS,
    ...(secrets.length ? { imagePullSecrets: secrets } : {}),
    ...(adapterPullers(ws).length ? { initContainers: adapterPullers(ws) } : {}),
    containers: [
      {
        name: ws.metadata.name,
        image,
        command: mainCommand(ws, nodes),
        ports: [{ name: "http", containerPort: INFERENCE_PORT }],
        resources: {
          requests: { [gpu.name]: String(gpu.quantity) },
          limits: { [gpu.name]: String(gpu.quantity) },
        },
        env: env.length ? env : undefined,
        // Model download and load can take many minutes on a cold node: 180 × 10 s = 30 min.
        startupProbe: { ...health, periodSeconds: 10, failureThreshold: 180 },
        livenessProbe: { ...health, periodSeconds: 10, failureThreshold: 3 },
        readinessProbe: { ...health, initialDelaySeconds: 30, periodSeconds: 10 },
        volumeMounts,
      },
    ],
    volumes,
  };
}

/** A user's free-form pod template, with the scheduling constraints that keep it on the Workspace's GPU nodes. */
function templatePodSpec(ws: Workspace, ownNodesOnly: boolean): V1PodSpec {
  const spec = ws.inference?.template?.spec ?? { containers: [] };
  return {
    ...spec,
    affinity: spec.affinity ?? workspaceNodeAffinity(ws, ownNodesOnly),
    tolerations: [...(spec.tolerations ?? []), ...GPU_TOLERATIONS],
  };
}

/**
 * The inference StatefulSet `<ws>` (docs/kaito-api.md §3, Inference), one replica per node.
 * `ownNodesOnly`: its nodes are all ones its NodeClaims provisioned (see workspaceNodeAffinity).
 */
export function renderInferenceStatefulSet(ws: Workspace, options: RenderOptions, ownNodesOnly = false): V1StatefulSet {
  const nodes = targetNodeCount(ws);
  const labels = workspaceLabels(ws);
  // An InferenceSet's child: its pods carry the set's label as upstream's do, so that the set's
  // status.selector (what an HPA reads through the scale subresource) finds them.
  const setName = ws.metadata.labels?.[LABEL_CREATED_BY_INFERENCESET];
  const podLabels = setName ? { [LABEL_CREATED_BY_INFERENCESET]: setName, ...labels } : labels;
  const podSpec = ws.inference?.template
    ? templatePodSpec(ws, ownNodesOnly)
    : presetPodSpec(ws, options, nodes, ownNodesOnly);
  const podAnnotations = passthroughPodAnnotations(ws, options);
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: {
      name: ws.metadata.name,
      namespace: ws.metadata.namespace,
      labels,
      ownerReferences: [workspaceOwnerReference(ws)],
    },
    spec: {
      replicas: nodes,
      podManagementPolicy: "Parallel",
      serviceName: `${ws.metadata.name}-headless`,
      selector: { matchLabels: setName ? podLabels : { [LABEL_WORKSPACE]: ws.metadata.name } },
      template: {
        metadata: {
          labels: { ...(ws.inference?.template?.metadata?.labels ?? {}), ...podLabels },
          ...(Object.keys(podAnnotations).length ? { annotations: podAnnotations } : {}),
        },
        spec: podSpec,
      },
    },
  };
}
