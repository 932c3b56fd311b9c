import "server-only";

import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";

import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { requestContextFromHeaders } from "@/server/audit/request-context";

import { resolveCallbackPath } from "./callback-url";
import { authConfig } from "./config";
import { findOidcUser, signInOidcUser } from "./sign-in-oidc-user";
import { verifyLocalLogin } from "./verify-local-login";

class LoginRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

function buildConfig(): NextAuthConfig {
  const config = authConfig();
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const outcome = await verifyLocalLogin(credentials, requestContextFromHeaders(request.headers));
        if (!outcome.ok) throw new LoginRefused(outcome.reason);
        return outcome.user;
      },
    }),
  ];
  if (config.oidcEnabled) {
    providers.push({
      id: "oidc",
      name: config.OIDC_DISPLAY_NAME,
      type: "oidc",
      issuer: config.OIDC_ISSUER,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: config.OIDC_SCOPES } },
    });
  }

  return {
    secret: config.secret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: config.AUTH_SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    // Refused sign-ins are expected and already in the audit trail; keep them out of the error log.
    // Auth.js errors carry their kind in `type`: a production build minifies the class names.
    logger: {
      error(error) {
        const kind = "type" in error && typeof error.type === "string" ? error.type : error.name;
        if (kind !== "CredentialsSignin" && kind !== "AccessDenied") console.error(`[auth] ${kind}: ${error.message}`);
      },
    },
    providers,
    callbacks: {
      // Every redirect next-auth makes (after OIDC sign-in, sign-out) stays on this site.
      redirect({ url, baseUrl }) {
        return new URL(resolveCallbackPath(url, new URL(baseUrl).origin), baseUrl).toString();
      },
      async signIn({ account, profile }) {
        if (account?.provider !== "oidc") return true;
        return signInOidcUser(profile ?? {}, config);
      },
      // `sv` is the user's session version at sign-in; raising it ends this session (end-sessions.ts).
      async jwt({ token, user, account, profile }) {
        if (account?.provider === "credentials" && user?.id) {
          token.uid = user.id;
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
        }
        if (account?.provider === "oidc") {
          const found = await findOidcUser(profile ?? {}, config);
          token.uid = found?.id;
          token.sv = found?.sessionVersion ?? 0;
        }
        return token;
      },
      async session({ session, token }) {
        if (typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (!token) return;
        await recordAuditEvent({
          action: "auth.logout",
          outcome: "succeeded",
          summary: "Signed out",
          actor: { userId: typeof token.uid === "string" ? token.uid : null, email: token.email ?? null },
        });
      },
    },
  };
}

// Lazy so that configuration is read when the server starts, not when `next build` collects pages.
export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());
