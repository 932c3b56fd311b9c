import { redirect } from "next/navigation";

import { requirePrincipal } from "@/server/auth/require-principal";

export default async function Home({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  await requirePrincipal();
  if ((await searchParams).denied) {
    return (
      <div
        role="alert"
        className="max-w-lg rounded-md border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950"
      >
        Your role does not allow that page. Ask an administrator for a higher role.
      </div>
    );
  }
  redirect("/workspaces");
}
