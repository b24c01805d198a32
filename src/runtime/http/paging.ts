// Several pages in one call: the runtime half of the generator's paging detection. It knows where a page's
// items are and how to ask for the next page in each style; the client does the requests.
import type { HttpOperation, PagingDef } from "./types.js";

/** The most pages one call fetches (`max_pages` is 1 to this). */
export const MAX_PAGES = 20;

/** The items of one page. */
export function pageItems(page: unknown, paging: PagingDef): unknown[] {
  const list = paging.items === "" ? page : page && typeof page === "object" ? (page as Record<string, unknown>)[paging.items] : undefined;
  return Array.isArray(list) ? list : [];
}

/** Every page's items in the first page's shape: an array, or the last page's object with all the items. */
export function joinPages(last: unknown, paging: PagingDef, items: unknown[]): unknown {
  if (paging.items === "" || !last || typeof last !== "object" || Array.isArray(last)) return items;
  return { ...(last as Record<string, unknown>), [paging.items]: items };
}

/** `<https://api/x?page=2>; rel="next", <…>; rel="last"` → the next URL. */
export function nextLink(header: string | null): URL | undefined {
  for (const part of (header ?? "").split(",")) {
    const m = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (m && /rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2]!)) {
      try {
        return new URL(m[1]!);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const asValue = (v: string): unknown => (/^-?\d+$/.test(v) && v.length < 16 ? Number(v) : v);

/**
 * The arguments that ask for the page after `page` (to merge into the current ones), or undefined when there is
 * none. A short or empty page is the last one for the offset and page styles.
 */
export function nextArguments(op: HttpOperation, paging: PagingDef, current: Record<string, unknown>, page: unknown, items: unknown[], link: string | null): Record<string, unknown> | undefined {
  const size = paging.sizeArg !== undefined ? Number(current[paging.sizeArg]) : NaN;
  const short = items.length === 0 || (Number.isFinite(size) && size > 0 && items.length < size);
  const obj = page && typeof page === "object" && !Array.isArray(page) ? (page as Record<string, unknown>) : {};
  switch (paging.style) {
    case "link": {
      const url = nextLink(link);
      if (!url) return undefined;
      // The next URL's query, as the tool's own arguments (so a model can continue with them too).
      const out: Record<string, unknown> = {};
      for (const p of op.parameters) {
        if (p.in !== "query") continue;
        const v = url.searchParams.get(p.name);
        if (v !== null && String(current[p.arg] ?? "") !== v) out[p.arg] = asValue(v);
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    case "cursor": {
      if (obj[paging.hasMore!] !== true || items.length === 0) return undefined;
      const last = items[items.length - 1] as Record<string, unknown> | null;
      const id = last && typeof last === "object" ? last.id : undefined;
      return typeof id === "string" || typeof id === "number" ? { [paging.arg!]: id } : undefined;
    }
    case "token": {
      const token = obj[paging.next!];
      return typeof token === "string" && token !== "" ? { [paging.arg!]: token } : typeof token === "number" ? { [paging.arg!]: token } : undefined;
    }
    case "offset": {
      if (short) return undefined;
      return { [paging.arg!]: (Number(current[paging.arg!]) || 0) + items.length };
    }
    case "page": {
      if (short) return undefined;
      const at = Number(current[paging.arg!]);
      return { [paging.arg!]: (Number.isFinite(at) && at > 0 ? at : 1) + 1 };
    }
  }
}
