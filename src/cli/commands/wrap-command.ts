import { wrapPackageProject } from "../../pipeline/wrap.js";
import { parseDuration } from "../../model/selection.js";
import { CliError } from "../output.js";
import type { WrapValues } from "../command-flags.js";
import { counts, MANY_TOOLS, manyToolsAdvice, reportWrite } from "./write-report.js";


export async function wrapCommand(pkg: string | undefined, flags: WrapValues): Promise<number> {
  if (!pkg) throw new CliError("usage: mxcp-gen wrap <package> [--out DIR] [--include GLOB]… …", 2);
  const maxDepth = flags.maxDepth === undefined ? undefined : Number(flags.maxDepth);
  if (maxDepth !== undefined && (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 10)) throw new CliError("--max-depth must be a whole number from 1 to 10", 2);
  if (flags.cache !== undefined) {
    try {
      parseDuration(flags.cache);
    } catch (e) {
      throw new CliError((e as Error).message, 2);
    }
  }
  const result = await wrapPackageProject(pkg, {
    ...flags,
    out: flags.out ?? flags.dir,
    maxDepth,
    progress: flags.json ? undefined : (line) => process.stderr.write(line + "\n"),
  });
  const groups = Object.entries(result.groups).sort((a, b) => b[1] - a[1]);
  if (!flags.json && result.tools > MANY_TOOLS) {
    const hints = groups.filter(([g]) => g !== "(top level)").slice(0, 3).map(([g]) => `--include '${g}.*'`);
    process.stderr.write(manyToolsAdvice(result.tools, hints.join(" ") || "--include 'name*'"));
  }
  return reportWrite(result, flags, (verb) => [
    `${result.package}@${result.version}: ${result.tools} tools in ${groups.length} group(s): ${groups.slice(0, 12).map(([g, n]) => `${g} ${n}`).join(", ")}${groups.length > 12 ? ", …" : ""}`,
    `${verb}: ${counts(result)}; ${result.skipped.length} skipped (see mxcp-gen.report.${result.api}.md)`,
  ]);
}
