// A full-text index over a project's tools, so a model can find the few it needs among thousands.
// MiniSearch does the ranking (BM25-like scoring, field weights, prefix and fuzzy matching); we decide what
// text each tool contributes and how terms are normalised (split identifiers, stop words, Porter stemming).
import MiniSearch from "minisearch";
import { stemmer } from "stemmer";

/** What the index needs to know about one tool. */
export interface IndexedTool {
  name: string;
  title: string;
  description: string;
  tags: string[];
  /** `GET /repos/{owner}/{repo}/pulls` or an SDK call path such as `chat.completions.create`. */
  route: string;
  /** Parameter names and their descriptions, as one text. */
  parameters: string;
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
];

export function expandQuery(query: string): string {
  const q = query.toLowerCase();
  const extra = SYNONYMS.filter(([re]) => re.test(q)).map(([, add]) => add);
  return extra.length > 0 ? `${query} ${extra.join(" ")}` : query;
}

function normalizeTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (STOP_WORDS.has(t)) return null;
  return stemmer(t);
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
  tagText: string;
  route: string;
  parameters: string;
}

export class ToolIndex {
  private readonly search: MiniSearch<IndexDocument>;
  private readonly tools: IndexedTool[];
  private readonly byName = new Map<string, IndexedTool>();

  constructor(tools: IndexedTool[]) {
    this.tools = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const t of this.tools) this.byName.set(t.name, t);
    this.search = new MiniSearch({
      fields: ["nameWords", "title", "description", "tagText", "route", "parameters"],
      storeFields: [],
      tokenize: (text) => splitWords(text),
      processTerm: normalizeTerm,
      searchOptions: {
        boost: { nameWords: 3, title: 2.5, tagText: 1.5, route: 1.5, description: 1, parameters: 0.5 },
        prefix: (term) => term.length >= 3,
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        combineWith: "OR",
      },
    });
    this.search.addAll(
      // The description's first paragraph only: long reference text repeats common words ("request") so often
      // that it would outrank a tool whose name and title say exactly what was asked.
      this.tools.map((t, id) => ({ id, nameWords: t.name, title: t.title, description: leadParagraph(t.description), tagText: t.tags.join(" "), route: t.route, parameters: t.parameters })),
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
    const ranked = hits
      .map((h) => {
        const tool = this.tools[h.id as number]!;
        return { tool, score: h.score * bonusFor(tool) };
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

function leadParagraph(text: string): string {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  // A first paragraph that only repeats the title says nothing; take the next one too.
  return paragraphs.slice(0, 2).join(" ").slice(0, 400);
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
