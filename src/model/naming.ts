import { createHash } from "node:crypto";

export const MAX_TOOL_NAME = 64;

/** `getPetById`, `get-pet/{id}`, `HTTPServer` → `get_pet_by_id`, `get_pet_id`, `http_server`. */
export function snakeCase(input: string): string {
  return input
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/_+/g, "_")
    .toLowerCase();
}

const ABBREVIATIONS: Record<string, string> = {
  organization: "org", organizations: "orgs", repository: "repo", repositories: "repos", configuration: "config",
  application: "app", applications: "apps", information: "info", authorization: "auth", authentication: "auth",
  environment: "env", environments: "envs", management: "mgmt", administrator: "admin", administrators: "admins",
  description: "desc", parameters: "params", parameter: "param", attributes: "attrs", attribute: "attr",
  identifier: "id", identifiers: "ids", statistics: "stats", permissions: "perms", permission: "perm",
  notification: "notif", notifications: "notifs", subscription: "sub", subscriptions: "subs", collaborators: "collabs",
  deployment: "deploy", deployments: "deploys", installation: "install", installations: "installs",
  reference: "ref", references: "refs", request: "req", requests: "reqs", response: "resp", message: "msg", messages: "msgs",
  document: "doc", documents: "docs", directory: "dir", temporary: "tmp", specification: "spec", version: "ver",
};

function hash6(s: string): string {
  return createHash("sha1").update(s).digest("hex").slice(0, 6);
}

/**
 * A name of at most `max` characters that stays readable: first drop repeated words, then use common
 * abbreviations, then shorten the longest words, and only as a last resort cut and add a short hash.
 */
export function shortenName(name: string, max = MAX_TOOL_NAME): string {
  if (name.length <= max) return name;
  let words = name.split("_").filter(Boolean);
  const fits = () => words.join("_").length <= max;
  words = words.filter((w, i) => words.indexOf(w) === i || i === 0);
  if (fits()) return words.join("_");
  words = words.map((w) => ABBREVIATIONS[w] ?? w);
  if (fits()) return words.join("_");
  while (!fits()) {
    let longest = 0;
    words.forEach((w, i) => {
      if (w.length > words[longest]!.length) longest = i;
    });
    if (words[longest]!.length <= 4) break;
    words[longest] = words[longest]!.slice(0, words[longest]!.length - 1);
  }
  if (fits()) return words.join("_");
  const tag = hash6(name);
  return `${words.join("_").slice(0, max - 7).replace(/_+$/, "")}_${tag}`;
}

/** Make `name` unique among `taken` (which it joins), keeping it within `max`. */
export function uniqueName(name: string, taken: Set<string>, max = MAX_TOOL_NAME): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) {
    const suffix = `_${i}`;
    candidate = name.length + suffix.length > max ? `${name.slice(0, max - suffix.length)}${suffix}` : `${name}${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}

/** A parameter name MXCP accepts (letters, digits, `_`; not starting with a digit; not `_`-led). */
export function parameterName(wire: string): string {
  let s = wire
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\[\]/g, "")
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (s === "") s = "param";
  if (/^[0-9]/.test(s)) s = `p_${s}`;
  return s;
}
