"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";

import type { AuditProtection, SettingsActions, UserRow } from "./types";

export function UsersPanel({
  users,
  me,
  auditProtection,
  actions,
}: {
  users: UserRow[];
  me: { userId: string };
  auditProtection: AuditProtection;
  actions: SettingsActions;
}) {
  const router = useRouter();
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  const onCreate = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const result = await actions.createUserAction(Object.fromEntries(form));
    if (!result.ok) {
      setErrors(result.error.fieldErrors ?? {});
      toast(result.error.message, "error");
      return;
    }
    setErrors({});
    formElement.reset();
    toast("User created", "success");
    router.refresh();
  };

  const update = async (user: UserRow, change: { role?: string; disabled?: boolean }) => {
    const result = await actions.updateUserAction({ userId: user.id, ...change });
    toast(result.ok ? `Updated ${user.email}` : result.error.message, result.ok ? "success" : "error");
    router.refresh();
  };

  return (
    <div className="flex flex-col gap-6">
      <AuditProtectionNote protection={auditProtection} />
      <form
        onSubmit={onCreate}
        className="grid grid-cols-1 gap-3 md:grid-cols-5 md:items-end"
        aria-label="Create a user"
      >
        <FormField id="user-email" label="Email" error={errors.email?.[0]}>
          <Input id="user-email" name="email" type="email" required maxLength={320} />
        </FormField>
        <FormField id="user-name" label="Name" error={errors.name?.[0]}>
          <Input id="user-name" name="name" maxLength={200} />
        </FormField>
        <FormField id="user-role" label="Role">
          <Select id="user-role" name="role" defaultValue="viewer">
            <option value="viewer">viewer</option>
            <option value="operator">operator</option>
            <option value="admin">admin</option>
          </Select>
        </FormField>
        <FormField id="user-password" label="Initial password" error={errors.password?.[0]}>
          <Input
            id="user-password"
            name="password"
            type="password"
            required
            minLength={12}
            maxLength={200}
            autoComplete="new-password"
          />
        </FormField>
        <Button type="submit">Create user</Button>
      </form>
      <Table>
        <thead>
          <tr>
            <Th>Email</Th>
            <Th>Name</Th>
            <Th>Role</Th>
            <Th>Kubernetes</Th>
            <Th>Status</Th>
            <Th>Last sign-in</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <Td>
                {user.email} {user.external ? <Badge tone="info">SSO</Badge> : null}
              </Td>
              <Td>{user.name ?? "—"}</Td>
              <Td>
                <Select
                  aria-label={`Role of ${user.email}`}
                  value={user.role}
                  onChange={(e) => update(user, { role: e.target.value })}
                  className="w-auto"
                >
                  <option value="viewer">viewer</option>
                  <option value="operator">operator</option>
                  <option value="admin">admin</option>
                </Select>
              </Td>
              <Td>
                {user.kube ? (
                  <div className="flex flex-col gap-0.5 text-xs">
                    <code>{user.kube.user}</code>
                    <span>
                      {user.kube.namespaces === "all"
                        ? "all namespaces"
                        : user.kube.namespaces.length
                          ? user.kube.namespaces.join(", ")
                          : "no namespace"}
                    </span>
                  </div>
                ) : (
                  "—"
                )}
              </Td>
              <Td>
                {user.disabled ? (
                  <Badge tone="danger">disabled</Badge>
                ) : user.lockedUntil ? (
                  <Badge tone="warning">locked</Badge>
                ) : (
                  <Badge tone="success">active</Badge>
                )}
              </Td>
              <Td>{user.lastLoginAt?.replace("T", " ").slice(0, 16) ?? "never"}</Td>
              <Td>
                {user.id === me.userId ? null : (
                  <Button
                    size="sm"
                    variant={user.disabled ? "secondary" : "danger"}
                    onClick={() => update(user, { disabled: !user.disabled })}
                  >
                    {user.disabled ? "Enable" : "Disable"}
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

/** Whether the audit trail is safe from the application itself (docs/install.md, "Database roles"). */
function AuditProtectionNote({ protection }: { protection: AuditProtection }) {
  if (protection.mode === "separate-roles")
    return (
      <p role="note" className="text-sm text-zinc-600 dark:text-zinc-400">
        Audit trail: the application connects as <code>{protection.role}</code>, which may only add and read audit
        events; migrations run as a separate owner role.
      </p>
    );
  return (
    <div
      role="note"
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="font-medium">The application's database role could erase the audit trail.</p>
      <p className="mt-1">
        {protection.mode === "embedded"
          ? "The embedded database has a single role, which owns every table. "
          : `The application connects as ${protection.role}, which owns the tables or may change the audit table. `}
        An append-only trigger refuses changes, but that role could disable it. For an audit trail its writer cannot
        erase, use PostgreSQL with a separate owner role for migrations (docs/install.md, “Database roles”).
      </p>
    </div>
  );
}
