import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { EndpointFile, EndpointKind, PromptDef, PromptMessageDef, ResourceDef, SourceDef, ToolDef } from "./definitions.js";
import { endpointFileSchema, endpointSchemaStamp } from "./endpoint-schema.js";
import { templateVariables } from "./prompt-template.js";
import { MESSAGE_FIELDS, messageKind, messageMediaType } from "./prompt-messages.js";
import { formatProblem, ProjectError, zodProblems, type Problem } from "./schema-errors.js";
import type { SiteConfig } from "./site-config.js";
import { sqlParameterNames } from "./sql-params.js";
import { YamlCache } from "./yaml-cache.js";
import { compileInputSchema } from "../types/json-schema-input.js";
import { parseYamlText } from "./yaml-file.js";

/** One endpoint file after loading: either a definition, or the problems that stopped it. */
export interface EndpointEntry {
  kind: EndpointKind;
  /** Path relative to the project root, with `/` separators. */
  path: string;
  /** The tool or prompt name, or the resource URI. */
  name?: string;
  definition?: ToolDef | ResourceDef | PromptDef;
  metadata?: Record<string, unknown>;
  problems: Problem[];
}

export interface LoadedTool extends EndpointEntry {
  kind: "tool";
  name: string;
  definition: ToolDef;
}

export function endpointError(e: EndpointEntry): string | undefined {
  return e.problems.length > 0 ? e.problems.map(formatProblem).join("\n") : undefined;
}

const KINDS: EndpointKind[] = ["tool", "resource", "prompt"];

/** Find and load every endpoint file; each file's problems stay with it so the rest still loads. */
/**
 * Every endpoint of the project. With `only`, other endpoints whose parsed YAML is cached are listed by name
 * without a definition (`run` calls one tool of thousands: only that one is validated and checked).
 */
export function loadEndpoints(root: string, site: SiteConfig, only?: { kind: EndpointKind; name: string }): EndpointEntry[] {
  const entries: EndpointEntry[] = [];
  const ctx: LoadContext = { root, cache: new YamlCache(root, undefined, "endpoints", endpointSchemaStamp()), folders: new Map() };
  const cache = ctx.cache;
  for (const kind of KINDS) {
    const folder = join(root, site.paths[`${kind}s` as "tools" | "resources" | "prompts"]);
    for (const file of findYmlFiles(folder)) {
      const cached = only ? cache.get(file) : undefined;
      const name = cached && typeof cached === "object" ? declaredName(cached as Record<string, unknown>, kind) : undefined;
      if (only && name !== undefined && !(kind === only.kind && name === only.name)) {
        entries.push({ kind, path: relative(root, file).split(sep).join("/"), name, problems: [] });
        continue;
      }
      const entry = loadEndpointFile(ctx, file, kind);
      if (entry) entries.push(entry);
    }
  }
  cache.save();
  markDuplicates(entries);
  return entries;
}

function findYmlFiles(folder: string): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  const out: string[] = [];
  for (const ent of readdirSync(folder, { withFileTypes: true })) {
    const full = join(folder, ent.name);
    if (ent.isDirectory()) out.push(...findYmlFiles(full));
    else if (ent.isFile() && ent.name.endsWith(".yml")) out.push(full);
  }
  return out.sort();
}

/** One load of a project's endpoints: its parsed-file cache, and its folders' real paths. */
interface LoadContext {
  root: string;
  cache: YamlCache;
  folders: Map<string, string>;
}

function loadEndpointFile(ctx: LoadContext, file: string, folderKind: EndpointKind): EndpointEntry | undefined {
  const { root, cache } = ctx;
  const path = relative(root, file).split(sep).join("/");
  // A file validated before is not validated again (the slowest part of loading a thousand tools).
  const checked = cache.getChecked(file);
  if (checked !== undefined) return finishEntry(ctx, file, path, folderKind, checked as EndpointFile, (p) => p);
  const cached = cache.get(file);
  if (cached !== undefined) {
    // A file that parsed before: only a problem needs the full parse, for its line and column.
    const quick = endpointFileSchema.safeParse(cached);
    if (quick.success) {
      cache.setChecked(file, quick.data);
      return finishEntry(ctx, file, path, folderKind, quick.data, (p) => p);
    }
  }
  const text = readFileSync(file, "utf8");
  if (text.trim() === "") return { kind: folderKind, path, problems: [{ file: path, path: "", message: "Endpoint file is empty" }] };
  let parsed: EndpointFile;
  let locate: (p: Problem) => Problem;
  try {
    const yaml = parseYamlText(text, path);
    locate = yaml.locate;
    if (yaml.value !== null && yaml.value !== undefined) cache.set(file, yaml.value);
    if (yaml.value === null || yaml.value === undefined) {
      return { kind: folderKind, path, problems: [{ file: path, path: "", message: "Endpoint file is empty" }] };
    }
    const result = endpointFileSchema.safeParse(yaml.value);
    if (!result.success) {
      const raw = yaml.value as Record<string, unknown>;
      const declared = KINDS.find((k) => raw && typeof raw === "object" && k in raw);
      // A file of another kind in this folder is skipped, as MXCP does, even when it is broken.
      if (declared && declared !== folderKind) return undefined;
      const name = declaredName(raw, declared ?? folderKind);
      return { kind: folderKind, path, name, problems: zodProblems(path, result.error).map(locate) };
    }
    parsed = result.data;
    cache.setChecked(file, parsed);
  } catch (e) {
    if (e instanceof ProjectError) return { kind: folderKind, path, problems: e.problems };
    throw e;
  }
  return finishEntry(ctx, file, path, folderKind, parsed, locate);
}

