import { resolve } from "node:path";
import { checkProject, type CheckedApi } from "../../pipeline/check.js";
import { CliError, type OutputFlags } from "../output.js";
import { counts } from "./write-report.js";

/**
 * `mxcp-gen check`: every API in mxcp-gen.lock.json whose inputs, generator or files differ from the lock is
 * regenerated in memory with the options it was generated with; exit 1 if any generated file differs from what
 * is on disk (for CI). An API whose hashes all match is up to date without regenerating.
 */
export async function checkCommand(flags: OutputFlags & { dir?: string | undefined }): Promise<number> {
  let checked: CheckedApi[];
  try {
    checked = await checkProject(flags.dir ?? ".");
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("No mxcp-gen.lock.json")) throw new CliError(e.message, 1);
    throw e;
  }
  const results = checked.map(({ api, drift, regenerated, result: r }) => ({
    api,
    drift,
    diffs: r.diffs,
    summary:
      regenerated === undefined
        ? `${api}: up to date (inputs, generator and ${r.unchanged.length} files match the lock file; nothing regenerated)`
        : `${api}: ${drift ? "drift" : "up to date"} (regenerated: ${regenerated}; ${counts(r)}, ${r.conflicts.length} edited)`,
  }));
  // Files that match what would be generated can still fail to compile against the SDK installed now (its types
  // can change under the same version number): wrapped APIs are always compiled. The compiler loads only for them.
  const uncompiled = checked.some((c) => c.kind === "npm") ? (await import("../../pipeline/handler-types.js")).wrappedHandlerProblems(resolve(flags.dir ?? ".")) : [];
  const failed = results.some((r) => r.drift) || uncompiled.length > 0;
  if (flags.json) {
    process.stdout.write(JSON.stringify({ status: failed ? "error" : "ok", result: results.map(({ api, drift, diffs }) => ({ api, drift, diffs, uncompiled: uncompiled.filter((u) => u.api === api).map(({ path, message }) => ({ path, message })) })) }, null, 2) + "\n");
  } else {
    for (const r of results) {
      for (const d of r.diffs) process.stdout.write(d.endsWith("\n") ? d : d + "\n");
      process.stdout.write(r.summary + "\n");
      for (const u of uncompiled.filter((x) => x.api === r.api)) process.stdout.write(`  ✗ ${u.path}: ${u.message}\n`);
    }
  }
  return failed ? 1 : 0;
}
