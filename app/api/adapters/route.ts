import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

import { defineRoute } from "@/server/actions/define-route";
import { AdapterError } from "@/server/adapters/adapter-error";
import { adapterSettings } from "@/server/adapters/config";
import { listAdapters } from "@/server/adapters/list-adapters";
import { uploadAdapter } from "@/server/adapters/upload-adapter";
import { getDb } from "@/server/db/client";
import { identityOf } from "@/server/workspaces/workspace-access";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ permission: "read" }, async (_request, { principal }) => {
  return Response.json(
    await listAdapters({ db: await getDb(), settings: adapterSettings(), as: identityOf(principal!) }),
  );
});

/**
 * multipart/form-data: `name`, `baseModel`, then `files` (adapter_config.json,
 * adapter_model.safetensors, optional tokenizer files / README.md, or one .tar.gz/.zip).
 * Send the fields before the files so a bad name fails before gigabytes are transferred.
 */
export const POST = defineRoute({ permission: "adapter:write", action: "adapter.upload" }, async (request, ctx) => {
  const settings = adapterSettings();
  const declared = Number(request.headers.get("content-length"));
  if (declared > settings.maxBytes) {
    throw new AdapterError("too_large", `The upload is larger than the limit of ${settings.maxBytes} bytes`, "files");
  }
  if (!request.body) throw new AdapterError("invalid_input", "The request has no body");
  const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
  const record = await uploadAdapter(
    body,
    request.headers.get("content-type"),
    { userId: ctx.principal!.userId, email: ctx.principal!.email },
    { db: await getDb(), settings },
  );
  ctx.audit.set({
    target: { kind: "Adapter", name: record.name },
    summary: `Published adapter ${record.name} (${record.baseModel}) as ${record.image}`,
  });
  return Response.json({ adapter: record }, { status: 201 });
});