function finishEntry(ctx: LoadContext, file: string, path: string, folderKind: EndpointKind, parsed: EndpointFile, locate: (p: Problem) => Problem): EndpointEntry | undefined {
  const definition = parsed[folderKind];
  if (!definition) return undefined;
  if (definition.enabled === false) return undefined;
  const name = folderKind === "resource" ? (definition as ResourceDef).uri : (definition as ToolDef | PromptDef).name;
  const entry: EndpointEntry = { kind: folderKind, path, name, definition, problems: [] };
  if (parsed.metadata) entry.metadata = parsed.metadata;
  entry.problems.push(...checkEndpoint(ctx, file, path, folderKind, definition).map(locate));
  return entry;
}

function declaredName(raw: Record<string, unknown>, kind: EndpointKind): string | undefined {
  const def = raw?.[kind] as Record<string, unknown> | undefined;
  const v = kind === "resource" ? def?.uri : def?.name;
  return typeof v === "string" ? v : undefined;
}

/** Checks beyond the shape, as `mxcp validate` makes them. */
function checkEndpoint(ctx: LoadContext, file: string, path: string, kind: EndpointKind, def: ToolDef | ResourceDef | PromptDef): Problem[] {
  const { root } = ctx;
  const problems: Problem[] = [];
  const params = def.parameters ?? [];
  const paramNames = params.map((p) => p.name);
  const seen = new Set<string>();
  params.forEach((p, i) => {
    if (seen.has(p.name)) problems.push({ file: path, path: `${kind}.parameters.${i}.name`, message: `Duplicate parameter name '${p.name}'` });
    seen.add(p.name);
  });
  if (kind === "prompt") {
    (def as PromptDef).messages.forEach((m, i) => problems.push(...checkMessage(ctx, file, path, m, i, paramNames)));
    return problems;
  }
  const withSource = def as ToolDef | ResourceDef;
  const schema = kind === "tool" ? (def as ToolDef).input_schema : undefined;
  if (schema !== undefined) {
    if (params.length > 0) problems.push({ file: path, path: "tool.input_schema", message: "A tool takes parameters or input_schema, not both" });
    try {
      compileInputSchema(schema);
    } catch (e) {
      problems.push({ file: path, path: "tool.input_schema", message: `Invalid input schema: ${(e as Error).message}` });
    }
  }
  if (kind === "resource") {
    const uriVars = [...(def as ResourceDef).uri.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const unused = paramNames.filter((n) => !uriVars.includes(n));
    if (unused.length > 0) {
      problems.push({
        file: path,
        path: "resource.parameters",
        message: `Resource parameter(s) [${unused.join(", ")}] are not used in uri '${(def as ResourceDef).uri}'. Every parameter must appear as {name} in the URI.`,
      });
    }
  }
  if (withSource.language === "python") {
    problems.push({ file: path, path: `${kind}.language`, message: "Python endpoints are not supported by mxcp-gen; use language: typescript" });
    return problems;
  }
  const sourceFile = resolveSourceFile(root, file, withSource.source);
  if (sourceFile !== undefined && !insideProject(root, sourceFile, ctx.folders)) {
    problems.push({ file: path, path: `${kind}.source.file`, message: `Source file is outside the project: ${withSource.source.file}` });
    return problems;
  }
  if (sourceFile !== undefined && !existsSync(sourceFile)) {
    problems.push({ file: path, path: `${kind}.source.file`, message: `Source file not found: ${relative(root, sourceFile).split(sep).join("/")}` });
    return problems;
  }
  if (withSource.language === "typescript" && sourceFile === undefined) {
    problems.push({ file: path, path: `${kind}.source`, message: "TypeScript endpoints need source.file (inline code is not supported)" });
  }
  if (withSource.language === "sql") {
    const sql = sourceFile ? readFileSync(sourceFile, "utf8") : (withSource.source.code ?? "");
    const used = sqlParameterNames(sql);
    const missing = used.filter((n) => !paramNames.includes(n));
    const extra = paramNames.filter((n) => !used.includes(n));
    if (missing.length > 0 || extra.length > 0) {
      problems.push({ file: path, path: `${kind}.source`, message: `Parameter mismatch: missing={${missing.join(", ")}}, extra={${extra.join(", ")}}` });
    }
  }
  return problems;
}

/** A prompt message: the fields its kind takes, its templates' variables, and a media file inside the project. */
function checkMessage(ctx: LoadContext, file: string, path: string, m: PromptMessageDef, i: number, paramNames: string[]): Problem[] {
  const problems: Problem[] = [];
  const kind = messageKind(m);
  const at = `prompt.messages.${i}`;
  const fields = MESSAGE_FIELDS[kind];
  for (const k of fields.required) {
    if (m[k] === undefined) problems.push({ file: path, path: `${at}.${k}`, message: `A ${kind} message needs ${k}` });
  }
  for (const k of Object.keys(m) as (keyof PromptMessageDef)[]) {
    if (!fields.allowed.includes(k)) problems.push({ file: path, path: `${at}.${k}`, message: `A ${kind} message does not take ${k} (it takes ${fields.allowed.join(", ")})` });
  }
  for (const k of ["prompt", "uri"] as const) {
    const template = m[k];
    if (template === undefined) continue;
    let vars: string[];
    try {
      vars = templateVariables(template);
    } catch (e) {
      problems.push({ file: path, path: `${at}.${k}`, message: `Invalid template: ${(e as Error).message}` });
      continue;
    }
    const undefinedVars = vars.filter((v) => !paramNames.includes(v));
    if (undefinedVars.length > 0) problems.push({ file: path, path: `${at}.${k}`, message: `Message ${i} uses undefined template variables: ${undefinedVars.join(", ")}` });
  }
  if ((kind === "image" || kind === "audio") && m.file !== undefined) {
    const media = resolveSourceFile(ctx.root, file, { file: m.file })!;
    if (!insideProject(ctx.root, media, ctx.folders)) problems.push({ file: path, path: `${at}.file`, message: `The ${kind} file is outside the project: ${m.file}` });
    else if (!existsSync(media)) problems.push({ file: path, path: `${at}.file`, message: `The ${kind} file is not found: ${relative(ctx.root, media).split(sep).join("/")}` });
    const type = messageMediaType(m);
    if (!type) problems.push({ file: path, path: `${at}.mime_type`, message: `The ${kind} file's media type is not known from its extension: give mime_type` });
    else if (!type.startsWith(`${kind}/`)) problems.push({ file: path, path: `${at}.mime_type`, message: `An ${kind} message needs an ${kind}/… media type, not ${type}` });
  }
  return problems;
}

/**
 * Whether `file` (and, when it exists, the file a link leads to) lies inside the project root. `folders` keeps
 * folders' real paths for one load of a project (one realpath per folder, not per file).
 */
export function insideProject(root: string, file: string, folders = new Map<string, string>()): boolean {
  const within = (base: string, p: string) => {
    const rel = relative(base, p);
    return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
  };
  if (!within(root, file)) return false;
  const st = lstatSync(file, { throwIfNoEntry: false });
  if (!st) return true;
  const realFolder = (folder: string): string => {
    let real = folders.get(folder);
    if (real === undefined) folders.set(folder, (real = realpathSync(folder)));
    return real;
  };
  // A file that is no link is where its folder really is.
  const real = st.isSymbolicLink() ? realpathSync(file) : join(realFolder(dirname(file)), basename(file));
  return within(realFolder(root), real);
}

/** `source.file` is relative to the YAML file's folder; a leading `/` means the project root. */
export function resolveSourceFile(root: string, yamlFile: string, source: SourceDef): string | undefined {
  if (!source.file) return undefined;
  return source.file.startsWith("/") ? resolve(root, "." + source.file) : resolve(dirname(yamlFile), source.file);
}

function markDuplicates(entries: EndpointEntry[]): void {
  const byName = new Map<string, EndpointEntry[]>();
  for (const e of entries) {
    if (e.name === undefined) continue;
    const list = byName.get(e.name) ?? [];
    list.push(e);
    byName.set(e.name, list);
  }
  for (const [name, copies] of byName) {
    if (copies.length < 2) continue;
    const what = copies.some((c) => c.kind === "resource") ? "URI" : "name";
    const message = `Duplicate endpoint ${what} '${name}' found in: ${copies.map((c) => c.path).join(", ")}`;
    for (const c of copies) c.problems.push({ file: c.path, path: "", message });
  }
}
