// Renders the chart's CRDs (charts/kaito-dashboard/files/crds/ and crds/) from one description, because the two versions
// of each kind, and an InferenceSet's template and a Workspace, share almost every field and
// hand-kept copies drift. Run after editing:
//   npx tsx dev/cluster/crds/render-crds.ts
// (render-crds.test.ts fails while the committed YAML differs from this file's output).
import { writeFileSync } from "node:fs";
import path from "node:path";

import { stringify } from "yaml";

import { KAITO_GROUP, WORKSPACE_KIND, WORKSPACE_PLURAL, WORKSPACE_VERSION, WORKSPACE_VERSIONS } from "@/lib/kaito/api";
import { ConditionType } from "@/lib/kaito/conditions";
import {
  INFERENCESET_KIND,
  INFERENCESET_PLURAL,
  INFERENCESET_SHORT_NAMES,
  INFERENCESET_VERSION,
  INFERENCESET_VERSIONS,
} from "@/lib/kaito/inferenceset";
import { RESERVED_ONLY_SELECTOR_MESSAGE, RESERVED_SELECTOR_LABELS } from "@/lib/kaito/labels";

type Schema = Record<string, unknown>;
type Rule = { rule: string; message: string; fieldPath?: string };

const CHART = path.resolve(import.meta.dirname, "../../../charts/kaito-dashboard");

const str = (extra: Schema = {}): Schema => ({ type: "string", ...extra });
const strings = (maxItems?: number): Schema => ({ type: "array", items: str(), ...(maxItems ? { maxItems } : {}) });
const obj = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: "object",
  properties,
  ...extra,
});
const rules = (...list: Rule[]) => ({ "x-kubernetes-validations": list });
/** Kubernetes' own schemas (PodTemplateSpec, VolumeSource) are kept as-is rather than copied here. */
const freeForm = (description: string): Schema => ({
  type: "object",
  description,
  "x-kubernetes-preserve-unknown-fields": true,
});
const immutable: Rule = { rule: "self == oldSelf", message: "field is immutable" };

const labelSelector = obj(
  {
    matchLabels: { type: "object", additionalProperties: str(), maxProperties: 64 },
    matchExpressions: {
      type: "array",
      maxItems: 64,
      items: obj(
        { key: str({ maxLength: 317 }), operator: str({ maxLength: 32 }), values: strings(256) },
        { required: ["key", "operator"] },
      ),
    },
  },
  { "x-kubernetes-map-type": "atomic" },
);

/** metav1.Condition, as every kaito.sh status writes it. */
const metaCondition = obj(
  {
    type: str({ maxLength: 316 }),
    status: str({ enum: ["True", "False", "Unknown"] }),
    reason: str({ maxLength: 1024 }),
    message: str({ maxLength: 32768 }),
    lastTransitionTime: str({ format: "date-time" }),
    observedGeneration: { type: "integer", format: "int64", minimum: 0 },
  },
  { required: ["type", "status", "lastTransitionTime", "reason", "message"] },
);

/** Upstream's refusal of a non-empty matchLabels made only of Kaito's reserved keys. */
const reservedOnly: Rule = {
  rule: `self.size() == 0 || self.exists(k, !(k in [${RESERVED_SELECTOR_LABELS.map((k) => `'${k}'`).join(", ")}]))`,
  message: RESERVED_ONLY_SELECTOR_MESSAGE,
};
const selectorFields = labelSelector.properties as Record<string, Schema>;
const workspaceLabelSelector: Schema = {
  ...labelSelector,
  properties: { ...selectorFields, matchLabels: { ...selectorFields.matchLabels, ...rules(reservedOnly) } },
};

/** `resource.partition` (v1beta1) of a Workspace and of an InferenceSet's template: BYO nodes only. */
const partitionSchema = obj(
  {
    mode: str({ enum: ["mig", "accelerator"] }),
    profile: str({ description: 'MIG profile, e.g. "1g.10gb"; only with mode "mig".' }),
    count: { type: "integer", minimum: 1, description: 'Whole GPUs per replica; only with mode "accelerator".' },
  },
  { required: ["mode"] },
);

