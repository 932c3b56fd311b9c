"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";

import { focusRing } from "@/components/ui/button";

/**
 * The app's banner: a sidebar from 768 px up; below that a bar whose Menu button shows the same
 * contents, so that a phone-width page keeps its whole width for the content.
 */
export function Sidebar({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  // Following a link closes the menu (adjusting state while rendering, as React recommends).
  const [openedAt, setOpenedAt] = useState(pathname);
  if (openedAt !== pathname) {
    setOpenedAt(pathname);
    setOpen(false);
  }
  return (
    <header className="z-10 flex shrink-0 flex-col gap-4 border-b border-zinc-200 bg-zinc-50 p-3 md:sticky md:top-0 md:h-screen md:w-52 md:border-r md:border-b-0 xl:w-56 dark:border-zinc-800 dark:bg-zinc-950">
      <div className="flex items-center justify-between gap-2">
        <Link href="/" className={`rounded-md px-3 pt-1 text-base font-semibold ${focusRing}`}>
          kaito-dashboard
        </Link>
        <button
          type="button"
          aria-expanded={open}
          aria-controls="shell-menu"
          onClick={() => setOpen(!open)}
          className={`rounded-md border border-zinc-300 px-3 py-1 text-sm md:hidden dark:border-zinc-700 ${focusRing}`}
        >
          Menu
        </button>
      </div>
      <div id="shell-menu" className={`${open ? "flex" : "hidden"} flex-1 flex-col gap-4 md:flex`}>
        {children}
      </div>
    </header>
  );
}
