// `mxcp-gen openapi` as a library call: document → model → files → project.
import { isUrl } from "../model/source-location.js";
import { commandLine } from "./command-line.js";
import { flagWords, pickOptions } from "./flag-table.js";
import { OPENAPI_FLAGS } from "./generation-flags.js";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { generateOpenApiModel, type OpenApiOptions } from "../../generators/openapi/index.js";
import { formatSpecProblem } from "../../generators/openapi/diagnostics.js";
import { apiFilesBeforeTypes, withTypes } from "../emit/api-files.js";
import { startTypesJob } from "./types-job.js";
import { writeFiles, type WriteOptions, type WriteResult } from "../emit/writer.js";
import { loadSiteConfig, SITE_FILE } from "../project/site-config.js";
import { defaultProjectName, missingProjectFiles, siteFile } from "../scaffold/project-skeleton.js";
import { readLock } from "../project/lock-file.js";
import { snakeCase } from "../model/naming.js";
import { NAMING_RULES, type NamingRule } from "../../generators/openapi/route-names.js";

export { NAMING_RULES, type NamingRule };

export interface OpenApiProjectOptions extends OpenApiOptions, WriteOptions {
  /** The project folder (created if needed). */
  out?: string | undefined;
  /** Phase lines for big documents; stderr in the CLI. */
  progress?: ((line: string) => void) | undefined;
}

export interface OpenApiProjectResult extends WriteResult {
  api: string;
  tools: number;
  warnings: string[];
  /** The document declares no credentials: what to regenerate with. */
  undeclaredAuth?: string;
  notes: number;
  out: string;
}



export async function generateOpenApiProject(source: string, opts: OpenApiProjectOptions = {}): Promise<OpenApiProjectResult> {
  const out = resolve(opts.out ?? ".");
  const progress = opts.progress ?? (() => {});
  let t = Date.now();
  const step = (what: string) => {
    progress(`✔ ${what} (${Date.now() - t} ms)`);
    t = Date.now();
  };
  const naming = namingRule(out, source, opts);
  // openapi-typescript and the check of its types run in a worker beside this thread, from the start.
  const typesJob = startTypesJob();
  let result: Awaited<ReturnType<typeof generateOpenApiModel>>;
  try {
    result = await generateOpenApiModel(source, { ...opts, naming, onDocument: (doc) => typesJob.post(doc) });
  } catch (e) {
    typesJob.cancel();
    throw e;
  }
  const api = result.model.name;
  step(`read ${source}: OpenAPI ${result.inputVersion}, ${result.model.tools.length} operations, ${result.files.length} file(s)`);
  if (result.nameFrom !== "flag") progress(`  API name: ${api} (from the ${result.nameFrom === "host" ? "server's host" : result.nameFrom === "title" ? "document's title" : "default"}; choose another with --name)`);

  const site = existsSync(join(out, SITE_FILE)) ? loadSiteConfig(out) : undefined;
  const project = site?.project ?? defaultProjectName(out);
  const profile = site?.profile ?? "default";
  const display = isUrl(source) ? source : relative(out, resolve(source)).split("\\").join("/");
  // The naming rule is in the lock file, where a regeneration in the project finds it: the command leaves it out,
  // so a check (which passes every recorded option) writes the same headers as the run it checks.
  const flags = flagWords(OPENAPI_FLAGS, { ...opts, name: api, naming: undefined });
  const command = commandLine(["mxcp-gen", "openapi", display, ...flags]);
  const warnings = result.warnings.map(formatSpecProblem);
  // The rest is rendered while the types are made.
  const typesMade = typesJob.result(result.document);
  const header = { api, source: display, command };
  const untyped = apiFilesBeforeTypes(result.model, project, profile, header);
  step(`rendered ${untyped.size} files`);
  const types = await typesMade;
  step(`${types.steps.join("; ")} (in a worker thread; waited for it)`);
  warnings.push(...types.warnings);
  const files = withTypes(untyped, result.model, { ...header, types: types.text, warnings });

  const projectFiles = new Map<string, string>([[SITE_FILE, siteFile(out, { project, profile, secrets: [api] })], ...missingProjectFiles(out, project)]);
  const written = writeFiles(
    {
      out,
      api,
      kind: "openapi",
      input: { source: display, files: result.files },
      options: pickOptions(OPENAPI_FLAGS, { ...opts, naming }),
      files,
      projectFiles,
    },
    opts,
  );
  if (!opts.check && !opts.dryRun) step(`wrote ${written.added.length + written.changed.length} files, removed ${written.deleted.length}`);
  return { ...written, api, tools: result.model.tools.length, warnings, notes: result.model.notes.length, out, ...(result.model.undeclaredAuth ? { undeclaredAuth: result.model.undeclaredAuth } : {}) };
}

/**
 * The naming rule: the one asked for, else the one this API was generated with (an API in the lock file from
 * before the rule was recorded used operation ids), else `route` for an API new to the project.
 */
function namingRule(out: string, source: string, opts: OpenApiProjectOptions): NamingRule {
  if (opts.naming) return opts.naming;
  const display = isUrl(source) ? source : relative(out, resolve(source)).split("\\").join("/");
  const name = opts.name ? snakeCase(opts.name) : undefined;
  const before = Object.entries(readLock(out).apis).find(([api, entry]) => entry.kind === "openapi" && (api === name || (entry.input as { source?: unknown }).source === display));
  if (!before) return "route";
  const recorded = (before[1].options as { naming?: unknown }).naming;
  return recorded === "route" ? "route" : "operation-id";
}