function presetSpec(version: Version): Schema {
  return obj(
    {
      name: str({ description: "Preset short name (e.g. phi-3-mini-4k-instruct) or a HuggingFace id org/model." }),
      accessMode: str({ enum: ["public", "private"], default: "public" }),
      presetOptions: obj({
        image: str(),
        imagePullSecrets: strings(),
        ...(version === "v1beta1" ? { modelAccessSecret: str({ description: "Secret with key HF_TOKEN." }) } : {}),
      }),
    },
    { required: ["name"] },
  );
}

type Version = "v1alpha1" | "v1beta1";

/**
 * `inference` of a Workspace and of an InferenceSet's template. A Workspace's preset is immutable;
 * an InferenceSet's template may change (its children roll to the new one), so the set leaves
 * the transition rule out.
 */
function inferenceSchema(version: Version, { immutablePreset }: { immutablePreset: boolean }): Schema {
  const adapter = obj(
    {
      source: obj(
        {
          name: str({ maxLength: 253 }),
          image: str(),
          imagePullSecrets: strings(),
          urls: strings(),
          volumeSource: freeForm("A Kubernetes VolumeSource holding the adapter."),
        },
        { required: ["name"] },
      ),
      strength: str({
        maxLength: 32,
        ...rules({
          rule: "self.matches('^(0(\\\\.[0-9]+)?|1(\\\\.0+)?|\\\\.[0-9]+)$')",
          message: "strength must be a number between 0.0 and 1.0",
        }),
      }),
    },
    { required: ["source"] },
  );

  return obj(
    {
      preset: presetSpec(version),
      template: freeForm("A PodTemplateSpec for a model without a preset."),
      config: str({ description: "ConfigMap in the same namespace, key inference_config.yaml." }),
      adapters: {
        type: "array",
        items: adapter,
        maxItems: 10,
        ...rules({
          rule: "self.all(a, self.exists_one(b, b.source.name == a.source.name))",
          message: "adapter names must be unique",
        }),
      },
    },
    rules(
      {
        rule: "!(has(self.preset) && has(self.template))",
        message: "Preset and Template cannot be set at the same time",
      },
      { rule: "has(self.preset) || has(self.template)", message: "Either Preset or Template must be specified" },
      ...(immutablePreset
        ? [
            {
              rule: "has(self.preset) == has(oldSelf.preset) && (!has(self.preset) || self.preset == oldSelf.preset)",
              message: "field is immutable",
              fieldPath: ".preset",
            },
          ]
        : []),
    ),
  );
}

