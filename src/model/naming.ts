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

export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  organization: "org", organizations: "orgs", repository: "repo", repositories: "repos", configuration: "config",
  application: "app", applications: "apps", information: "info", authorization: "auth", authentication: "auth",
  environment: "env", environments: "envs", management: "mgmt", administrator: "admin", administrators: "admins",
  description: "desc", parameters: "params", parameter: "param", attributes: "attrs", attribute: "attr",
  identifier: "id", identifiers: "ids", statistics: "stats", permissions: "perms", permission: "perm",
  notification: "notif", notifications: "notifs", subscription: "sub", subscriptions: "subs", collaborators: "collabs",
  deployment: "deploy", deployments: "deploys", installation: "install", installations: "installs",
  reference: "ref", references: "refs", request: "req", requests: "reqs", response: "resp", message: "msg", messages: "msgs",
  document: "doc", documents: "docs", directory: "dir", temporary: "tmp", specification: "spec", version: "ver",
  documentation: "docs", transaction: "txn", transactions: "txns", account: "acct", accounts: "accts",
  customer: "cust", customers: "custs", metadata: "meta", template: "tmpl", templates: "tmpls", classification: "class",
  enterprise: "ent", security: "sec", governance: "gov", certificate: "cert", certificates: "certs",
  confirmation: "confirm", presentation: "present", registration: "reg", registrations: "regs", retention: "ret",
  assignment: "assign", assignments: "assigns", distribution: "dist"
};

/** Words that carry no meaning in a tool name, dropped before any word that does. */
const FILLER = new Set(["a", "an", "the", "for", "of", "with", "by", "to", "and", "in", "on", "from", "at", "as", "or", "into", "under"]);

function hash6(s: string): string {
  return createHash("sha1").update(s).digest("hex").slice(0, 6);
}

/**
 * A name of at most `max` characters that stays readable. The API prefix (`prefix`, when the name starts
 * with it) is never shortened. Of the rest: repeated words go first; then known abbreviations; then filler
 * words; then whole words from the middle, longest first (the leading verb and the last word stay). A word is
 * kept whole, abbreviated by the table, or dropped; cutting letters off words, then a short hash, are the
 * last resort.
 */
export function shortenName(name: string, max = MAX_TOOL_NAME, prefix = ""): string {
  if (name.length <= max) return name;
  const head = prefix && name.startsWith(`${prefix}_`) && prefix.length + 10 < max ? prefix : "";
  let words = (head ? name.slice(head.length + 1) : name).split("_").filter(Boolean);
  const text = () => [head, ...words].filter(Boolean).join("_");
  const fits = () => text().length <= max;
  const headWords = new Set(head.split("_"));
  words = words.filter((w, i) => (words.indexOf(w) === i && !(headWords.has(w) && i > 0)) || (i === 0 && !head));
  if (fits()) return text();
  // An abbreviation that is already a word of the name would read as a repeat (`gov_gov_action`): kept whole.
  const present = new Set([...headWords, ...words]);
  words = words.map((w) => {
    const short = ABBREVIATIONS[w];
    return short && !present.has(short) ? short : w;
  });
  if (fits()) return text();
  for (let i = words.length - 1; i >= 1 && !fits(); i--) if (FILLER.has(words[i]!)) words.splice(i, 1);
  while (!fits() && words.length > 2) {
    let longest = 1;
    for (let i = 1; i < words.length - 1; i++) if (words[i]!.length > words[longest]!.length) longest = i;
    words.splice(longest, 1);
  }
  if (fits()) return text();
  while (!fits()) {
    let longest = 0;
    words.forEach((w, i) => {
      if (w.length > words[longest]!.length) longest = i;
    });
    if (words[longest]!.length <= 4) break;
    words[longest] = words[longest]!.slice(0, -1);
  }
  if (fits()) return text();
  const tag = hash6(name);
  return `${text().slice(0, max - 7).replace(/_+$/, "")}_${tag}`;
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
