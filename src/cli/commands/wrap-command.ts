import { wrapPackageProject } from "../../generate/wrap.js";
import { parseDuration } from "../../model/cache-policy.js";
import { CliError } from "../output.js";
import { counts, reportWrite, type WriteFlags } from "./write-report.js";

export interface WrapFlags extends WriteFlags {
  out?: string | undefined;
  client?: string | undefined;
  include: string[];
  exclude: string[];
  allowDestructive: boolean;
  maxDepth?: string | undefined;
  sync: boolean;
  profileFile?: string | undefined;
  cache?: string | undefined;
  cacheInclude: string[];
  cacheExclude: string[];
  install: boolean;
  force: boolean;
}

const MANY_TOOLS = 50;

export async function wrapCommand(pkg: string | undefined, flags: WrapFlags): Promise<number> {
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
    out: flags.out,
    client: flags.client,
    include: flags.include.length ? flags.include : undefined,
    exclude: flags.exclude.length ? flags.exclude : undefined,
    allowDestructive: flags.allowDestructive,
    maxDepth,
    sync: flags.sync,
    profileFile: flags.profileFile,
    cache: flags.cache,
    cacheInclude: flags.cacheInclude.length ? flags.cacheInclude : undefined,
    cacheExclude: flags.cacheExclude.length ? flags.cacheExclude : undefined,
    install: flags.install,
    dryRun: flags.dryRun,
    force: flags.force,
    check: flags.check,
    progress: flags.json ? undefined : (line) => process.stderr.write(line + "\n"),
  });
  const groups = Object.entries(result.groups).sort((a, b) => b[1] - a[1]);
  if (!flags.json && result.tools > MANY_TOOLS) {
    const hints = groups.filter(([g]) => g !== "(top level)").slice(0, 3).map(([g]) => `--include '${g}.*'`);
    process.stderr.write(`Warning: ${result.tools} tools is a lot for one assistant. Narrow it with --include, for example: ${hints.join(" ") || "--include 'name*'"}\n`);
  }
  return reportWrite(result, flags, (verb) => [
    `${result.package}@${result.version}: ${result.tools} tools in ${groups.length} group(s): ${groups.slice(0, 12).map(([g, n]) => `${g} ${n}`).join(", ")}${groups.length > 12 ? ", …" : ""}`,
    `${verb}: ${counts(result)}; ${result.skipped.length} skipped (see mxcp-gen.report.${result.api}.md)`,
  ]);
}
