// The parameter every paged tool gains, whichever generator found the paging.
import { MAX_PAGES } from "../runtime/http/paging.js";
import type { ToolParameter } from "./tool-model.js";

/** `max_pages` (or the free name given), optional, 1 to 20, described with how the tool pages (`how`). */
export function maxPagesParameter(name: string, how: string): ToolParameter {
  return {
    name,
    type: {
      type: "integer",
      description: `How many pages to fetch in this one call (1 to ${MAX_PAGES}); the items of every page come back in order, and _meta.next_arguments says how to continue. ${how}`,
      minimum: 1,
      maximum: MAX_PAGES,
      default: 1,
    },
    required: false,
    tsType: { kind: "builtin", name: "number" },
    origin: "mxcp-gen: pages fetched in one call",
  };
}
