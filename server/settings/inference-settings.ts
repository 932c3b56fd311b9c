import "server-only";

import { z } from "zod";

import type { ActionContext } from "@/server/actions/define-action";
import type { PrismaClient } from "@/server/db/generated/client";

/** Whether the inference proxy stores prompts and answers with each usage row. */
export const RECORD_CONTENT_KEY = "inference.recordContent";

export const inferenceSettingsSchema = z.object({ recordContent: z.boolean() });

export type InferenceSettings = z.infer<typeof inferenceSettingsSchema>;

type SettingStore = Pick<PrismaClient, "setting">;

/** The stored choice, else `fallback` (INFERENCE_RECORD_CONTENT) while no admin has made one. */
export async function readRecordContent(db: SettingStore, fallback: boolean): Promise<boolean> {
  const row = await db.setting.findUnique({ where: { key: RECORD_CONTENT_KEY } });
  return typeof row?.value === "boolean" ? row.value : fallback;
}

export async function updateInferenceSettings(
  input: InferenceSettings,
  { tx, audit, principal }: ActionContext,
  fallback: boolean,
): Promise<InferenceSettings> {
  const before = await readRecordContent(tx, fallback);
  await tx.setting.upsert({
    where: { key: RECORD_CONTENT_KEY },
    create: { key: RECORD_CONTENT_KEY, value: input.recordContent, updatedBy: principal.userId },
    update: { value: input.recordContent, updatedBy: principal.userId },
  });
  audit.set({
    summary: input.recordContent
      ? "Enabled storing prompts and answers of inference requests"
      : "Disabled storing prompts and answers of inference requests",
    target: { kind: "Setting", name: RECORD_CONTENT_KEY },
    diff: { before: { recordContent: before }, after: { recordContent: input.recordContent } },
  });
  return input;
}
