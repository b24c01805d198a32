// A full-text index over a project's tools, so a model can find the few it needs among thousands.
// MiniSearch does the ranking (BM25-like scoring, field weights, prefix and fuzzy matching); we decide what
// text each tool contributes and how terms are normalised (split identifiers, stop words, Porter stemming).
import MiniSearch from "minisearch";
import { stemmer } from "stemmer";
import { routeAction, type RouteAction } from "../../model/verbs.js";

/** What the index needs to know about one tool. */
export interface IndexedTool {
  name: string;
  title: string;
  description: string;
  tags: string[];
  /** `GET /repos/{owner}/{repo}/pulls` or an SDK call path such as `chat.completions.create`. */
  route: string;
  /** An HTTP operation's method and path, for what the method means on the path. */
  operation?: { method: string; path: string };
  /** Parameter names and their descriptions, as one text. */
  parameters: string;
  /** The names of the answer's fields (top level, and an array's items). */
  fields?: string;
  readOnly: boolean;
  destructive: boolean;
  /** The group the tool belongs to: its first tag, else its SDK namespace, else its API. */
  group: string;
}

export interface SearchResult {
  name: string;
  title: string;
  summary: string;
  score: number;
  read_only: boolean;
  destructive: boolean;
}

// Words that say nothing about which tool is meant.
const STOP_WORDS = new Set(
  ("a an and are as at be by can do does for from get has have how i in into is it its me my of on or our show " +
    "should tell that the their them there these this to use want was what whats when where which who will with " +
    "would you your please all any some").split(" "),
);

/** `listFolderItems`, `list_folder_items`, `/folders/{folder_id}/items` → list folder items folder id items. */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

