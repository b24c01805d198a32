// Names for operations whose operationId says nothing the method and path do not (Stripe's `PostCustomers`,
// `GetCustomersCustomer`; Box's `get_folders_id_items`), and for operations with none: what the method means
// on the path, in the words a model would use (`create_customer`, `get_customer`, `list_folder_items`).
import { snakeCase } from "../../src/model/naming.js";
import { isParameter, nameWords, routeAction } from "../../src/model/verbs.js";

/** How tools are named: `route` (this module), or `operation-id` (the operationId as it is; projects made before). */
export type NamingRule = "route" | "operation-id";
export const NAMING_RULES: readonly NamingRule[] = ["route", "operation-id"];

const VERSION = /^(v\d+(\.\d+)*|api|rest)$/i;

/**
 * An operationId that is the method and every word of the path's segments, and nothing else
 * (`GetCustomersCustomer` for `GET /v1/customers/{customer}`, `get_folders_id_items`). One that leaves a segment
 * out chose its words (`getInventory` for `/store/inventory`), and is kept.
 */
export function restatesRoute(operationId: string, method: string, path: string): boolean {
  const words = snakeCase(operationId).split("_").filter(Boolean);
  if (words[0] !== method.toLowerCase()) return false;
  const segments = path.split(/[/#]/).filter((s) => s && !VERSION.test(s));
  const everyWord = new Set(segments.flatMap((s) => nameWords(s)));
  const segmentWords = segments.filter((s) => !isParameter(s)).flatMap((s) => nameWords(s));
  const said = new Set(words.slice(1));
  return words.slice(1).every((w) => everyWord.has(w)) && segmentWords.every((w) => said.has(w));
}

export function singular(word: string): string {
  if (/ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is|status|news)$/.test(word)) return word;
  if (/(ses|xes|zes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word) && word.length > 3) return word.slice(0, -1);
  return word;
}

/**
 * The name for a method on a path: `list_` a collection, `get_` / `update_` / `delete_` an item, `create_` in
 * a collection, or the path's own verb (`cancel_subscription`); a parent item names the child's owner
 * (`list_folder_items`, `get_file_version`). Box's `#fragment` paths put the fragment first; `named` replaces
 * the action's word (`restore_file`).
 */
export function routeName(method: string, path: string, named?: string): string {
  const [main = "", fragment] = path.split("#");
  const segments = main.split("/").filter((s) => s && !VERSION.test(s));
  const { action, verb } = routeAction(method, main);
  // The nouns: each collection before an item parameter in the singular, the rest as written.
  const nouns: string[] = [];
  let last = segments.length - 1;
  if (action === "action" && verb && !isParameter(segments[last] ?? "")) last--;
  segments.slice(0, last + 1).forEach((segment, i, kept) => {
    if (isParameter(segment)) return;
    const words = nameWords(segment);
    const beforeParameter = isParameter(kept[i + 1] ?? "");
    if (beforeParameter && words.length > 0) words[words.length - 1] = singular(words.at(-1)!);
    nouns.push(...words);
  });
  const item = isParameter(segments.at(-1) ?? "");
  const head = named
    ? named
    : fragment
    ? snakeCase(fragment)
    : action === "action"
      ? snakeCase(segments.at(-1) ?? verb ?? method)
      : action;
  // A collection's name is kept plural for list, made singular for create (`create_customer`).
  if (!fragment && action === "create" && !item && nouns.length > 0) nouns[nouns.length - 1] = singular(nouns.at(-1)!);
  return snakeCase([head, ...dropRepeats(nouns)].join("_")) || snakeCase(`${method} ${path}`) || method.toLowerCase();
}

/**
 * The verb a summary starts with (`Restore file` → `restore`), for a POST on an item whose path also has a PUT or
 * PATCH: that POST is not the update (Box's restore), and its summary says what it is.
 */
export function summaryVerb(summary: unknown): string | undefined {
  const first = typeof summary === "string" ? summary.trim().split(/\s+/)[0]?.toLowerCase() : undefined;
  return first && /^[a-z]{3,}$/.test(first) && !["the", "this", "for", "with", "and"].includes(first) ? first : undefined;
}

/** `repo_repo` → `repo`: a word said twice in a row says nothing more. */
function dropRepeats(words: string[]): string[] {
  return words.filter((w, i) => w !== words[i - 1]);
}
