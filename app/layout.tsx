import type { Metadata } from "next";
import type { ReactNode } from "react";

import { QueryProvider } from "@/components/providers/query-provider";
import { AppShell } from "@/components/shell/app-shell";
import { ToastProvider } from "@/components/ui/toast";
import { getSessionPrincipal } from "@/server/auth/get-session-principal";

import "./globals.css";

export const metadata: Metadata = { title: "kaito-dashboard", description: "LLM inference on Kubernetes GPUs" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const principal = await getSessionPrincipal();
  return (
    <html lang="en">
      <body>
        <QueryProvider>
          <ToastProvider>
            {principal ? (
              <AppShell user={{ email: principal.email, name: principal.name, role: principal.role }}>
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
