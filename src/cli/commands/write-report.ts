import type { WriteResult } from "../../emit/writer.js";
import type { OutputFlags } from "../output.js";
import { linkRunningPackage, runtimeLinkLine } from "../../scaffold/runtime-link.js";

export interface WriteFlags extends OutputFlags {
  dryRun: boolean;
  check: boolean;
}

/**
 * What `openapi` and `wrap` print after planning or writing: the JSON envelope, or the diffs (dry run,
 * check), the counts line from `summary`, and every file not overwritten. A project written to also gets
 * the runtime link (`linkRuntime`). Returns the exit code:
 * 1 on a conflict, or on drift with --check.
 */
export function reportWrite(result: WriteResult & { out: string }, flags: WriteFlags, summary: (verb: string) => string[]): number {
  if (!flags.dryRun && !flags.check) linkRuntime(result.out, flags);
  const drift = result.added.length + result.changed.length + result.deleted.length > 0;
  const failed = result.conflicts.length > 0 || (flags.check && drift);
  if (flags.json) {
    const { diffs, ...rest } = result;
    process.stdout.write(JSON.stringify({ status: failed ? "error" : "ok", result: flags.dryRun || flags.check ? { ...rest, diffs } : rest }, null, 2) + "\n");
  } else {
    if (flags.dryRun || flags.check) for (const d of result.diffs) process.stdout.write(d.endsWith("\n") ? d : d + "\n");
    const verb = flags.check ? "Drift" : flags.dryRun ? "Would change" : "Generated";
    for (const line of summary(verb)) process.stdout.write(line + "\n");
    for (const c of result.conflicts) process.stderr.write(`Not overwritten: ${c.path} ${c.reason} (use --force to replace it)\n`);
    // A server loads handler and client modules once: what it runs now is the code before this change.
    if (!flags.dryRun && !flags.check && result.changed.length + result.deleted.length > 0) process.stderr.write(`${RESTART_NOTE}\n`);
  }
  return failed ? 1 : 0;
}

export const RESTART_NOTE = "Restart any server running this project (or the assistant that starts it): a running server keeps the code it loaded.";

export function counts(r: WriteResult): string {
  return `${r.added.length} added, ${r.changed.length} changed, ${r.deleted.length} deleted, ${r.unchanged.length} unchanged`;
}

/** Above this many tools, assistants pick better through the search surface than from a full list. */
export const MANY_TOOLS = 100;

export function manyToolsAdvice(tools: number, narrow: string): string {
  return `Note: ${tools} tools. An assistant finds its way through this many best with the search surface, which \`mxcp-gen serve\` uses by default above ${MANY_TOOLS} tools (--expose search); or generate fewer with ${narrow}.\n`;
}

/** Links the project's `node_modules/mxcp-gen` to this package when no registry serves it, and says so. */
export function linkRuntime(root: string, flags: OutputFlags): void {
  const line = runtimeLinkLine(linkRunningPackage(root));
  if (line && !flags.json) process.stderr.write(line + "\n");
}
