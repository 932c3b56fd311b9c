import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";

import { QueryProvider } from "@/components/providers/query-provider";
import { AppShell } from "@/components/shell/app-shell";
import { parseThemePreference, THEME_COOKIE } from "@/components/shell/theme";
import { ToastProvider } from "@/components/ui/toast";
import { getSessionPrincipal } from "@/server/auth/get-session-principal";

import "./globals.css";

export const metadata: Metadata = { title: "kaito-dashboard", description: "LLM inference on Kubernetes GPUs" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const principal = await getSessionPrincipal();
  const theme = parseThemePreference((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme}>
      <body>
        <QueryProvider>
          <ToastProvider>
            {principal ? (
              <AppShell user={{ email: principal.email, name: principal.name, role: principal.role }} theme={theme}>
                {children}
              </AppShell>
            ) : (
              children
            )}
          </ToastProvider>
        </QueryProvider>
      </body>
    </html>
  );
}
