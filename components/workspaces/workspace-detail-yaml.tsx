import { stringify } from "yaml";

import type { Workspace } from "@/server/kube/types/workspace";

import { DetailSection } from "./workspace-detail-section";

/** The live object as `kubectl get -o yaml` shows it, without the managedFields noise. */
export function WorkspaceDetailYaml({ workspace: ws }: { workspace: Workspace }) {
  const { metadata, ...rest } = ws;
  const { managedFields: _managed, ...shownMetadata } = metadata as typeof metadata & { managedFields?: unknown };
  const liveYaml = stringify({
    ...rest,
    metadata: shownMetadata,
    status: ws.status,
    apiVersion: ws.apiVersion,
    kind: ws.kind,
  });
  return (
    <DetailSection title="Live YAML" testId="live-yaml">
      <pre
        className="max-h-[32rem] overflow-auto rounded-md bg-zinc-950 p-3 text-xs text-zinc-100"
        tabIndex={0}
        role="region"
        aria-label="Live YAML"
      >
        {liveYaml}
      </pre>
    </DetailSection>
  );
}
