"use client";

import { useState } from "react";

import { Drawer } from "@/components/ui/drawer";
import { Table, Td, Th } from "@/components/ui/table";

import { AuditEventDetail, type AuditEventRow } from "./audit-event-detail";
import { OutcomeBadge } from "./outcome-badge";

const time = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");

export function AuditTable({ events }: { events: AuditEventRow[] }) {
  const [selected, setSelected] = useState<AuditEventRow | null>(null);
  if (events.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500 dark:border-zinc-700">
        No audit events match these filters.
      </p>
    );
  }
  return (
    <>
      <Table>
        <thead>
          <tr>
            <Th>Time (UTC)</Th>
            <Th>Actor</Th>
            <Th>Action</Th>
            <Th>Target</Th>
            <Th>Outcome</Th>
            <Th>Summary</Th>
          </tr>
        </thead>
        <tbody data-testid="audit-rows">
          {events.map((event) => (
            <tr
              key={event.id}
              className="cursor-pointer hover:bg-zinc-50 dark:hover:bg-zinc-900"
              onClick={() => setSelected(event)}
            >
              <Td className="font-mono text-xs whitespace-nowrap">{time(event.occurredAt)}</Td>
              <Td className="max-w-48 truncate">
                {event.actorEmail ?? <span className="text-zinc-500 dark:text-zinc-400">anonymous</span>}
              </Td>
              <Td className="font-mono text-xs">
                <button
                  type="button"
                  className="text-left hover:underline"
                  onClick={() => setSelected(event)}
                  aria-label={`Details of ${event.action} at ${time(event.occurredAt)}`}
                >
                  {event.action}
                </button>
              </Td>
              <Td className="max-w-56 truncate text-xs">
                {event.targetName
                  ? `${event.targetKind ?? ""} ${event.targetNamespace ? `${event.targetNamespace}/` : ""}${event.targetName}`
                  : "–"}
              </Td>
              <Td>
                <OutcomeBadge outcome={event.outcome} />
              </Td>
              <Td className="max-w-md truncate">{event.summary}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Drawer
        open={selected !== null}
        onClose={() => setSelected(null)}
        title={selected ? `${selected.action} · #${selected.id}` : "Event"}
      >
        {selected ? <AuditEventDetail event={selected} /> : null}
      </Drawer>
    </>
  );
}
