"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, Input } from "@/components/ui/input";
import { Table, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";

import type { SettingsActions, TokenRow } from "./types";

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");

export function TokensPanel({
  tokens,
  showOwner,
  actions,
}: {
  tokens: TokenRow[];
  showOwner: boolean;
  actions: SettingsActions;
}) {
  const router = useRouter();
  const toast = useToast();
  const [created, setCreated] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  const onCreate = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = String(form.get("expiresInDays") ?? "");
    const result = await actions.createApiTokenAction({
      name: form.get("name"),
      expiresInDays: days === "" ? null : days,
    });
    if (!result.ok) {
      setErrors(result.error.fieldErrors ?? {});
      toast(result.error.message, "error");
      return;
    }
    setErrors({});
    setCreated(result.data.token);
    router.refresh();
  };

  const onRevoke = async (token: TokenRow) => {
    const result = await actions.revokeApiTokenAction({ tokenId: token.id });
    toast(result.ok ? `Revoked ${token.name}` : result.error.message, result.ok ? "success" : "error");
    router.refresh();
  };

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={onCreate} className="flex flex-wrap items-end gap-3" aria-label="Create an API token">
        <FormField id="token-name" label="Token name" error={errors.name?.[0]}>
          <Input id="token-name" name="name" required maxLength={100} placeholder="ci-pipeline" />
        </FormField>
        <FormField id="token-days" label="Expires in (days, empty = never)" error={errors.expiresInDays?.[0]}>
          <Input id="token-days" name="expiresInDays" type="number" min={1} max={365} defaultValue={90} />
        </FormField>
        <Button type="submit">Create token</Button>
      </form>
      {created ? (
        <div
          role="status"
          className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950"
        >
          <p className="mb-1 font-medium">Copy this token now — it is shown only once:</p>
          <code className="block font-mono text-xs break-all select-all" data-testid="new-token">
            {created}
          </code>
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
            Use it as <code>Authorization: Bearer …</code>; it carries your role.
          </p>
        </div>
      ) : null}
      <Table>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Token</Th>
            {showOwner ? <Th>Owner</Th> : null}
            <Th>Created</Th>
            <Th>Expires</Th>
            <Th>Last used</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 ? (
            <tr>
              <Td colSpan={7} className="text-center text-zinc-500">
                No API tokens yet.
              </Td>
            </tr>
          ) : null}
          {tokens.map((token) => (
            <tr key={token.id}>
              <Td>{token.name}</Td>
              <Td className="font-mono text-xs">{token.prefix}…</Td>
              {showOwner ? <Td>{token.ownerEmail}</Td> : null}
              <Td>{day(token.createdAt)}</Td>
              <Td>{day(token.expiresAt)}</Td>
              <Td>{day(token.lastUsedAt)}</Td>
              <Td>
                {token.revokedAt ? (
                  <Badge>revoked</Badge>
                ) : (
                  <Button size="sm" variant="danger" onClick={() => onRevoke(token)}>
                    Revoke
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
