import "server-only";

import { KAITO_GROUP } from "@/lib/kaito/api";
import { INFERENCESET_PLURAL, INFERENCESET_VERSION } from "@/lib/kaito/inferenceset";

// Names come from URLs and forms: encoded, so that a "namespace" like `../../api` cannot walk
// the apiserver's path to another resource.
const seg = encodeURIComponent;

/** Every InferenceSet in the cluster (the web's watch cache). */
export const ALL_INFERENCESETS_PATH = `/apis/${KAITO_GROUP}/${INFERENCESET_VERSION}/${INFERENCESET_PLURAL}`;

/** One InferenceSet, or its `subresource` (`scale`, `status`). */
export function inferenceSetPath(namespace: string, name: string, subresource?: string): string {
  return `/apis/${KAITO_GROUP}/${INFERENCESET_VERSION}/namespaces/${seg(namespace)}/${INFERENCESET_PLURAL}/${seg(name)}${subresource ? `/${subresource}` : ""}`;
}

/** The InferenceSets of one namespace in `version` (a create keeps the version the document names). */
export function inferenceSetsPath(namespace: string, version: string = INFERENCESET_VERSION): string {
  return `/apis/${KAITO_GROUP}/${seg(version)}/namespaces/${seg(namespace)}/${INFERENCESET_PLURAL}`;
}
