// The providers an OAuth proxy signs users in with: where their endpoints are, what to ask for, and how their
// user record reads as MXCP's user context. Every URL can be changed in the user config (GitHub Enterprise, a
// Salesforce sandbox, a provider standing in during tests).
import type { UserContext } from "../../runtime/state.js";

export interface UpstreamDefaults {
  title: string;
  authUrl?: string;
  tokenUrl?: string;
  userUrl?: string;
  scope: string;
  /** More parameters of the authorization request (Google and Atlassian give a refresh token only when asked). */
  authorizeParams?: Record<string, string>;
  /** The user record (from userUrl) as a user context, without the token. */
  user: (record: Record<string, unknown>, provider: string) => Omit<UserContext, "external_token" | "scopes">;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null);

/** A standard OIDC userinfo answer (Google, Salesforce and any OIDC issuer speak it). */
function oidcUser(r: Record<string, unknown>, provider: string): Omit<UserContext, "external_token" | "scopes"> {
  const id = str(r.sub) ?? str(r.user_id);
  if (!id) throw new Error("the provider's user record names no user (no sub)");
  return { provider, user_id: id, username: str(r.preferred_username) ?? str(r.email) ?? id, email: str(r.email), name: str(r.name), avatar_url: str(r.picture), raw_profile: r };
}

export const UPSTREAMS: Record<string, UpstreamDefaults> = {
  github: {
    title: "GitHub",
    authUrl: "https://github.com/login/oauth/authorize",
    tokenUrl: "https://github.com/login/oauth/access_token",
    userUrl: "https://api.github.com/user",
    scope: "read:user user:email",
    user: (r, provider) => {
      const id = str(r.id);
      const login = str(r.login);
      if (!id || !login) throw new Error("GitHub's user record names no user (no id or login)");
      return { provider, user_id: id, username: login, email: str(r.email), name: str(r.name), avatar_url: str(r.avatar_url), raw_profile: r };
    },
  },
  google: {
    title: "Google",
    authUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: "https://oauth2.googleapis.com/token",
    userUrl: "https://openidconnect.googleapis.com/v1/userinfo",
    scope: "openid email profile",
    authorizeParams: { access_type: "offline", prompt: "consent" },
    user: oidcUser,
  },
  atlassian: {
    title: "Atlassian",
    authUrl: "https://auth.atlassian.com/authorize",
    tokenUrl: "https://auth.atlassian.com/oauth/token",
    userUrl: "https://api.atlassian.com/me",
    scope: "read:me offline_access",
    authorizeParams: { audience: "api.atlassian.com", prompt: "consent" },
    user: (r, provider) => {
      const id = str(r.account_id);
      if (!id) throw new Error("Atlassian's user record names no user (no account_id)");
      return { provider, user_id: id, username: str(r.nickname) ?? str(r.email) ?? id, email: str(r.email), name: str(r.name), avatar_url: str(r.picture), raw_profile: r };
    },
  },
  salesforce: {
    title: "Salesforce",
    authUrl: "https://login.salesforce.com/services/oauth2/authorize",
    tokenUrl: "https://login.salesforce.com/services/oauth2/token",
    userUrl: "https://login.salesforce.com/services/oauth2/userinfo",
    scope: "api refresh_token openid",
    user: oidcUser,
  },
  // Endpoints from the issuer's metadata, unless set.
  oidc: { title: "the identity provider", scope: "openid profile email offline_access", user: oidcUser },
};