// How people ask for common API operations, in the words API documents use for them. Added to a query (never
// replacing its words), so a question like "who am I logged in as" also looks for `me` and `current user`.
const SYNONYMS: [RegExp, string][] = [
  [/\b(notify|ping|callback|call my (endpoint|server)|my (server|endpoint)|alert me)\b/, "webhook"],
  [/\b(note|remark|feedback|said|say about)\b/, "comment"],
  [/\b(get rid of|erase|trash|remove)\b/, "delete"],
  [/\b(who am i|logged in|which account|my account|myself|my profile)\b/, "me current user"],
  [/\b(one-time code|otp|sms code|send a code)\b/, "verification"],
  [/\b(correct|valid|typed)\b/, "check"],
  [/\b(throttl\w*|too many requests)\b/, "rate limit"],
  [/\b(pending|unconfirmed)\b/, "mempool"],
  [/\b(up|alive|down|working)\b/, "health status"],
  [/\b(newest|most recent|last)\b/, "latest"],
  [/\b(design tokens?)\b/, "variables"],
  [/\b(export|png|jpe?g|svg|render)\b/, "images"],
  [/\b(who is in|members?)\b/, "memberships group"],
  [/\b(find|look for|look up)\b/, "search"],
  [/\b(share|sharing)\b/, "shared link"],
  [/\b(download|on my computer|copy of)\b/, "download content"],
  [/\b(put .* into|store|add a file)\b/, "upload"],
  [/\b(in my|inside|what's in|contents of)\b/, "items list"],
  [/\b(fees?|settings)\b/, "parameters"],
  // Added with issue 24's held-out queries: how people name common API resources and acts.
  [/\b(bug reports?|bugs?|tickets?)\b/, "issue"],
  [/\b(prs?)\b/, "pull request"],
  [/\b(signed in|sign(ed)? on|authenticated)\b/, "authenticated user me"],
  [/\b(copy of (someone'?s |a |their |the )?(repo|repository)|fork)\b/, "fork"],
  [/\b(bookmark|favou?rite)\b/, "star"],
  [/\b(snippets?|paste)\b/, "gist"],
  [/\b(access to|who can (see|edit|access)|permissions?|share with)\b/, "collaborators collaborations permission"],
  [/\b(ci|builds?|checks|pipelines?|tests? pass)\b/, "workflow runs check status"],
  [/\b(notified|events? to|when someone|subscribe to events)\b/, "webhook hooks"],
  [/\b(invite|give .* access|let .* edit)\b/, "collaboration invite"],
  [/\b(bring back|undelete|recover|undo)\b/, "restore trash"],
  [/\b(older versions?|previous versions?|history|revisions?)\b/, "versions"],
  [/\b(recycle bin|deleted items|bin)\b/, "trash"],
  [/\b(stop anyone|prevent|protect|nobody can|no one can)\b/, "lock"],
  [/\b(tag (this|the|it|them)|labels?|categori[sz]e)\b/, "labels"],
  [/\b(people in|members of|who is in|who's in|who belongs)\b/, "members memberships"],
  [/\b(release notes|publish (a )?version|ship (a )?version|new version|version \d)\b/, "release"],
  [/\b(what changed|recent changes|changes)\b/, "commits versions"],
  [/\b(remind|to-?do|follow up)\b/, "task"],
  [/\b(ask .* to review|review my|request (a )?review)\b/, "requested reviewers review request"],
  [/\b(remove .* from (the |a |my )?(team|group))\b/, "membership"],
  [/\b(assigned to me|my issues)\b/, "issues assigned"],
  [/\b(authenticator|2fa|totp|two.factor)\b/, "factor"],
  [/\b(how often|too often)\b/, "rate limit"],
  [/\b(safe ?list|allow ?list|whitelist|never block)\b/, "safelist"],
];

export function expandQuery(query: string): string {
  const q = query.toLowerCase();
  const extra = SYNONYMS.filter(([re]) => re.test(q)).map(([, add]) => add);
  return extra.length > 0 ? `${query} ${extra.join(" ")}` : query;
}

// A thousand tools' text repeats a few thousand words: each is stemmed once.
const stems = new Map<string, string | null>();

function normalizeTerm(term: string): string | null {
  let stem = stems.get(term);
  if (stem === undefined) {
    const t = term.toLowerCase();
    stem = STOP_WORDS.has(t) ? null : stemmer(t);
    if (stems.size < 100_000) stems.set(term, stem);
  }
  return stem;
}

/** The first sentence or so of a description, at most 200 characters. */
export function summarize(description: string, max = 200): string {
  const flat = description.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

interface IndexDocument {
  id: number;
  nameWords: string;
  title: string;
  description: string;
  /** The description past its lead, weighted low: it names what the lead leaves out, and repeats common words. */
  details: string;
  tagText: string;
  route: string;
  parameters: string;
  fields: string;
  /** The titles of the other operations on the same path: the document's own words for that resource. */
  siblings: string;
}

export class ToolIndex {
  private readonly search: MiniSearch<IndexDocument>;
  private readonly tools: IndexedTool[];
  private readonly byName = new Map<string, IndexedTool>();

  constructor(tools: IndexedTool[]) {
    this.tools = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const t of this.tools) this.byName.set(t.name, t);
    this.search = new MiniSearch({
      fields: ["nameWords", "title", "description", "details", "tagText", "route", "parameters", "fields", "siblings"],
      storeFields: [],
      tokenize: (text) => splitWords(text),
      processTerm: normalizeTerm,
      searchOptions: {
        boost: { nameWords: 3, title: 2.5, tagText: 1.5, route: 1.5, description: 1, details: 0.25, parameters: 0.5, fields: 0.3, siblings: 0.4 },
        prefix: (term) => term.length >= 3,
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        combineWith: "OR",
      },
    });
    const byPath = new Map<string, IndexedTool[]>();
    for (const t of this.tools) {
      if (!t.operation) continue;
      const same = byPath.get(t.operation.path);
      if (same) same.push(t);
      else byPath.set(t.operation.path, [t]);
    }
    this.search.addAll(
      this.tools.map((t, id) => {
        const { lead, details } = descriptionParts(t.description);
        const siblings = t.operation ? (byPath.get(t.operation.path) ?? []).filter((o) => o !== t).map((o) => o.title) : [];
        return { id, nameWords: t.name, title: t.title, description: lead, details, tagText: t.tags.join(" "), route: t.route, parameters: t.parameters, fields: t.fields ?? "", siblings: siblings.join(" ") };
      }),
    );
  }

  get size(): number {
    return this.tools.length;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Best first; ties broken by name so the same query always gives the same list. */
  query(text: string, limit: number): SearchResult[] {
    const hits = this.search.search(expandQuery(text));
    // A title made of the query's words is what was asked for, not a neighbour: the more of the title the query
    // covers, and the more of the query the title covers, the closer ("List pull requests" for "list pull
    // requests of a repository", "Upload file" over "Upload part of file" for "upload file").
    const asked = new Set(terms(text));
    const bonusFor = (tool: IndexedTool): number => {
      const title = terms(tool.title);
      if (asked.size === 0 || title.length === 0) return 1;
      const titleCovered = title.filter((t) => asked.has(t)).length / title.length;
      const queryCovered = [...asked].filter((t) => title.includes(t)).length / asked.size;
      return 1 + 2 * titleCovered * titleCovered * queryCovered;
    };
    const intent = queryIntent(text);
    const ranked = hits
      .map((h) => {
        const tool = this.tools[h.id as number]!;
        return { tool, score: h.score * bonusFor(tool) * intentFactor(intent, tool) };
      })
      .sort((a, b) => b.score - a.score || (a.tool.name < b.tool.name ? -1 : 1))
      .slice(0, limit);
    return ranked.map(({ tool, score }) => ({
      name: tool.name,
      title: tool.title,
      summary: summarize(tool.description),
      score: Math.round(score * 1000) / 1000,
      read_only: tool.readOnly,
      destructive: tool.destructive,
    }));
  }

  /** Groups (tags or SDK namespaces) with how many tools each holds, largest first. */
  groups(): { name: string; tools: number }[] {
    const counts = new Map<string, number>();
    for (const t of this.tools) counts.set(t.group, (counts.get(t.group) ?? 0) + 1);
    return [...counts].map(([name, tools]) => ({ name, tools })).sort((a, b) => b.tools - a.tools || (a.name < b.name ? -1 : 1));
  }

  /** Names closest to `name` (by the index, then by shared prefix), for an unknown-tool error. */
  closest(name: string, n = 3): string[] {
    const found = this.query(splitWords(name).join(" "), n).map((r) => r.name);
    if (found.length >= n) return found;
    const byPrefix = this.tools
      .map((t) => ({ name: t.name, common: commonPrefix(t.name, name) }))
      .filter((x) => x.common > 2 && !found.includes(x.name))
      .sort((a, b) => b.common - a.common || (a.name < b.name ? -1 : 1))
      .map((x) => x.name);
    return [...found, ...byPrefix].slice(0, n);
  }
}

/** What a query asks to do, by its leading verb (or a question word, which asks to read). */
interface Intent {
  /** The actions asked for, the likeliest first; "read" is a get or a list alike. */
  actions: (RouteAction | "read")[];
  /** The query's words, to match an action path's own verb (`merge`, `copy`). */
  words: Set<string>;
}

// The first of these a query starts with (after filler such as "please" or "I want to") says what it asks.
const INTENT_VERBS: [RegExp, Intent["actions"]][] = [
  [/^(list|enumerate|browse|all|every)$/, ["list"]],
  [/^(get|fetch|retrieve|read|view|show|see|look|lookup|describe|check|download|inspect|display)$/, ["get", "list"]],
  // A question reads, a list as much as one item: neither comes first.
  [/^(who|what|whats|which|when|where|how|is|are|does|do|did|has|have|was|were|can)$/, ["read"]],
  [/^(create|add|new|make|open|post|publish|start|send|upload|register|setup|invite|share|submit|write|leave|file|ship|request|ask|generate|issue|schedule)$/, ["create"]],
  [/^(update|edit|change|rename|modify|set|close|reopen|move|replace|assign|tag|label|mark|enable|disable|restore|bring)$/, ["update"]],
  [/^(delete|remove|drop|destroy|erase|purge|unsubscribe|revoke|cancel|trash)$/, ["delete"]],
];
const INTENT_FILLER = new Set(["please", "i", "id", "want", "wanna", "to", "need", "would", "like", "can", "could", "you", "help", "me", "let", "us", "lets", "just", "quickly", "go", "and", "then", "how", "do"]);

// Phrases whose first word alone would say something else ("get rid of" deletes).
const INTENT_PHRASES: [RegExp, Intent["actions"]][] = [
  [/^(get rid of|throw away|do away with)\b/, ["delete"]],
  [/^(bring back|undo the delete|undelete)\b/, ["update"]],
  [/^(set up|sign up)\b/, ["create"]],
  [/^(look up|find out|how many)\b/, ["read"]],
];

/** The query's first word (after filler such as "please" or "I want to") says what it asks, if it is a verb. */
export function queryIntent(query: string): Intent {
  const words = splitWords(query);
  const set = new Set(words.map((w) => stemmer(w)));
  let start = 0;
  while (start < words.length - 1 && INTENT_FILLER.has(words[start]!) && !(start === 0 && /^(how|can|do)$/.test(words[0]!) && words.length > 1 && !INTENT_FILLER.has(words[1]!))) start++;
  const rest = words.slice(start).join(" ");
  const phrase = INTENT_PHRASES.find(([re]) => re.test(rest));
  if (phrase) return { actions: phrase[1], words: set };
  const first = words[start] ?? "";
  return { actions: INTENT_VERBS.find(([re]) => re.test(first))?.[1] ?? [], words: set };
}

/** How well a tool's route does what the query asks: more for the same action, less for a read against a write. */
function intentFactor(intent: Intent, tool: IndexedTool): number {
  if (!tool.operation) return 1;
  const { action, verb } = routeAction(tool.operation.method, tool.operation.path);
  if (action === "action" && verb) return intent.words.has(stemmer(verb)) ? 1.6 : intent.actions.length === 0 ? 1 : 0.8;
  if (intent.actions.length === 0) return 1;
  const read = (a: RouteAction | "read") => a === "get" || a === "list" || a === "read";
  if (intent.actions[0] === action || (intent.actions[0] === "read" && read(action))) return 1.5;
  if (intent.actions.includes(action)) return 1.25;
  if (read(action) !== read(intent.actions[0]!)) return 0.55;
  return 0.75;
}

/**
 * The description's lead (its first two paragraphs, at most 400 characters: a first paragraph that only repeats
 * the title says nothing) and the rest (at most 4,000), indexed apart: long reference text repeats common words
 * ("request") so often that, weighted like the lead, it would outrank a tool whose name says what was asked.
 */
function descriptionParts(text: string): { lead: string; details: string } {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const head = paragraphs.slice(0, 2).join(" ");
  return { lead: head.slice(0, 400), details: `${head.slice(400)} ${paragraphs.slice(2).join(" ")}`.trim().slice(0, 4000) };
}

function terms(text: string): string[] {
  return splitWords(text)
    .map(normalizeTerm)
    .filter((t): t is string => t !== null);
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
