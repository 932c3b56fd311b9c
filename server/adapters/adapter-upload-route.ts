import "server-only";

import { defineNodeRoute } from "@/server/actions/define-node-route";

import { adapterDeps } from "./adapter-deps";
import { AdapterError } from "./adapter-error";
import { uploadAdapter } from "./upload-adapter";

/**
 * `POST /api/adapters`, multipart/form-data: `name`, `baseModel`, then `files`
 * (adapter_config.json, adapter_model.safetensors, optional tokenizer files / README.md, or one
 * .tar.gz/.zip). Send the fields before the files so a bad name fails before gigabytes are
 * transferred.
 *
 * Served by the web server's node:http handler before Next.js sees it, like /api/inference: the
 * IncomingMessage streams to disk with node's own backpressure, with no Web ReadableStream
 * adaptation of a multi-GiB body in between (docs/adapters.md).
 */
export const POST = defineNodeRoute(
  { method: "POST", path: "/api/adapters", permission: "adapter:write", action: "adapter.upload" },
  async (req, ctx) => {
    const deps = await adapterDeps();
    if (Number(req.headers["content-length"]) > deps.settings.maxBytes) {
      throw new AdapterError(
        "too_large",
        `The upload is larger than the limit of ${deps.settings.maxBytes} bytes`,
        "files",
      );
    }
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
  },
);
