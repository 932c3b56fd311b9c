import Link from "next/link";

import { Table, Td, Th } from "@/components/ui/table";
import type { AdapterListing } from "@/server/adapters/list-adapters";

import { formatBytes, shortDigest } from "./format-bytes";

export function AdapterTable({ adapters }: { adapters: AdapterListing[] }) {
  if (adapters.length === 0) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        No adapters yet. Upload one to attach it to a workspace.
      </p>
    );
  }
  return (
    <Table aria-label="Adapters">
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Base model</Th>
          <Th>Size</Th>
          <Th>Digest</Th>
          <Th>Uploaded</Th>
          <Th>Attached to</Th>
        </tr>
      </thead>
      <tbody>
        {adapters.map((a) => (
          <tr key={a.id}>
            <Td>
              <Link
                href={`/adapters/${a.name}`}
                className="font-medium text-blue-700 hover:underline dark:text-blue-400"
              >
                {a.name}
              </Link>
            </Td>
            <Td>{a.baseModel}</Td>
            <Td>{formatBytes(a.sizeBytes)}</Td>
            <Td>
              <code title={a.digest}>{shortDigest(a.digest)}</code>
            </Td>
            <Td>
              {a.uploadedByEmail}
              <br />
              <time dateTime={a.createdAt} className="text-xs text-zinc-500">
                {new Date(a.createdAt).toISOString().replace("T", " ").slice(0, 16)} UTC
              </time>
            </Td>
            <Td>
              {a.attachedTo === null
                ? "unknown"
                : a.attachedTo.length === 0
                  ? "—"
                  : a.attachedTo.map((w) => `${w.namespace}/${w.workspace}`).join(", ")}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
