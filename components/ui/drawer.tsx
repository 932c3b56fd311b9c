"use client";

import type { ReactNode } from "react";

import { Dialog } from "./dialog";

/** A side panel for details; a modal dialog pinned to the right edge. */
export function Drawer(props: { open: boolean; onClose: () => void; title: string; children: ReactNode }) {
  return <Dialog {...props} className="mr-0 h-full max-h-full max-w-2xl overflow-y-auto rounded-none" />;
}
