// What an operation's name says it does: one rule for the generators' annotations and for lint. An HTTP method
// says most of it for `openapi`; an SDK method has only its name (`customers.retrieve`, `doSearch`, `flushall`).

/** Words that make an operation destructive wherever they stand in its name (`POST /sessions/terminate`, `remove_shared_link`). */
export const DESTRUCTIVE_VERBS = ["delete", "remove", "destroy", "purge", "drop", "erase", "wipe", "revoke", "terminate", "cancel"] as const;

/**
 * Verbs that end or discard something when an SDK method starts with them (`close`, `archive`, Redis's `del` and
 * `flushall`): destructive for `wrap`, where the name is all there is. (For `openapi` the HTTP method decides.)
 */
export const ENDING_VERBS = ["del", "void", "reject", "close", "flush", "expire", "archive", "unset", "unlink"] as const;

/** Verbs of reads: a method that starts with one only looks. */
export const READ_VERBS = ["retrieve", "get", "list", "all", "search", "fetch", "find", "read", "count", "exists", "describe", "lookup", "query", "info", "check", "preview", "download", "show", "view", "stat", "head", "scan", "browse"] as const;

/** Verbs of writes that create or change. */
export const WRITE_VERBS = ["create", "update", "upsert", "add", "put", "patch", "edit", "modify", "set", "insert", "send", "post", "save"] as const;

/** A snake_case name with a destructive word in it. */
export const DESTRUCTIVE_WORD = new RegExp(`(^|_)(${DESTRUCTIVE_VERBS.join("|")})(_|$)`, "i");

export type VerbScope = "read" | "write" | "destructive" | "other";

/** A name's words in lower case: camelCase, snake_case, kebab-case and dots all split (`doSearch` → do, search). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

// Words before the verb that say nothing of what it does (`doSearch`, `tryGet`, `asyncList`).
const FILLER = new Set(["do", "try", "async", "sync", "perform", "execute"]);

/** What an SDK method's name says it does. */
export function verbScope(name: string): VerbScope {
  const words = nameWords(name);
  const first = words.find((w) => !FILLER.has(w)) ?? "";
  const startsWith = (verbs: readonly string[]) => verbs.some((v) => first === v || (first.startsWith(v) && v.length >= 4));
  if (words.some((w) => (DESTRUCTIVE_VERBS as readonly string[]).includes(w)) || startsWith(DESTRUCTIVE_VERBS) || startsWith(ENDING_VERBS)) return "destructive";
  if (startsWith(READ_VERBS)) return "read";
  if (startsWith(WRITE_VERBS)) return "write";
  return "other";
}

/** What an HTTP operation does to the resource its path names: one rule for tool names and for search. */
export type RouteAction = "list" | "get" | "create" | "update" | "delete" | "action";

/** The path's segments without its parameters' braces taken as words: `/repos/{owner}/{repo}/pulls`. */
function segments(path: string): string[] {
  return path.split(/[/#]/).filter(Boolean);
}

/** A path segment that is a parameter (`{customer}`). */
export const isParameter = (segment: string) => /^\{[^}]*\}$/.test(segment);

/**
 * What a method means on a path: GET on a collection lists, GET on an item gets, POST on a collection creates,
 * PUT/PATCH (and Stripe's POST) on an item updates, DELETE deletes. A path that ends in a verb (`/merge`,
 * `/cancel`, `/copy`) is an action of its own.
 */
export function routeAction(method: string, path: string): { action: RouteAction; verb?: string } {
  const m = method.toLowerCase();
  const segs = segments(path);
  const last = segs.at(-1) ?? "";
  // `/cancel`, `/create_preview`, `/merge-async`: the segment's action word, wherever it stands in it.
  // A segment that ends in a plural is a collection however it starts (`upload_sessions`).
  const actionWord = isParameter(last) || segs.length < 2 || looksPlural(last) ? undefined : nameWords(last).find((w) => ACTION_WORDS.has(w));
  if (m === "delete") return { action: "delete" };
  if (actionWord && m !== "get") return { action: "action", verb: actionWord };
  if (m === "get" || m === "head") return { action: isParameter(last) || !looksPlural(last) ? "get" : "list" };
  if (m === "post") return { action: isParameter(last) ? "update" : "create" };
  if (m === "put" || m === "patch") return { action: "update" };
  return { action: "action", verb: m };
}

/** A collection's name is a plural (`pulls`, `repositories`, `items`); a singleton (`user`, `latest`) is not. */
function looksPlural(segment: string): boolean {
  const word = nameWords(segment).at(-1) ?? "";
  return /(s|ies)$/.test(word) && !/(ss|us|is|status|news)$/.test(word);
}

// Path endings that name what is done rather than a thing: `POST /pulls/{n}/merge`, `POST /files/{id}/copy`.
const ACTION_WORDS = new Set([
  "merge", "cancel", "copy", "restore", "approve", "reject", "close", "reopen", "lock", "unlock", "archive", "unarchive",
  "publish", "unpublish", "start", "stop", "pause", "resume", "retry", "rerun", "refund", "capture", "confirm", "void",
  "finalize", "send", "pay", "verify", "revoke", "transfer", "dispatch", "sync", "test", "execute", "run", "apply",
  "rename", "move", "upload", "download", "generate", "mark", "accept", "decline", "attach", "detach", "search",
  "preview", "validate", "commit", "invite", "resend", "disable", "enable", "submit",
]);
