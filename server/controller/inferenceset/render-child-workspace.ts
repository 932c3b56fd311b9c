import "server-only";

import { createHash } from "node:crypto";

import { WORKSPACE_API_VERSION, WORKSPACE_KIND } from "@/lib/kaito/api";
import { ANNOTATION_DISABLE_BENCHMARK } from "@/lib/kaito/performance";
import {
  ANNOTATION_REPLICA_INDEX,
  ANNOTATION_TEMPLATE_HASH,
  INFERENCESET_API_VERSION,
  INFERENCESET_KIND,
  LABEL_CREATED_BY_INFERENCESET,
} from "@/lib/kaito/inferenceset";
import type { InferenceSet } from "@/server/kube/types/inferenceset";
import type { Workspace } from "@/server/kube/types/workspace";

import { canonical } from "../compute-workspace-status";

// kube-apiserver's generateName alphabet (no vowels, no 0/1/3): children look like the ones
// upstream's controller makes (`phi-4-mini-set-fkbb6`).
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const SUFFIX_LENGTH = 5;
const MAX_NAME = 63;

/**
 * The child's name for slot `index`: the set's name and five characters drawn from a hash of the
 * set's uid, its spec generation and the slot. Upstream draws them at random; a derived suffix
 * means a worker that dies after "create" and before it sees the child re-creates the same name
 * (AlreadyExists) instead of a duplicate, and a set recreated under the same name gets new child
 * names. The generation keeps a replacement (after a template change, or a scale down and up)
 * from taking the name of the child it replaces: that child's StatefulSet pod, named after it,
 * can outlive its node (PodGC removes such a pod only after a 40 s quarantine), and a new child
 * of the same name would wait for it, or count it as its own.
 */
export function childName(set: InferenceSet, index: number): string {
  const digest = createHash("sha256")
    .update(`${set.metadata.uid}/${set.metadata.generation ?? 0}/${index}`)
    .digest();
  const suffix = Array.from(digest.subarray(0, SUFFIX_LENGTH), (b) => ALPHABET[b % ALPHABET.length]).join("");
  return `${set.metadata.name.slice(0, MAX_NAME - SUFFIX_LENGTH - 1)}-${suffix}`;
}

/** What a child is made from: the template and the selector (a change to either is a new revision). */
export function templateHash(set: InferenceSet): string {
  return createHash("sha256")
    .update(canonical({ template: set.spec.template, labelSelector: set.spec.labelSelector }))
    .digest("hex")
    .slice(0, 16);
}

/** The slot a child fills, from our annotation; NaN for a child without one. */
export function replicaIndex(ws: Workspace): number {
  return Number.parseInt(ws.metadata.annotations?.[ANNOTATION_REPLICA_INDEX] ?? "", 10);
}

/**
 * The child Workspace for slot `index`, as upstream's controller renders it: the template's
 * labels and annotations plus the created-by label, the benchmark opt-out copied from the set,
 * the set's labelSelector as the node selector, and the set as controlling owner (so deleting
 * the set also deletes it through the garbage collector, even without this worker).
 */
export function renderChildWorkspace(set: InferenceSet, index: number): Workspace {
  const template = set.spec.template;
  const annotations: Record<string, string> = { ...template.metadata?.annotations };
  if (set.metadata.annotations?.[ANNOTATION_DISABLE_BENCHMARK] === "true")
    annotations[ANNOTATION_DISABLE_BENCHMARK] = "true";
  annotations[ANNOTATION_REPLICA_INDEX] = String(index);
  annotations[ANNOTATION_TEMPLATE_HASH] = templateHash(set);
  const partition = template.resource?.partition;
  return {
    apiVersion: WORKSPACE_API_VERSION,
    kind: WORKSPACE_KIND,
    metadata: {
      name: childName(set, index),
      namespace: set.metadata.namespace,
      labels: { ...template.metadata?.labels, [LABEL_CREATED_BY_INFERENCESET]: set.metadata.name },
      annotations,
      ownerReferences: [
        {
          apiVersion: INFERENCESET_API_VERSION,
          kind: INFERENCESET_KIND,
          name: set.metadata.name,
          uid: set.metadata.uid!,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    resource: {
      ...(template.resource?.instanceType ? { instanceType: template.resource.instanceType } : {}),
      labelSelector: set.spec.labelSelector,
      ...(partition ? { partition } : {}),
    },
    inference: template.inference,
  } as Workspace;
}

/** True when `ws` is a child this set controls (by uid: a same-named earlier set's children are not). */
export function isChildOf(ws: Workspace, set: InferenceSet): boolean {
  return !!ws.metadata.ownerReferences?.some(
    (r) => r.controller && r.kind === INFERENCESET_KIND && r.uid === set.metadata.uid,
  );
}
