import type { NextRequest } from "next/server";

import { defineRoute } from "@/server/actions/define-route";
import { handlers } from "@/server/auth/auth";

// Sign-in itself must be reachable anonymously; every attempt is audited inside the providers.
export const GET = defineRoute({ permission: "public" }, (request) => handlers.GET(request as NextRequest));
export const POST = defineRoute({ permission: "public" }, (request) => handlers.POST(request as NextRequest));
