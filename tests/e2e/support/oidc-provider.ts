// A real OpenID Connect provider (the `oidc-provider` package) for the sign-in tests. Any login
// name is accepted on its development login page; the groups claim is derived from the name
// (`*-admin` → platform-admins, `*-ops` → ml-engineers), so a test chooses the role it gets.
import Provider from "oidc-provider";

export const OIDC_CLIENT = { id: "kaito-dashboard-e2e", secret: "e2e-oidc-client-secret-0123456789" };

export function groupsFor(login: string): string[] {
  if (login.endsWith("-admin")) return ["platform-admins"];
  if (login.endsWith("-ops")) return ["ml-engineers"];
  if (login.endsWith("-nobody")) return ["sales"];
  return ["readers"];
}

export async function startOidcProvider(
  port: number,
  redirectUri: string,
): Promise<{ issuer: string; close(): Promise<void> }> {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    features: { devInteractions: { enabled: true } },
    // Put the profile claims into the ID token, as most enterprise providers do; Auth.js reads them there.
    conformIdTokenClaims: false,
    cookies: { keys: ["e2e-oidc-cookie-key-0123456789"] },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: `${id}@corp.example`,
            email_verified: true,
            name: `SSO ${id}`,
            groups: groupsFor(id),
          };
        },
      };
    },
  });
  const server = provider.listen(port);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
