import "server-only";

import type { V1Container, V1Job, V1Volume, V1VolumeMount } from "@kubernetes/client-node";

import { findSku } from "@/lib/kaito/gpu-skus";
import { RESOURCE_GPU } from "@/lib/kaito/labels";
import { findPreset } from "@/lib/kaito/presets";
import { DEFAULT_TUNING_CONFIGMAPS, TUNING_CONFIG_KEY } from "@/lib/kaito/runtime";
import type { Workspace } from "@/server/kube/types/workspace";

import { GPU_TOLERATIONS, workspaceNodeAffinity } from "./render-inference-statefulset";
import {
  passthroughPodAnnotations,
  workspaceLabels,
  workspaceOwnerReference,
  type RenderOptions,
} from "./render-options";

const DATA_DIR = "/mnt/data";
const RESULTS_DIR = "/mnt/results";

/** Input: URLs → `data-downloader` init container; image → `puller`; volume → mounted as is. */
function inputParts(ws: Workspace): { init: V1Container[]; volumes: V1Volume[] } {
  const input = ws.tuning?.input ?? {};
  const dataMount: V1VolumeMount = { name: "data-volume", mountPath: DATA_DIR };
  if (input.volumeSource) return { init: [], volumes: [{ name: "data-volume", ...input.volumeSource }] };
  const volumes: V1Volume[] = [{ name: "data-volume", emptyDir: {} }];
  if (input.image) {
    return {
      volumes,
      init: [
        {
          name: "puller",
          image: input.image,
          command: ["/bin/sh", "-c", `cp -r /data/. ${DATA_DIR}/`],
          volumeMounts: [dataMount],
        },
      ],
    };
  }
  return {
    volumes,
    init: [
      {
        name: "data-downloader",
        image: "curlimages/curl",
        command: [
          "/bin/sh",
          "-c",
          `for url in $DATA_URLS; do f=$(basename "\${url%%\\?*}"); curl -sSL -o "${DATA_DIR}/$f" "$url" || exit 1; done`,
        ],
        env: [{ name: "DATA_URLS", value: (input.urls ?? []).join(" ") }],
        volumeMounts: [dataMount],
      },
    ],
  };
}

/** Output: pushed by a `pusher` sidecar when `output.image` is set, else a user volume at /mnt/results. */
function outputParts(ws: Workspace): { sidecars: V1Container[]; volumes: V1Volume[] } {
  const output = ws.tuning?.output ?? {};
  if (output.volumeSource) return { sidecars: [], volumes: [{ name: "results-volume", ...output.volumeSource }] };
  const volumes: V1Volume[] = [{ name: "results-volume", emptyDir: {} }];
  const mounts: V1VolumeMount[] = [{ name: "results-volume", mountPath: RESULTS_DIR }];
  if (output.imagePushSecret) {
    volumes.push({
      name: "docker-config",
      secret: { secretName: output.imagePushSecret, items: [{ key: ".dockerconfigjson", path: "config.json" }] },
    });
    mounts.push({ name: "docker-config", mountPath: "/root/.docker" });
  }
  return {
    volumes,
    sidecars: output.image
      ? [
          {
            name: "pusher",
            image: "ghcr.io/oras-project/oras:v1.2.0",
            command: [
              "/bin/sh",
              "-c",
              `while [ ! -f ${RESULTS_DIR}/fine_tuning_completed.txt ]; do sleep 10; done; cd ${RESULTS_DIR} && oras push ${output.image} .`,
            ],
            volumeMounts: mounts,
          },
        ]
      : [],
  };
}

/** The tuning Job `<ws>` (docs/kaito-api.md §3, Tuning). */
export function renderTuningJob(ws: Workspace, options: RenderOptions): V1Job {
  const presetName = ws.tuning?.preset?.name ?? "";
  const model = findPreset(presetName)?.huggingFaceId ?? presetName;
  const method = ws.tuning?.method ?? "lora";
  const gpus = String(findSku(ws.resource?.instanceType ?? "")?.gpuCount ?? 1);
  const image = ws.tuning?.preset?.presetOptions?.image ?? `${options.imageRegistry}/kaito-base:${options.imageTag}`;
  const input = inputParts(ws);
  const output = outputParts(ws);
  const labels = workspaceLabels(ws);
  const podAnnotations = passthroughPodAnnotations(ws, options);
  const pullSecrets = [
    ...(ws.tuning?.preset?.presetOptions?.imagePullSecrets ?? []),
    ...(ws.tuning?.input?.imagePullSecrets ?? []),
  ];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: ws.metadata.name,
      namespace: ws.metadata.namespace,
      labels,
      ownerReferences: [workspaceOwnerReference(ws)],
    },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels, ...(Object.keys(podAnnotations).length ? { annotations: podAnnotations } : {}) },
        spec: {
          restartPolicy: "Never",
          affinity: workspaceNodeAffinity(ws),
          tolerations: GPU_TOLERATIONS,
          ...(pullSecrets.length ? { imagePullSecrets: [...new Set(pullSecrets)].map((name) => ({ name })) } : {}),
          ...(input.init.length ? { initContainers: input.init } : {}),
          containers: [
            {
              name: ws.metadata.name,
              image,
              command: [
                "/bin/sh",
                "-c",
                `python3 /workspace/tfs/fine_tuning.py --model=${model} --method=${method} --config=/mnt/config/${TUNING_CONFIG_KEY} --data-dir=${DATA_DIR} --output-dir=${RESULTS_DIR}`,
              ],
              resources: { requests: { [RESOURCE_GPU]: gpus }, limits: { [RESOURCE_GPU]: gpus } },
              volumeMounts: [
                { name: "dshm", mountPath: "/dev/shm" },
                { name: "config-volume", mountPath: "/mnt/config" },
                { name: "data-volume", mountPath: DATA_DIR },
                { name: "results-volume", mountPath: RESULTS_DIR },
              ],
            },
            ...output.sidecars,
          ],
          volumes: [
            { name: "dshm", emptyDir: { medium: "Memory" } },
            { name: "config-volume", configMap: { name: ws.tuning?.config ?? DEFAULT_TUNING_CONFIGMAPS[method] } },
            ...input.volumes,
            ...output.volumes,
          ],
        },
      },
    },
  };
}
