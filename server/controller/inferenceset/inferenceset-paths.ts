import "server-only";

import { KAITO_GROUP } from "@/lib/kaito/api";
import { INFERENCESET_PLURAL, INFERENCESET_VERSION } from "@/lib/kaito/inferenceset";

export const INFERENCESETS_PATH = `/apis/${KAITO_GROUP}/${INFERENCESET_VERSION}/${INFERENCESET_PLURAL}`;

export function inferenceSetPath(set: { metadata: { namespace?: string; name?: string } }): string {
  return `/apis/${KAITO_GROUP}/${INFERENCESET_VERSION}/namespaces/${set.metadata.namespace}/${INFERENCESET_PLURAL}/${set.metadata.name}`;
}
