import { isMap, parseDocument, stringify } from "yaml";

import { WORKSPACE_API_VERSION, WORKSPACE_KIND } from "@/lib/kaito/api";

export type DraftPath = (string | number)[];

/** A Workspace as the form reads it; the YAML text stays the one source the user edits. */
export type DraftObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  resource?: {
    count?: number;
    instanceType?: string;
    labelSelector?: { matchLabels?: Record<string, string> };
    preferredNodes?: string[];
  };
  inference?: {
    preset?: { name?: string; presetOptions?: { modelAccessSecret?: string } };
    config?: string;
    adapters?: { source?: { name?: string; image?: string }; strength?: string }[];
  };
  tuning?: unknown;
};

export function initialDraftYaml(presetName: string, instanceType: string): string {
  return stringify({
    apiVersion: WORKSPACE_API_VERSION,
    kind: WORKSPACE_KIND,
    metadata: {
      name: presetName
        ? presetName
            .replace(/[^a-z0-9-]/g, "-")
            .replace(/^-+|-+$/g, "")
            .slice(0, 40)
        : "",
      namespace: "default",
    },
    resource: { instanceType, labelSelector: { matchLabels: { apps: presetName.split(/[-./]/)[0] || "llm" } } },
    inference: { preset: { name: presetName } },
  });
}

/** Parses the editor text; a syntax error keeps the form on the last good object. */
export function readDraft(yaml: string): { object: DraftObject | null; syntaxError: string | null } {
  const doc = parseDocument(yaml);
  if (doc.errors.length > 0) return { object: null, syntaxError: doc.errors[0].message.split("\n")[0] };
  const value = doc.toJS();
  if (!value || typeof value !== "object" || Array.isArray(value))
    return { object: null, syntaxError: "The document must be a mapping" };
  return { object: value as DraftObject, syntaxError: null };
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === "" ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)
  );
}

/**
 * Sets one field from the form into the YAML, keeping the user's comments, key order and
 * everything the form does not know. Empty values remove the key, and a parent left empty
 * goes too, so the YAML stays what a person would write.
 */
export function setDraftValue(yaml: string, path: DraftPath, value: unknown): string {
  const doc = parseDocument(yaml);
  if (doc.errors.length > 0) return yaml;
  if (isEmpty(value)) {
    if (doc.hasIn(path)) doc.deleteIn(path);
    for (let depth = path.length - 1; depth > 0; depth--) {
      const parent = doc.getIn(path.slice(0, depth), true);
      if (isMap(parent) && parent.items.length === 0) doc.deleteIn(path.slice(0, depth));
      else break;
    }
  } else {
    doc.setIn(path, doc.createNode(value));
  }
  return doc.toString();
}
