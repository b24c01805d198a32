import { loadProject } from "../../project/project.js";
import { Database } from "../../runtime/database.js";
import { cacheStats, clearCache } from "../../runtime/http/cache.js";
import { CliError, printOk } from "../output.js";
import type { CommonFlags } from "./project-commands.js";
import { readLock } from "../../project/lock-file.js";

/** `mxcp-gen cache stats|clear [--api NAME]`: the cached reads kept in the project's DuckDB. */
export async function cacheCommand(action: string | undefined, flags: CommonFlags & { api?: string | undefined }): Promise<number> {
  if (action !== "stats" && action !== "clear") throw new CliError("usage: mxcp-gen cache stats | mxcp-gen cache clear [--api NAME]", 2);
  const project = loadProject({ cwd: flags.dir, profile: flags.profile });
  const db = new Database({ path: project.duckdbPath, readonly: action === "stats" && project.duckdbReadonly });
  try {
    if (action === "stats") {
      const rows = (await cacheStats(db)).filter((r) => !flags.api || r.api === flags.api);
      printOk(rows, flags, () =>
        rows.length === 0
          ? emptyCacheMessage(project.root, flags.api)
          : ["api  entries  bytes  hits  misses", ...rows.map((r) => `${r.api}  ${r.entries}  ${r.bytes}  ${r.hits}  ${r.misses}`)].join("\n"),
      );
    } else {
      const dropped = await clearCache(db, flags.api);
      printOk({ dropped }, flags, () => `Dropped ${dropped} cached ${dropped === 1 ? "entry" : "entries"}${flags.api ? ` of ${flags.api}` : ""}`);
    }
  } finally {
    await db.close();
  }
  return 0;
}

/** Nothing cached: for APIs generated with --cache it is only empty for now; else say how to turn it on. */
function emptyCacheMessage(root: string, api: string | undefined): string {
  const cached = Object.entries(readLock(root).apis)
    .filter(([name, entry]) => (!api || name === api) && typeof (entry.options as { cache?: unknown }).cache === "string")
    .map(([name, entry]) => `${name} (${String((entry.options as { cache?: unknown }).cache)})`);
  return cached.length > 0
    ? `No cached reads yet: ${cached.join(", ")} ${cached.length === 1 ? "caches its" : "cache their"} reads as the tools are called`
    : "No cached reads (generate with mxcp-gen openapi … --cache DURATION)";
}
