import { parseDuration } from "../../model/cache-policy.js";
import { generateOpenApiProject } from "../../generate/openapi.js";
import { CliError } from "../output.js";
import { counts, reportWrite, type WriteFlags } from "./write-report.js";

export interface OpenApiFlags extends WriteFlags {
  out?: string | undefined;
  name?: string | undefined;
  tag: string[];
  include: string[];
  exclude: string[];
  methods?: string | undefined;
  readOnly: boolean;
  baseUrl?: string | undefined;
  allowRemoteRefs: boolean;
  cache?: string | undefined;
  cacheInclude: string[];
  cacheExclude: string[];
  force: boolean;
}

/** `mxcp-gen openapi SPEC`: exit 1 on conflicts (edited files) or, with --check, on drift. */
export async function openapiCommand(source: string | undefined, flags: OpenApiFlags): Promise<number> {
  if (!source) throw new CliError("usage: mxcp-gen openapi <spec file or URL> [--out DIR] [--name API] …", 2);
  const methods = flags.methods?.split(",").map((m) => m.trim().toLowerCase()).filter(Boolean);
  const bad = methods?.filter((m) => !["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(m));
  if (bad?.length) throw new CliError(`--methods: unknown method(s) ${bad.join(", ")}`, 2);
  if (flags.cache !== undefined) {
    try {
      parseDuration(flags.cache);
    } catch (e) {
      throw new CliError((e as Error).message, 2);
    }
  }
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
    cache: flags.cache,
    cacheInclude: flags.cacheInclude.length ? flags.cacheInclude : undefined,
    cacheExclude: flags.cacheExclude.length ? flags.cacheExclude : undefined,
    dryRun: flags.dryRun,
    force: flags.force,
    check: flags.check,
    progress: quiet ? undefined : (line) => process.stderr.write(line + "\n"),
  });
  if (!flags.json && result.warnings.length) process.stderr.write(`${result.warnings.length} warning(s) and ${result.notes} lossy step(s): see mxcp-gen.report.${result.api}.md\n`);
  return reportWrite(result, flags, (verb) => [
    `${verb}: API ${result.api}, ${result.tools} tools in ${result.out}: ${counts(result)}`,
    ...(!flags.check && !flags.dryRun && result.conflicts.length === 0
      ? [`Next: set the '${result.api}' secret in your user config (see config.${result.api}.sample.yml), then mxcp-gen serve`]
      : []),
  ]);
}
