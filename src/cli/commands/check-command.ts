import { resolve } from "node:path";
import { readLock } from "../../project/lock-file.js";
import { generateOpenApiProject } from "../../generate/openapi.js";
import { wrapPackageProject } from "../../generate/wrap.js";
import { CliError, type OutputFlags } from "../output.js";
import { counts } from "./write-report.js";

/**
 * `mxcp-gen check`: regenerate every API in mxcp-gen.lock.json in memory, with the options it was
 * generated with, and exit 1 if any generated file differs from what is on disk (for CI).
 */
export async function checkCommand(flags: OutputFlags & { dir?: string | undefined }): Promise<number> {
  const out = resolve(flags.dir ?? ".");
  const lock = readLock(out);
  const apis = Object.entries(lock.apis);
  if (apis.length === 0) throw new CliError(`No mxcp-gen.lock.json with generated APIs in ${out}`, 1);
  const results: { api: string; drift: boolean; summary: string; diffs: string[] }[] = [];
  for (const [api, entry] of apis) {
    const options = { ...(entry.options as Record<string, unknown>), out, check: true };
    const r =
      entry.kind === "openapi"
        ? await generateOpenApiProject(resolve(out, String(entry.input.source)), options)
        : await wrapPackageProject(String(entry.input.package), options);
    const drift = r.added.length + r.changed.length + r.deleted.length + r.conflicts.length > 0;
    results.push({ api, drift, summary: `${api}: ${drift ? "drift" : "up to date"} (${counts(r)}, ${r.conflicts.length} edited)`, diffs: r.diffs });
  }
  const failed = results.some((r) => r.drift);
  if (flags.json) {
    process.stdout.write(JSON.stringify({ status: failed ? "error" : "ok", result: results.map(({ api, drift, diffs }) => ({ api, drift, diffs })) }, null, 2) + "\n");
  } else {
    for (const r of results) {
      for (const d of r.diffs) process.stdout.write(d.endsWith("\n") ? d : d + "\n");
      process.stdout.write(r.summary + "\n");
    }
  }
  return failed ? 1 : 0;
}
