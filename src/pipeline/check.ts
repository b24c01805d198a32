// `mxcp-gen check` as a library call: every API in the lock file regenerated in memory, with the options it
// was generated with, compared with what is on disk.
import { resolve } from "node:path";
import { readLock } from "../project/lock-file.js";
import { generateOpenApiProject } from "./openapi.js";
import { wrapPackageProject } from "./wrap.js";
import type { WriteResult } from "../emit/writer.js";

export interface CheckedApi {
  api: string;
  /** Any generated file would be added, changed, deleted, or was edited by hand. */
  drift: boolean;
  result: WriteResult;
}

/** Throws when the folder has no lock file with generated APIs. */
export async function checkProject(dir = "."): Promise<CheckedApi[]> {
  const out = resolve(dir);
  const lock = readLock(out);
  const apis = Object.entries(lock.apis);
  if (apis.length === 0) throw new Error(`No mxcp-gen.lock.json with generated APIs in ${out}`);
  const checked: CheckedApi[] = [];
  for (const [api, entry] of apis) {
    const options = { ...(entry.options as Record<string, unknown>), out, check: true };
    const result =
      entry.kind === "openapi"
        ? await generateOpenApiProject(resolve(out, String(entry.input.source)), options)
        : await wrapPackageProject(String(entry.input.package), options);
    checked.push({ api, drift: result.added.length + result.changed.length + result.deleted.length + result.conflicts.length > 0, result });
  }
  return checked;
}
