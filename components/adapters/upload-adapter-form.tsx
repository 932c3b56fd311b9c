"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { controlClass, FormField, Input } from "@/components/ui/input";
import { DNS_SUBDOMAIN_SOURCE } from "@/lib/kaito/names";

import { formatBytes } from "./format-bytes";

type Errors = Record<string, string[] | undefined>;
type Progress = { loaded: number; total: number } | null;

/**
 * Posts the form with XMLHttpRequest rather than fetch: only XHR reports upload progress, and a
 * multi-gigabyte adapter needs a progress bar.
 */
export function UploadAdapterForm({
  presets,
  maxBytes,
}: {
  presets: { name: string; huggingFaceId: string }[];
  maxBytes: number;
}) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress>(null);
  const [phase, setPhase] = useState<"idle" | "uploading" | "publishing">("idle");
  const xhrRef = useRef<XMLHttpRequest | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const files = form.getAll("files").filter((f): f is File => f instanceof File && f.name !== "");
    const total = files.reduce((sum, f) => sum + f.size, 0);
    if (files.length === 0) return setErrors({ files: ["Choose the adapter files or an archive"] });
    if (total > maxBytes)
      return setErrors({ files: [`The files are ${formatBytes(total)}; the limit is ${formatBytes(maxBytes)}`] });

    // Fields first, so the server can refuse a bad name before the files stream in.
    const body = new FormData();
    body.append("name", String(form.get("name") ?? ""));
    body.append("baseModel", String(form.get("baseModel") ?? ""));
    for (const file of files) body.append("files", file, file.name);

    setErrors({});
    setMessage(null);
    setPhase("uploading");
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", "/api/adapters");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => setProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : total });
    xhr.upload.onload = () => setPhase("publishing");
    xhr.onload = () => {
      setPhase("idle");
      const response = xhr.response as {
        adapter?: { name: string };
        error?: { message: string; fieldErrors?: Errors };
      } | null;
      if (xhr.status === 201 && response?.adapter) {
        router.push(`/adapters/${response.adapter.name}`);
        router.refresh();
        return;
      }
      setProgress(null);
      setErrors(response?.error?.fieldErrors ?? {});
      setMessage(response?.error?.message ?? `Upload failed (HTTP ${xhr.status})`);
    };
    xhr.onerror = () => {
      setPhase("idle");
      setProgress(null);
      setMessage("The upload was interrupted; nothing was saved.");
    };
    xhr.onabort = xhr.onerror;
    xhr.send(body);
  };

  const first = (field: string) => errors[field]?.[0];
  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-busy={phase !== "idle"}>
      <FormField id="name" label="Name" error={first("name")}>
        <Input
          id="name"
          name="name"
          required
          placeholder="support-bot-v1"
          aria-invalid={!!first("name")}
          pattern={DNS_SUBDOMAIN_SOURCE}
        />
      </FormField>
      <FormField id="baseModel" label="Base model" error={first("baseModel")}>
        <select id="baseModel" name="baseModel" className={controlClass} defaultValue="phi-3-mini-4k-instruct">
          {presets.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} ({p.huggingFaceId})
            </option>
          ))}
        </select>
      </FormField>
      <FormField
        id="files"
        label={`Files (limit ${formatBytes(maxBytes)})`}
        error={first("files") ?? first("adapter_config.json") ?? first("adapter_model.safetensors")}
      >
        <input
          id="files"
          name="files"
          type="file"
          multiple
          accept=".json,.safetensors,.model,.txt,.md,.jinja,.gz,.tgz,.zip"
          className="text-sm"
          aria-invalid={!!first("files")}
        />
      </FormField>
      {message ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {message}
        </p>
      ) : null}
      {phase !== "idle" && progress ? (
        <div className="flex flex-col gap-1">
          <progress max={100} value={percent} aria-label="Upload progress" className="h-2 w-full" />
          <span className="text-xs text-zinc-600 dark:text-zinc-400">
            {phase === "uploading"
              ? `Uploading ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)} (${percent}%)`
              : "Validating and pushing to the registry…"}
          </span>
        </div>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={phase !== "idle"}>
          {phase === "idle" ? "Upload and publish" : "Working…"}
        </Button>
        {phase === "uploading" ? (
          <Button variant="secondary" onClick={() => xhrRef.current?.abort()}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
