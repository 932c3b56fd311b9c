import "server-only";

import { defineNodeRoute } from "@/server/actions/define-node-route";

import { adapterDeps } from "./adapter-deps";
import { AdapterError } from "./adapter-error";
import { readUploadLimits, type UploadLimits } from "./config";
import { uploadAdapter } from "./upload-adapter";

// An upload holds a staging folder of up to ADAPTER_MAX_BYTES and, while it publishes, a registry
// push: beyond a few at once the disk and the web process's memory budget run out (docs/adapters.md).
const RETRY_AFTER_SECONDS = 30;
let limits: UploadLimits | undefined;
let inProgress = 0;

/**
 * `POST /api/adapters`, multipart/form-data: `name`, `baseModel`, then `files`
 * (adapter_config.json, adapter_model.safetensors, optional tokenizer files / README.md, or one
 * .tar.gz/.zip). The name must come before the files: it is checked (format, and not taken) as
 * soon as it arrives, before any file is stored.
 *
 * Served by the web server's node:http handler before Next.js sees it, like /api/inference: the
 * IncomingMessage streams to disk with node's own backpressure, with no Web ReadableStream
 * adaptation of a multi-GiB body in between (docs/adapters.md). It has no overall deadline (a
 * 2 GiB upload on a slow link outlasts Node's 300 s requestTimeout, which server/web-server.ts
 * applies to every other request), only an idle timeout.
 */
export const POST = defineNodeRoute(
  { method: "POST", path: "/api/adapters", permission: "adapter:write", action: "adapter.upload" },
  async (req, ctx) => {
    limits ??= readUploadLimits();
    const deps = await adapterDeps();
    if (Number(req.headers["content-length"]) > deps.settings.maxBytes) {
      throw new AdapterError(
        "too_large",
        `The upload is larger than the limit of ${deps.settings.maxBytes} bytes`,
        "files",
      );
    }
    if (inProgress >= limits.maxConcurrent) {
      return Response.json(
        {
          error: {
            code: "rate_limited",
            message: `${limits.maxConcurrent} adapter uploads are already in progress; retry in ${RETRY_AFTER_SECONDS} s`,
          },
        },
        { status: 429, headers: { "retry-after": String(RETRY_AFTER_SECONDS) } },
      );
    }
    inProgress++;
    const idleSeconds = limits.idleTimeoutMs / 1000;
    req.setTimeout(limits.idleTimeoutMs, () =>
      req.destroy(new AdapterError("invalid_input", `The upload sent nothing for ${idleSeconds} s`)),
    );
    try {
      const principal = ctx.principal!;
      const record = await uploadAdapter(
        req,
        req.headers["content-type"] ?? null,
        { userId: principal.userId, email: principal.email },
        deps,
      );
      ctx.audit.set({
        target: { kind: "Adapter", name: record.name },
        summary: `Published adapter ${record.name} (${record.baseModel}) as ${record.image}`,
      });
      return Response.json({ adapter: record }, { status: 201 });
    } finally {
      inProgress--;
      req.setTimeout(0);
    }
  },
);
