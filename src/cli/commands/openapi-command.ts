import { parseDuration } from "../../model/selection.js";
import { generateOpenApiProject, NAMING_RULES, type NamingRule } from "../../pipeline/openapi.js";
import { CliError } from "../output.js";
import { HTTP_METHODS } from "../../runtime/http/methods.js";
import type { OpenApiValues } from "../command-flags.js";
import { counts, MANY_TOOLS, manyToolsAdvice, reportWrite } from "./write-report.js";

/** `mxcp-gen openapi SPEC`: exit 1 on conflicts (edited files) or, with --check, on drift. */
export async function openapiCommand(source: string | undefined, flags: OpenApiValues): Promise<number> {
  if (!source) throw new CliError("usage: mxcp-gen openapi <spec file or URL> [--out DIR] [--name API] …", 2);
  const methods = flags.methods.map((m) => m.toLowerCase());
  const bad = methods.filter((m) => !(HTTP_METHODS as readonly string[]).includes(m.toUpperCase()));
  if (bad.length) throw new CliError(`--methods: unknown method(s) ${bad.join(", ")}`, 2);
  if (flags.auth !== undefined && !/^(user|bearer|basic|header:.+|query:.+)$/.test(flags.auth)) throw new CliError(`--auth takes user, bearer, basic, header:NAME or query:NAME, not '${flags.auth}'`, 2);
  if (flags.cache !== undefined) {
    try {
      parseDuration(flags.cache);
    } catch (e) {
      throw new CliError((e as Error).message, 2);
    }
  }
  if (flags.naming !== undefined && !(NAMING_RULES as readonly string[]).includes(flags.naming)) throw new CliError(`--naming takes ${NAMING_RULES.join(" or ")}, not '${flags.naming}'`, 2);
  const quiet = flags.json;
  const result = await generateOpenApiProject(source, {
    ...flags,
    out: flags.out ?? flags.dir,
    methods: methods.length ? methods : undefined,
    naming: flags.naming as NamingRule | undefined,
    progress: quiet ? undefined : (line) => process.stderr.write(line + "\n"),
  });
  if (!flags.json && result.tools > MANY_TOOLS) process.stderr.write(manyToolsAdvice(result.tools, "--tag TAG or --include GLOB"));
  if (!flags.json && result.undeclaredAuth) process.stderr.write(`Note: the document declares no credentials, so the project sends none. ${result.undeclaredAuth}\n`);
  if (!flags.json && result.warnings.length) process.stderr.write(`${result.warnings.length} warning(s) and ${result.notes} lossy step(s): see mxcp-gen.report.${result.api}.md\n`);
  return reportWrite(result, flags, (verb) => [
    `${verb}: API ${result.api}, ${result.tools} tools in ${result.out}: ${counts(result)}`,
    ...(!flags.check && !flags.dryRun && result.conflicts.length === 0
      ? [`Next: mxcp-gen secrets add ${result.api} (its credentials: config.${result.api}.sample.yml), then mxcp-gen serve --print-config claude|cursor|vscode|claude-code`]
      : []),
  ]);
}