function workspaceSchema(version: Version): Schema {
  const resource = obj(
    {
      count: { type: "integer", minimum: 1, default: 1, ...rules(immutable) },
      instanceType: str({
        ...(version === "v1alpha1" ? { default: "Standard_NC24ads_A100_v4" } : {}),
        ...rules(immutable),
      }),
      labelSelector: { ...workspaceLabelSelector, ...rules(immutable) },
      preferredNodes: strings(),
      ...(version === "v1beta1"
        ? {
            partition: { ...partitionSchema, ...rules(immutable) },
          }
        : {}),
    },
    { required: ["labelSelector"] },
  );

  const inference = inferenceSchema(version, { immutablePreset: true });

  const tuning = obj(
    {
      preset: presetSpec(version),
      method: str({
        ...rules({ rule: "self in ['lora', 'qlora']", message: "Invalid tuning method: must be lora or qlora" }),
      }),
      config: str({ description: "ConfigMap in the same namespace, key training_config.yaml." }),
      input: obj(
        {
          name: str(),
          urls: strings(),
          image: str(),
          imagePullSecrets: strings(),
          volumeSource: freeForm("A Kubernetes VolumeSource holding the training data."),
        },
        rules({
          rule: "[has(self.urls), has(self.image), has(self.volumeSource)].filter(x, x).size() == 1",
          message: "Exactly one of urls, image or volumeSource must be specified for the input",
        }),
      ),
      output: obj(
        {
          image: str(),
          imagePushSecret: str(),
          volumeSource: freeForm("A Kubernetes VolumeSource receiving the trained adapter."),
        },
        rules(
          {
            rule: "has(self.image) != has(self.volumeSource)",
            message: "Exactly one of image or volumeSource must be specified for the output",
          },
          {
            rule: "!has(self.image) || has(self.imagePushSecret)",
            message: "imagePushSecret must be specified when the output is an image",
          },
        ),
      ),
    },
    {
      required: ["preset", "input", "output"],
      ...rules(
        { rule: "self.preset == oldSelf.preset", message: "field is immutable", fieldPath: ".preset" },
        {
          rule: "has(self.method) == has(oldSelf.method) && (!has(self.method) || self.method == oldSelf.method)",
          message: "field is immutable",
          fieldPath: ".method",
        },
        {
          rule: "has(self.input.name) == has(oldSelf.input.name) && (!has(self.input.name) || self.input.name == oldSelf.input.name)",
          message: "field is immutable",
          fieldPath: ".input.name",
        },
      ),
    },
  );

  const status = obj({
    workerNodes: strings(),
    conditions: {
      type: "array",
      items: metaCondition,
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["type"],
    },
    ...(version === "v1beta1"
      ? {
          state: str({ description: "Pending|Ready|NotReady (inference), Pending|Running|Succeeded|Failed (tuning)." }),
          targetNodeCount: { type: "integer", format: "int32" },
          performance: { "x-kubernetes-preserve-unknown-fields": true },
        }
      : {}),
  });

  // Kaito has no `spec`: resource/inference/tuning sit beside metadata, so the structural and
  // update rules live on the root object (the only place that sees both inference and tuning).
  return obj(
    {
      apiVersion: str(),
      kind: str(),
      metadata: { type: "object" },
      resource,
      inference,
      tuning,
      status,
    },
    {
      required: ["resource"],
      ...rules(
        {
          rule: "has(self.inference) || has(self.tuning)",
          message: "Either Inference or Tuning must be specified, not neither",
        },
        {
          rule: "!(has(self.inference) && has(self.tuning))",
          message: "Either Inference or Tuning must be specified, but not both",
        },
        {
          rule: "!has(self.tuning) || !has(self.resource.count) || self.resource.count == 1",
          message: "Tuning does not currently support multinode configurations. Please set the node count to 1.",
        },
        {
          rule: "has(self.inference) == has(oldSelf.inference)",
          message: "Inference field cannot be toggled once set",
        },
        { rule: "has(self.tuning) == has(oldSelf.tuning)", message: "Tuning field cannot be toggled once set" },
      ),
    },
  );
}

const conditionColumn = (name: string, type: string) => ({
  name,
  type: "string",
  jsonPath: `.status.conditions[?(@.type=="${type}")].status`,
});

function printerColumns(version: Version) {
  return [
    { name: "Instance", type: "string", jsonPath: ".resource.instanceType" },
    ...[
      ConditionType.ResourceReady,
      ConditionType.InferenceReady,
      ConditionType.JobStarted,
      ConditionType.WorkspaceSucceeded,
    ].map((type) => conditionColumn(type, type)),
    ...(version === "v1beta1"
      ? [
          { name: "TargetNodeCount", type: "integer", jsonPath: ".status.targetNodeCount" },
          { name: "State", type: "string", jsonPath: ".status.state" },
        ]
      : []),
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ];
}

