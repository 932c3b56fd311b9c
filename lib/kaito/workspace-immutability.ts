// What the Workspace API lets change after creation. The rules are the CRD's own
// x-kubernetes-validations (charts/kaito-dashboard/files/crds/workspaces.kaito.sh.yaml, as upstream Kaito
// ships them; docs/kaito-api.md); checking them here lets the edit page say so at the field
// before the API server refuses the whole update. Isomorphic: the edit form and the server use it.

/** The parts of a Workspace a person edits: no status, no server-owned metadata. */
export type EditableWorkspace = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  resource?: Record<string, unknown> & { count?: number };
  inference?: Record<string, unknown> & { preset?: unknown; template?: unknown };
  tuning?: Record<string, unknown> & { preset?: unknown; method?: unknown; input?: { name?: unknown } };
};

export type ImmutableField = { path: string; reason: string };

const CRD_RULE = "The Workspace CRD refuses changes to this field (x-kubernetes-validations: field is immutable)";

/** Every field the API forbids changing, with why, in the order the form shows them. */
export const IMMUTABLE_FIELDS: readonly ImmutableField[] = [
  { path: "metadata.name", reason: "A Kubernetes object cannot be renamed; create a new Workspace instead" },
  { path: "metadata.namespace", reason: "A Kubernetes object cannot move to another namespace" },
  { path: "resource.count", reason: `${CRD_RULE}: the nodes were provisioned for it` },
  { path: "resource.instanceType", reason: `${CRD_RULE}: the nodes were provisioned for it` },
  { path: "resource.labelSelector", reason: `${CRD_RULE}: the nodes were provisioned and labelled for it` },
  { path: "inference.preset", reason: `${CRD_RULE}: the model, its options and its access secret are fixed` },
  { path: "inference.template", reason: "A preset Workspace cannot become a template one, nor the reverse" },
  { path: "inference", reason: "Inference field cannot be toggled once set (Workspace CRD rule)" },
  { path: "tuning", reason: "Tuning field cannot be toggled once set (Workspace CRD rule)" },
  { path: "tuning.preset", reason: CRD_RULE },
  { path: "tuning.method", reason: CRD_RULE },
  { path: "tuning.input.name", reason: CRD_RULE },
];

// Rules on whether a section exists at all, not on the fields inside it.
const PRESENCE_RULES = new Set(["inference", "tuning", "inference.template"]);

/** The reason a field cannot change, if it cannot: the field itself or any field inside one that cannot. */
export function lockedReason(path: string): string | undefined {
  return IMMUTABLE_FIELDS.find((f) => !PRESENCE_RULES.has(f.path) && (path === f.path || path.startsWith(`${f.path}.`)))
    ?.reason;
}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** The document the edit page shows for a live Workspace. */
export function editableWorkspace(ws: {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  resource?: unknown;
  inference?: unknown;
  tuning?: unknown;
}): EditableWorkspace {
  const { [LAST_APPLIED]: _lastApplied, ...annotations } = ws.metadata.annotations ?? {};
  return {
    apiVersion: ws.apiVersion,
    kind: ws.kind,
    metadata: {
      name: ws.metadata.name ?? "",
      namespace: ws.metadata.namespace ?? "",
      ...(ws.metadata.labels && Object.keys(ws.metadata.labels).length > 0 ? { labels: ws.metadata.labels } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    ...(ws.resource !== undefined ? { resource: ws.resource as EditableWorkspace["resource"] } : {}),
    ...(ws.inference !== undefined ? { inference: ws.inference as EditableWorkspace["inference"] } : {}),
    ...(ws.tuning !== undefined ? { tuning: ws.tuning as EditableWorkspace["tuning"] } : {}),
  };
}

/** JSON equality that ignores key order. */
export function sameValue(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function valueAt(object: unknown, path: string): unknown {
  let node = object;
  for (const segment of path.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/**
 * The immutable fields a proposed document changes. `resource.count` defaults to 1 in the CRD, so
 * leaving it out is no change when it was 1.
 */
export function immutableChanges(before: EditableWorkspace, after: EditableWorkspace): ImmutableField[] {
  const normalise = (path: string, value: unknown) => (path === "resource.count" && value === undefined ? 1 : value);
  return IMMUTABLE_FIELDS.filter((field) => {
    if (field.path === "inference" || field.path === "tuning")
      return (valueAt(before, field.path) === undefined) !== (valueAt(after, field.path) === undefined);
    if (field.path === "inference.template")
      return (
        valueAt(before, "inference") !== undefined &&
        valueAt(after, "inference") !== undefined &&
        (valueAt(before, field.path) === undefined) !== (valueAt(after, field.path) === undefined)
      );
    // Inside inference or tuning, the rules only compare what both versions have.
    const section = field.path.split(".")[0];
    if (
      (section === "inference" || section === "tuning") &&
      (valueAt(before, section) === undefined || valueAt(after, section) === undefined)
    )
      return false;
    return !sameValue(
      normalise(field.path, valueAt(before, field.path)),
      normalise(field.path, valueAt(after, field.path)),
    );
  });
}
