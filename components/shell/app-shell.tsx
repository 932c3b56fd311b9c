import type { ReactNode } from "react";

import { ClusterIndicator } from "./cluster-indicator";
import { Sidebar } from "./sidebar";
import { SidebarNav } from "./sidebar-nav";
import type { ThemePreference } from "./theme";
import { ThemeSwitch } from "./theme-switch";
import { UserMenu } from "./user-menu";

/** Every signed-in page: the sidebar (the banner landmark) and the page's content as the one <main>. */
export function AppShell({
  user,
  theme,
  children,
}: {
  user: { email: string; name: string | null; role: string };
  theme: ThemePreference;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-1 dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      <Sidebar>
        <SidebarNav />
        <div className="mt-auto flex flex-col gap-3">
          <div className="px-1">
            <ClusterIndicator />
          </div>
          <ThemeSwitch initial={theme} />
          <UserMenu {...user} />
        </div>
      </Sidebar>
      <main id="main" className="min-w-0 flex-1 p-4 md:p-6">
        {children}
      </main>
    </div>
  );
}