export function workspaceCrd(): Schema {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${WORKSPACE_PLURAL}.${KAITO_GROUP}` },
    spec: {
      group: KAITO_GROUP,
      names: {
        kind: WORKSPACE_KIND,
        listKind: `${WORKSPACE_KIND}List`,
        plural: WORKSPACE_PLURAL,
        singular: "workspace",
        shortNames: ["wk", "wks"],
        categories: ["workspace"],
      },
      scope: "Namespaced",
      versions: WORKSPACE_VERSIONS.map((version) => ({
        name: version,
        served: true,
        storage: version === WORKSPACE_VERSION,
        subresources: { status: {} },
        additionalPrinterColumns: printerColumns(version),
        schema: { openAPIV3Schema: workspaceSchema(version) },
      })),
    },
  };
}

function inferenceSetSchema(version: Version): Schema {
  const template = obj(
    {
      metadata: {
        "x-kubernetes-preserve-unknown-fields": true,
        description: "Labels and annotations for each child Workspace.",
      },
      resource: obj({
        instanceType: str({ description: "The GPU node SKU; empty for BYO nodes." }),
        ...(version === "v1beta1" ? { partition: { ...partitionSchema, ...rules(immutable) } } : {}),
      }),
      inference: inferenceSchema(version, { immutablePreset: false }),
    },
    { required: ["inference"] },
  );
  const maintenanceWindow = obj(
    {
      schedule: str({ description: "5-field cron expression (UTC) opening the window." }),
      duration: str({ default: "4h" }),
    },
    { required: ["schedule"] },
  );
  const spec = obj(
    {
      template,
      replicas: { type: "integer", format: "int32", minimum: 0, default: 1 },
      nodeCountLimit: {
        type: "integer",
        description: "At most this many GPU nodes for the whole set; unlimited when unset.",
      },
      labelSelector,
      updateStrategy: {
        description: "A StatefulSetUpdateStrategy: how children are replaced after a template change.",
        default: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
        "x-kubernetes-preserve-unknown-fields": true,
      },
      autoUpgrade: obj({
        enabled: { type: "boolean", default: false },
        strategy: str({ enum: ["InPlace", "Surge"], default: "InPlace" }),
        maintenanceWindow,
      }),
    },
    { required: ["labelSelector", "template"] },
  );
  const metric = obj(
    {
      description: str(),
      value: str(),
      unit: str(),
      ...(version === "v1beta1" ? { config: { type: "object", additionalProperties: str() } } : {}),
    },
    { required: ["description", "value"] },
  );
  const status = obj({
    replicas: { type: "integer" },
    readyReplicas: { type: "integer" },
    selector: str(),
    conditions: {
      type: "array",
      items: metaCondition,
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["type"],
    },
    performance: obj({ metrics: { type: "object", additionalProperties: metric } }),
    autoUpgrade: obj({
      numDriftedWorkspaces: { type: "integer" },
      lastSuccessfulUpgradeTime: str({ format: "date-time" }),
    }),
  });
  return obj({ apiVersion: str(), kind: str(), metadata: { type: "object" }, spec, status }, { required: ["spec"] });
}

/** Upstream's InferenceSet CRD: both versions served, v1beta1 stored, status and scale subresources. */
export function inferenceSetCrd(): Schema {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${INFERENCESET_PLURAL}.${KAITO_GROUP}` },
    spec: {
      group: KAITO_GROUP,
      names: {
        kind: INFERENCESET_KIND,
        listKind: `${INFERENCESET_KIND}List`,
        plural: INFERENCESET_PLURAL,
        singular: "inferenceset",
        shortNames: [...INFERENCESET_SHORT_NAMES],
        categories: ["inferenceset"],
      },
      scope: "Namespaced",
      versions: INFERENCESET_VERSIONS.map((version) => ({
        name: version,
        served: true,
        storage: version === INFERENCESET_VERSION,
        subresources: {
          status: {},
          // What `kubectl scale`, an HPA and a KEDA ScaledObject read and write.
          scale: {
            specReplicasPath: ".spec.replicas",
            statusReplicasPath: ".status.replicas",
            labelSelectorPath: ".status.selector",
          },
        },
        additionalPrinterColumns: [
          { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
          { name: "ReadyReplicas", type: "integer", jsonPath: ".status.readyReplicas" },
          { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
        ],
        schema: { openAPIV3Schema: inferenceSetSchema(version) },
      })),
    },
  };
}

