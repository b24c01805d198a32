import { generateOpenApiProject } from "../../generate-openapi.js";
import { CliError, type OutputFlags } from "../output.js";

export interface OpenApiFlags extends OutputFlags {
  out?: string | undefined;
  name?: string | undefined;
  tag: string[];
  include: string[];
  exclude: string[];
  methods?: string | undefined;
  readOnly: boolean;
  baseUrl?: string | undefined;
  allowRemoteRefs: boolean;
  dryRun: boolean;
  force: boolean;
  check: boolean;
}

/** `mxcp-gen openapi SPEC`: exit 1 on conflicts (edited files) or, with --check, on drift. */
export async function openapiCommand(source: string | undefined, flags: OpenApiFlags): Promise<number> {
  if (!source) throw new CliError("usage: mxcp-gen openapi <spec file or URL> [--out DIR] [--name API] …", 2);
  const methods = flags.methods?.split(",").map((m) => m.trim().toLowerCase()).filter(Boolean);
  const bad = methods?.filter((m) => !["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(m));
  if (bad?.length) throw new CliError(`--methods: unknown method(s) ${bad.join(", ")}`, 2);
  const quiet = flags.json;
  const result = await generateOpenApiProject(source, {
    out: flags.out,
    name: flags.name,
    tags: flags.tag.length ? flags.tag : undefined,
    include: flags.include.length ? flags.include : undefined,
    exclude: flags.exclude.length ? flags.exclude : undefined,
    methods,
    readOnly: flags.readOnly,
    baseUrl: flags.baseUrl,
    allowRemoteRefs: flags.allowRemoteRefs,
    dryRun: flags.dryRun,
    force: flags.force,
    check: flags.check,
    progress: quiet ? undefined : (line) => process.stderr.write(line + "\n"),
  });
  const drift = result.added.length + result.changed.length + result.deleted.length > 0;
  if (flags.json) {
    const { diffs, ...rest } = result;
    process.stdout.write(JSON.stringify({ status: result.conflicts.length || (flags.check && drift) ? "error" : "ok", result: flags.dryRun || flags.check ? { ...rest, diffs } : rest }, null, 2) + "\n");
  } else {
    if (flags.dryRun || flags.check) for (const d of result.diffs) process.stdout.write(d.endsWith("\n") ? d : d + "\n");
    const verb = flags.check ? "Drift" : flags.dryRun ? "Would change" : "Generated";
    process.stdout.write(
      `${verb}: API ${result.api}, ${result.tools} tools in ${result.out}: ${result.added.length} added, ${result.changed.length} changed, ${result.deleted.length} deleted, ${result.unchanged.length} unchanged\n`,
    );
    if (result.warnings.length) process.stderr.write(`${result.warnings.length} warning(s) and ${result.notes} lossy step(s): see mxcp-gen.report.${result.api}.md\n`);
    for (const c of result.conflicts) process.stderr.write(`Not overwritten: ${c.path} ${c.reason} (use --force to replace it)\n`);
    if (!flags.check && !flags.dryRun && result.conflicts.length === 0) {
      process.stdout.write(`Next: set the '${result.api}' secret in your user config (see config.${result.api}.sample.yml), then mxcp-gen serve\n`);
    }
  }
  if (result.conflicts.length > 0) return 1;
  if (flags.check && drift) return 1;
  return 0;
}
