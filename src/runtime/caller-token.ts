// A credential that is the calling user's own: a secret parameter that says `{from: user}`, or an API generated
// with `--auth user`. The token is the one the user signed in with at the team's server (their user context's
// `external_token`, which the server's OAuth proxy keeps); a call with none is refused saying how to sign in.
import type { ErrorObject } from "./errors.js";
import { runtimeState, type UserContext } from "./state.js";

/** A secret parameter whose value is the calling user's own token: `token: {from: user}`. */
export function isFromUser(v: unknown): boolean {
  return !!v && typeof v === "object" && !Array.isArray(v) && (v as Record<string, unknown>).from === "user";
}

/** Whether any of a secret's parameters is the caller's own token. */
export function namesCaller(secret: Record<string, unknown>): boolean {
  return Object.values(secret).some(isFromUser);
}

/** The calling user and their token, when the call has a user signed in to an API. */
export function caller(): { user: UserContext; token: string } | undefined {
  const user = runtimeState().calls.getStore()?.user;
  const token = user?.external_token;
  return user && typeof token === "string" && token !== "" ? { user, token } : undefined;
}

/** The error a call gets when the API needs the caller's own token and there is none. */
export function signInNeeded(api: string): ErrorObject {
  return {
    error: "Sign-in needed",
    message: `The '${api}' API is called as the signed-in user, and this call has no user signed in to it`,
    fix: "Connect to a server that signs its users in to this API (auth provider github, google, atlassian, salesforce or an OIDC issuer with mode: proxy in the user config's profile, served over HTTP; see docs/serving.md). Over stdio or with a static --token no user is signed in.",
  };
}

/** The secret with each `{from: user}` parameter replaced by the caller's token. */
export function withCallerToken(secret: Record<string, unknown>, token: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(secret).map(([k, v]) => [k, isFromUser(v) ? token : v]));
}
