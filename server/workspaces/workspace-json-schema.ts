import "server-only";

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { parseAllDocuments } from "yaml";

import { KAITO_GROUP, WORKSPACE_KIND } from "@/lib/kaito/api";

export type JsonSchema = { [key: string]: unknown };

const CRD_DIR = path.resolve(process.cwd(), "charts/kaito-dashboard/files/crds");

type CrdVersion = { name: string; schema?: { openAPIV3Schema?: JsonSchema } };
type Crd = { kind?: string; spec?: { group?: string; names?: { kind?: string }; versions?: CrdVersion[] } };

/**
 * OpenAPI v3 as Kubernetes uses it → JSON Schema for ajv. Unknown fields are made errors
 * (`additionalProperties: false`) because `kubectl apply` validates strictly by default: a typo
 * such as `instancetype` must fail here too, not be silently pruned by the apiserver.
 */
export function toJsonSchema(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-kubernetes-")) continue;
    if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, child]) => [name, toJsonSchema(child)]),
      );
    } else if ((key === "items" || key === "additionalProperties") && value && typeof value === "object") {
      out[key] = toJsonSchema(value as JsonSchema);
    } else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
      out[key] = value.map((v) => toJsonSchema(v as JsonSchema));
    } else {
      out[key] = value;
    }
  }
  if (node["x-kubernetes-int-or-string"]) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  const keepsUnknown =
    node["x-kubernetes-preserve-unknown-fields"] === true || node["x-kubernetes-embedded-resource"] === true;
  if (out.properties && !keepsUnknown && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function readKaitoCrd(kind: string, dir: string): Crd {
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    for (const doc of parseAllDocuments(readFileSync(path.join(dir, file), "utf8"))) {
      const crd = doc.toJS() as Crd | null;
      if (crd?.kind === "CustomResourceDefinition" && crd.spec?.group === KAITO_GROUP && crd.spec.names?.kind === kind)
        return crd;
    }
  }
  throw new Error(`No ${kind} CustomResourceDefinition found in ${dir}`);
}

const cache = new Map<string, JsonSchema>();

/**
 * The JSON schema of one served version of a Kaito kind (Workspace, InferenceSet), derived from
 * the CRD in the Helm chart — the single source of the shape. `metadata` is tightened to what a
 * create needs, because the CRD leaves it as a bare object (the apiserver validates it separately).
 */
export function getKaitoJsonSchema(kind: string, version: string, dir = CRD_DIR): JsonSchema {
  const cacheKey = `${dir}:${kind}:${version}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const crd = readKaitoCrd(kind, dir);
  const served = crd.spec?.versions?.find((v) => v.name === version)?.schema?.openAPIV3Schema;
  if (!served) throw new Error(`The ${kind} CRD does not serve version ${version}`);
  const schema = toJsonSchema(served);
  const properties = { ...(schema.properties as Record<string, JsonSchema>) };
  properties.apiVersion = { type: "string", enum: [`${KAITO_GROUP}/${version}`] };
  properties.kind = { type: "string", enum: [kind] };
  properties.metadata = {
    type: "object",
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 1, maxLength: 63 },
      namespace: { type: "string" },
      labels: { type: "object", additionalProperties: { type: "string" } },
      annotations: { type: "object", additionalProperties: { type: "string" } },
    },
  };
  // Status belongs to the controller; the apiserver ignores it on create, so accept anything there.
  properties.status = {};
  const result: JsonSchema = {
    ...schema,
    properties,
    required: [...new Set([...((schema.required as string[]) ?? []), "apiVersion", "kind", "metadata"])],
    additionalProperties: false,
  };
  cache.set(cacheKey, result);
  return result;
}

export function getWorkspaceJsonSchema(version = "v1beta1", dir = CRD_DIR): JsonSchema {
  return getKaitoJsonSchema(WORKSPACE_KIND, version, dir);
}