const quantity: Schema = {
  "x-kubernetes-int-or-string": true,
  pattern:
    "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
};
const resourceList: Schema = { type: "object", additionalProperties: quantity };
const taint = obj(
  {
    key: str(),
    value: str(),
    effect: str({ enum: ["NoSchedule", "PreferNoSchedule", "NoExecute"] }),
    timeAdded: str(),
  },
  { required: ["key", "effect"] },
);

/** The subset of karpenter's NodeClaim (karpenter.sh/v1) that Kaito writes and reads. */
export function nodeClaimCrd(): Schema {
  const condition = obj(
    {
      type: str(),
      status: str({ enum: ["True", "False", "Unknown"] }),
      reason: str(),
      message: str(),
      lastTransitionTime: str({ format: "date-time" }),
      observedGeneration: { type: "integer", format: "int64" },
    },
    { required: ["type", "status", "lastTransitionTime"] },
  );
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "nodeclaims.karpenter.sh" },
    spec: {
      group: "karpenter.sh",
      names: {
        kind: "NodeClaim",
        listKind: "NodeClaimList",
        plural: "nodeclaims",
        singular: "nodeclaim",
        categories: ["karpenter"],
      },
      scope: "Cluster",
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: "Type", type: "string", jsonPath: ".metadata.labels.node\\.kubernetes\\.io/instance-type" },
            { name: "Node", type: "string", jsonPath: ".status.nodeName" },
            conditionColumn("Ready", "Ready"),
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          schema: {
            openAPIV3Schema: obj(
              {
                apiVersion: str(),
                kind: str(),
                metadata: { type: "object" },
                spec: obj(
                  {
                    nodeClassRef: obj(
                      { group: str(), kind: str(), name: str() },
                      { required: ["group", "kind", "name"] },
                    ),
                    taints: { type: "array", items: taint },
                    startupTaints: { type: "array", items: taint },
                    requirements: {
                      type: "array",
                      items: obj(
                        { key: str(), operator: str(), values: strings(), minValues: { type: "integer" } },
                        { required: ["key", "operator"] },
                      ),
                    },
                    resources: obj({ requests: resourceList }),
                    expireAfter: str(),
                    terminationGracePeriod: str(),
                  },
                  { required: ["nodeClassRef", "requirements"] },
                ),
                status: obj({
                  providerID: str(),
                  nodeName: str(),
                  imageID: str(),
                  capacity: resourceList,
                  allocatable: resourceList,
                  conditions: { type: "array", items: condition },
                  lastPodEventTime: str({ format: "date-time" }),
                }),
              },
              { required: ["spec"] },
            ),
          },
        },
      ],
    },
  };
}

/**
 * Chart-relative paths. Kaito's CRDs are files the chart templates (crds.install); the borrowed
 * NodeClaim CRD stays in Helm's crds/ folder, installed only where no Karpenter put one.
 */
export const CRD_FILES = {
  "files/crds/workspaces.kaito.sh.yaml": workspaceCrd,
  "files/crds/inferencesets.kaito.sh.yaml": inferenceSetCrd,
  "crds/nodeclaims.karpenter.sh.yaml": nodeClaimCrd,
} as const;

export const crdPath = (file: string) => path.join(CHART, file);

export function renderCrdFile(render: () => Schema): string {
  return `# Generated by dev/cluster/crds/render-crds.ts — edit that file, then run it.\n${stringify(render(), { lineWidth: 0 })}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  for (const [file, render] of Object.entries(CRD_FILES)) {
    writeFileSync(crdPath(file), renderCrdFile(render));
    console.log(`wrote ${crdPath(file)}`);
  }
}
