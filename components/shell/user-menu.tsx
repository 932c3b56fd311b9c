"use client";

import { signOut } from "next-auth/react";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

export function UserMenu({ email, name, role }: { email: string; name: string | null; role: string }) {
  return (
    <div className="flex flex-col gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
      <div className="min-w-0">
        <p className="truncate text-sm font-medium text-zinc-900 dark:text-zinc-100" data-testid="user-email">
          {name ?? email}
        </p>
        <p className="truncate text-xs text-zinc-500">{name ? email : null}</p>
        <Badge tone={role === "admin" ? "danger" : role === "operator" ? "info" : "neutral"}>{role}</Badge>
      </div>
      <Button variant="secondary" size="sm" onClick={() => signOut({ redirectTo: "/login" })}>
        Sign out
      </Button>
    </div>
  );
}
