import { z } from "zod";

export const formatSchema = z.enum(["csv", "ndjson"], { message: "format must be csv or ndjson" });
