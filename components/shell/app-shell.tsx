import Link from "next/link";
import type { ReactNode } from "react";

import { ClusterIndicator } from "./cluster-indicator";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu } from "./user-menu";

export function AppShell({
  user,
  children,
}: {
  user: { email: string; name: string | null; role: string };
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-1"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 flex h-screen w-56 shrink-0 flex-col gap-4 border-r border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-950">
        <Link href="/" className="px-3 pt-1 text-base font-semibold text-zinc-900 dark:text-zinc-100">
          kaito-dashboard
        </Link>
        <SidebarNav />
        <div className="mt-auto flex flex-col gap-3">
          <div className="px-1">
            <ClusterIndicator />
          </div>
          <UserMenu {...user} />
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 p-6">
        {children}
      </main>
    </div>
  );
}
