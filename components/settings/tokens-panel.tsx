"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";

import type { SettingsActions, TokenPolicy, TokenRow } from "./types";

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");

export function TokensPanel({
  tokens,
  showOwner,
  policy,
  actions,
}: {
  tokens: TokenRow[];
  showOwner: boolean;
  /** The longest lifetime allowed; `editable` for admins. */
  policy: TokenPolicy & { editable: boolean };
  actions: SettingsActions;
}) {
  const router = useRouter();
  const toast = useToast();
  const [created, setCreated] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  const onCreate = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await actions.createApiTokenAction({
      name: form.get("name"),
      expiresInDays: form.get("expiresInDays"),
      scope: form.get("scope"),
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
        <FormField
          id="token-days"
          label={`Expires in (days, at most ${policy.maxLifetimeDays})`}
          error={errors.expiresInDays?.[0]}
        >
          <Input
            id="token-days"
            name="expiresInDays"
            type="number"
            required
            min={1}
            max={policy.maxLifetimeDays}
            defaultValue={Math.min(90, policy.maxLifetimeDays)}
          />
        </FormField>
        <FormField id="token-scope" label="Scope" error={errors.scope?.[0]}>
          <Select id="token-scope" name="scope" defaultValue="inference">
            <option value="inference">inference — chat and OpenAI API only</option>
            <option value="api">api — everything your role allows</option>
          </Select>
        </FormField>
        <Button type="submit">Create token</Button>
      </form>
      {created ? <NewToken token={created} /> : null}
      {policy.editable ? <TokenPolicyForm initial={policy} action={actions.updateTokenPolicyAction} /> : null}
      <Table>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Token</Th>
            {showOwner ? <Th>Owner</Th> : null}
            <Th>Scope</Th>
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
              <Td colSpan={8} className="text-center text-zinc-500">
                No API tokens yet.
              </Td>
            </tr>
          ) : null}
          {tokens.map((token) => (
            <tr key={token.id}>
              <Td>{token.name}</Td>
              <Td className="font-mono text-xs">{token.prefix}…</Td>
              {showOwner ? <Td>{token.ownerEmail}</Td> : null}
              <Td>{token.scope}</Td>
              <Td>{day(token.createdAt)}</Td>
              <Td>{token.expiresAt < new Date().toISOString() ? <Badge>expired</Badge> : day(token.expiresAt)}</Td>
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

/** The one-time token with a Copy button (#16 item 10): selecting 46 characters by hand is error-prone. */
function NewToken({ token }: { token: string }) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied("yes");
    } catch {
      // Clipboard access needs a secure context (https or localhost) and the user's permission.
      setCopied("failed");
    }
  };
  return (
    <div
      role="status"
      className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950"
    >
      <p className="mb-1 font-medium">Copy this token now — it is shown only once:</p>
      <div className="flex items-center gap-2">
        <code className="block font-mono text-xs break-all select-all" data-testid="new-token">
          {token}
        </code>
        <Button size="sm" variant="secondary" onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copied === "failed" ? (
        <p className="mt-1 text-xs text-red-700 dark:text-red-300">
          The browser refused clipboard access; select the token and copy it by hand.
        </p>
      ) : null}
      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
        Use it as <code>Authorization: Bearer …</code>; it acts with your role, within its scope.
      </p>
    </div>
  );
}

function TokenPolicyForm({
  initial,
  action,
}: {
  initial: TokenPolicy;
  action: SettingsActions["updateTokenPolicyAction"];
}) {
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState<string | undefined>();
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = await action({ maxLifetimeDays: new FormData(event.currentTarget).get("maxLifetimeDays") });
    if (!result.ok) {
      setError(result.error.fieldErrors?.maxLifetimeDays?.[0]);
      toast(result.error.message, "error");
      return;
    }
    setError(undefined);
    toast(`New tokens now live at most ${result.data.maxLifetimeDays} days`, "success");
    router.refresh();
  };
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Token lifetime policy">
      <FormField id="token-max-days" label="Longest lifetime of new tokens (days, admins)" error={error}>
        <Input
          id="token-max-days"
          name="maxLifetimeDays"
          type="number"
          required
          min={1}
          max={730}
          defaultValue={initial.maxLifetimeDays}
        />
      </FormField>
      <Button type="submit" variant="secondary">
        Save lifetime
      </Button>
    </form>
  );
}
