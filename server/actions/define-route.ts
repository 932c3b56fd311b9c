import "server-only";

import type { z } from "zod";

import { AppError } from "@/server/errors";

import { ACCESS_META, type AccessMeta } from "./audit-details";
import { invalidInput } from "./define-action";
import { runRoute, type RouteContext, type RouteDefinition } from "./request-pipeline";

export type { RouteContext } from "./request-pipeline";

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

export type RouteHandler = ((request: Request, context: NextRouteContext) => Promise<Response>) & {
  [ACCESS_META]: AccessMeta;
};

/**
 * A Next.js route handler on the request pipeline (server/actions/request-pipeline.ts):
 * authentication, Origin check, permission, exactly one audit event for mutations, JSON errors.
 */
export function defineRoute<P = Record<string, string>>(
  definition: RouteDefinition<P>,
  handler: (request: Request, ctx: RouteContext<P>) => Promise<Response> | Response,
): RouteHandler {
  const route = (request: Request, context: NextRouteContext): Promise<Response> =>
    runRoute(
      definition,
      {
        method: request.method,
        url: pathAndQuery(request.url),
        headers: request.headers,
        params: async () => ((await context?.params) ?? {}) as P,
      },
      (ctx) => handler(request, ctx),
    );
  return Object.assign(route, {
    [ACCESS_META]: { kind: "route", access: definition.permission, action: definition.action } as AccessMeta,
  });
}

function pathAndQuery(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

/** Parses a JSON body or query object with zod; a bad one becomes a 400 with field errors. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

/** The request's JSON body, or a 400 that says it is not JSON. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("invalid_input", "The request body must be JSON.");
  }
}
