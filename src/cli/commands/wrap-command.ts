import { wrapPackageProject } from "../../generate-wrap.js";
import { CliError, type OutputFlags } from "../output.js";

export interface WrapFlags extends OutputFlags {
  out?: string | undefined;
  client?: string | undefined;
  include: string[];
  exclude: string[];
  allowDestructive: boolean;
  maxDepth?: string | undefined;
  sync: boolean;
  profileFile?: string | undefined;
  install: boolean;
  dryRun: boolean;
  force: boolean;
  check: boolean;
}

const MANY_TOOLS = 50;

export async function wrapCommand(pkg: string | undefined, flags: WrapFlags): Promise<number> {
  if (!pkg) throw new CliError("usage: mxcp-gen wrap <package> [--out DIR] [--include GLOB]… …", 2);
  const maxDepth = flags.maxDepth === undefined ? undefined : Number(flags.maxDepth);
  if (maxDepth !== undefined && (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 10)) throw new CliError("--max-depth must be a whole number from 1 to 10", 2);
  const result = await wrapPackageProject(pkg, {
    out: flags.out,
    client: flags.client,
    include: flags.include.length ? flags.include : undefined,
    exclude: flags.exclude.length ? flags.exclude : undefined,
    allowDestructive: flags.allowDestructive,
    maxDepth,
    sync: flags.sync,
    profileFile: flags.profileFile,
    install: flags.install,
    dryRun: flags.dryRun,
    force: flags.force,
    check: flags.check,
    progress: flags.json ? undefined : (line) => process.stderr.write(line + "\n"),
  });
  const drift = result.added.length + result.changed.length + result.deleted.length > 0;
  if (flags.json) {
    const { diffs, ...rest } = result;
    process.stdout.write(JSON.stringify({ status: result.conflicts.length || (flags.check && drift) ? "error" : "ok", result: flags.dryRun || flags.check ? { ...rest, diffs } : rest }, null, 2) + "\n");
  } else {
    if (flags.dryRun || flags.check) for (const d of result.diffs) process.stdout.write(d.endsWith("\n") ? d : d + "\n");
    const groups = Object.entries(result.groups).sort((a, b) => b[1] - a[1]);
    process.stdout.write(`${result.package}@${result.version}: ${result.tools} tools in ${groups.length} group(s): ${groups.slice(0, 12).map(([g, n]) => `${g} ${n}`).join(", ")}${groups.length > 12 ? ", …" : ""}\n`);
    if (result.tools > MANY_TOOLS) {
      process.stderr.write(
        `Warning: ${result.tools} tools is a lot for one assistant. Narrow it with --include, for example: ${groups
          .filter(([g]) => g !== "(top level)")
          .slice(0, 3)
          .map(([g]) => `--include '${g}.*'`)
          .join(" ") || "--include 'name*'"}\n`,
      );
    }
    const verb = flags.check ? "Drift" : flags.dryRun ? "Would change" : "Generated";
    process.stdout.write(`${verb}: ${result.added.length} added, ${result.changed.length} changed, ${result.deleted.length} deleted, ${result.unchanged.length} unchanged; ${result.skipped.length} skipped (see mxcp-gen.report.${result.api}.md)\n`);
    for (const c of result.conflicts) process.stderr.write(`Not overwritten: ${c.path} ${c.reason} (use --force to replace it)\n`);
  }
  if (result.conflicts.length > 0) return 1;
  if (flags.check && drift) return 1;
  return 0;
}
