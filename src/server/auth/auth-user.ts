// Who a checked token speaks for, for the calls it makes and the sessions it owns.
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { UserContext } from "../../runtime/state.js";

/** The user a checked token speaks for. */
export function userOfAuth(auth: AuthInfo | undefined): UserContext | undefined {
  return (auth?.extra?.user as UserContext | undefined) ?? undefined;
}

/** Who owns a session: the provider and the user's id, so one user never reaches another's session. */
export function ownerOf(auth: AuthInfo | undefined): string | undefined {
  const user = userOfAuth(auth);
  return user ? JSON.stringify([user.provider, user.user_id]) : undefined;
}
