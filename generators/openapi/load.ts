import { isUrl } from "../../src/model/source-location.js";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { closest } from "../../src/model/suggest.js";
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { parseDocument } from "yaml";
import { setOwn } from "../../src/runtime/own.js";
import { aliasBudgetProblem, expandedSize } from "../../src/project/yaml-budget.js";
import { Diagnostics, pointerOf } from "./diagnostics.js";

/** Most aliases one document may use: resolving them costs time quadratic in their number. (GitHub's dereferenced description uses 4,574.) */
const MAX_DOCUMENT_ALIASES = 10_000;

export interface LoadOptions {
  /** Fetch `http(s)://` references (refused by default). */
  allowRemoteRefs?: boolean;
  /** Largest single file, in bytes. */
  maxFileBytes?: number;
  /** Most files one document may pull in. */
  maxFiles?: number;
  /** Most nodes one file may expand to through YAML aliases (default 10 million). */
  maxNodes?: number;
  /** How long one remote file may take, headers and body together (default 30 s). */
  fetchTimeoutMs?: number;
}

export interface SourceFile {
  /** Relative to the root document's folder (or the URL for remote files). */
  path: string;
  sha256: string;
}

export interface LoadedDocument {
  /** The root document with every external reference bundled in; only local `#/...` refs remain. */
  document: JsonObject;
  /** The root file as given (path or URL). */
  source: string;
  /** Every file read, for the lock file. */
  files: SourceFile[];
  diagnostics: Diagnostics;
}

const DEFAULT_MAX_FILE = 50 * 1024 * 1024;
/** GitHub's description, the largest we know, is about 260,000 nodes (1.2 million dereferenced). */
const DEFAULT_MAX_NODES = 10_000_000;

/** A parsed JSON or YAML object, before anything is known of its shape. */
export type JsonObject = Record<string, unknown>;

const OPERATION_KEYS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Which components section an external target lands in, judged by where the `$ref` stands. */
type Slot = "schemas" | "parameters" | "responses" | "requestBodies" | "headers" | "examples" | "securitySchemes" | "links" | "inline";

function slotOf(path: (string | number)[], swagger2: boolean): Slot {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if ((parent === "paths" || parent === "webhooks") && path.length === 2) return "inline";
  // An operation written as a reference (not in the specification, but common in multi-file documents, and
  // resolved by the bundlers they are written for) is inlined where it stands, like a path item.
  if ((path[0] === "paths" || path[0] === "webhooks") && path.length === 3 && typeof last === "string" && OPERATION_KEYS.has(last)) return "inline";
  if (parent === "callbacks" || path[path.length - 3] === "callbacks") return "inline";
  if (parent === "parameters") return "parameters";
  if (parent === "responses") return "responses";
  if (last === "requestBody" || parent === "requestBodies") return swagger2 ? "schemas" : "requestBodies";
  if (parent === "headers") return swagger2 ? "schemas" : "headers";
  if (parent === "examples" && !swagger2) return "examples";
  if (parent === "securitySchemes") return "securitySchemes";
  if (parent === "links") return "links";
  return "schemas";
}

interface Location {
  /** Absolute path, or URL for remote documents. */
  file: string;
  pointer: string;
}

/**
 * Read an OpenAPI document (JSON or YAML, a file or a URL) and bundle every file it references into one
 * document. Remote refs are refused unless allowed; refs may not leave the root document's folder.
 */
export async function loadDocument(source: string, opts: LoadOptions = {}): Promise<LoadedDocument> {
  const diagnostics = new Diagnostics();
  const loader = new FileLoader(source, opts, diagnostics);
  const rootFile = loader.rootLocation;
  const root = await loader.read(rootFile, rootFile, "");
  diagnostics.throwIfErrors();
  if (!root || typeof root !== "object" || Array.isArray(root)) {
    diagnostics.error(loader.display(rootFile), "", "The document is not a JSON/YAML object");
    diagnostics.throwIfErrors();
  }
  const doc = root as JsonObject;
  const swagger2 = typeof doc.swagger === "string";
  if (!swagger2 && typeof doc.openapi !== "string") {
    diagnostics.error(loader.display(rootFile), "", "Not an OpenAPI document: it has neither `openapi` nor `swagger`");
    diagnostics.throwIfErrors();
  }
  const bundler = new Bundler(loader, doc, rootFile, swagger2, diagnostics);
  await bundler.run();
  diagnostics.throwIfErrors();
  return { document: bundler.document, source, files: loader.files(), diagnostics };
}

class FileLoader {
  readonly rootLocation: string;
  private readonly baseDir: string | undefined;
  private readonly cache = new Map<string, unknown>();
  private readonly hashes = new Map<string, string>();

  constructor(
    source: string,
    private readonly opts: LoadOptions,
    private readonly diagnostics: Diagnostics,
  ) {
    if (isUrl(source)) {
      this.rootLocation = source;
      this.baseDir = undefined;
    } else {
      const abs = resolve(source);
      this.rootLocation = existsSync(abs) ? realpathSync(abs) : abs;
      this.baseDir = dirname(this.rootLocation);
    }
  }

  display(file: string): string {
    if (isUrl(file) || !this.baseDir) return file;
    return relative(this.baseDir, file).split(sep).join("/") || basename(file);
  }

  files(): SourceFile[] {
    return [...this.hashes].map(([file, sha256]) => ({ path: this.display(file), sha256 })).sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Resolve a ref's file part against the referring file; undefined (with an error) when refused. */
  resolveTarget(ref: string, from: string, site: Location): string | undefined {
    if (isUrl(ref) || isUrl(from)) {
      const url = new URL(ref, isUrl(from) ? from : undefined).href;
      if (!this.opts.allowRemoteRefs && url !== this.rootLocation) {
        this.diagnostics.error(this.display(site.file), site.pointer, `Remote $ref refused: ${url} (pass --allow-remote-refs to fetch it)`);
        return undefined;
      }
      return url;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref)) {
      this.diagnostics.error(this.display(site.file), site.pointer, `Unsupported $ref scheme: ${ref}`);
      return undefined;
    }
    const target = resolve(dirname(from), decodeURIComponent(ref));
    if (!this.inside(target)) {
      this.diagnostics.error(this.display(site.file), site.pointer, `$ref leaves the document's folder: ${ref}`);
      return undefined;
    }
    if (!existsSync(target)) {
      this.diagnostics.error(this.display(site.file), site.pointer, `$ref to a missing file: ${ref}`);
      return undefined;
    }
    const real = realpathSync(target);
    if (!this.inside(real)) {
      this.diagnostics.error(this.display(site.file), site.pointer, `$ref follows a link out of the document's folder: ${ref}`);
      return undefined;
    }
    return real;
  }

  private inside(path: string): boolean {
    if (!this.baseDir) return false;
    const rel = relative(this.baseDir, path);
    return rel !== "" && rel.split(sep)[0] !== ".." && !isAbsolute(rel);
  }

  async read(file: string, from: string, pointer: string): Promise<unknown> {
    if (this.cache.has(file)) return this.cache.get(file);
    const max = this.opts.maxFiles ?? 5000;
    if (this.cache.size >= max) {
      this.diagnostics.error(this.display(from), pointer, `More than ${max} files referenced; stopping`);
      return undefined;
    }
    let text: string;
    try {
      text = isUrl(file) ? await fetchText(file, this.opts.maxFileBytes ?? DEFAULT_MAX_FILE, this.opts.fetchTimeoutMs ?? 30_000) : this.readLocal(file);
    } catch (e) {
      this.diagnostics.error(this.display(file), "", (e as Error).message);
      this.cache.set(file, undefined);
      return undefined;
    }
    this.hashes.set(file, createHash("sha256").update(text).digest("hex"));
    const value = parseText(text, file, this.display(file), this.diagnostics, this.opts.maxNodes ?? DEFAULT_MAX_NODES);
    this.cache.set(file, value);
    return value;
  }

  private readLocal(file: string): string {
    if (!existsSync(file)) throw new Error(missingFileMessage(file));
    const size = statSync(file).size;
    const max = this.opts.maxFileBytes ?? DEFAULT_MAX_FILE;
    if (size > max) throw new Error(`File is ${size} bytes, over the limit of ${max} bytes`);
    return readFileSync(file, "utf8");
  }
}


/** "No such file", with the closest name in its folder when one is near (a mistyped `petstor3.yaml`). */
function missingFileMessage(file: string): string {
  let near: string | undefined;
  try {
    near = closest(basename(file), readdirSync(dirname(file)));
  } catch {
    near = undefined;
  }
  return `No such file: ${file}${near ? `. Did you mean ${join(dirname(file), near)}?` : ""}`;
}

/**
 * GET a remote file, counting bytes as they arrive: an endless or huge body stops at the cap, not after it, and
 * a slow one at the deadline, whole request included. node:http rather than fetch, so that the deadline can
 * destroy the socket itself (on Node 20 an aborted fetch body can keep its connection, and the process, alive).
 */
function fetchText(url: string, max: number, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const get = url.toLowerCase().startsWith("https:") ? httpsGet : httpGet;
    let settled = false;
    const finish = (error: Error | undefined, text?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolvePromise(text!);
    };
    const req = get(url, (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) return finish(new Error(`GET ${url}: HTTP ${status}${status >= 300 && status < 400 ? " (redirects are not followed)" : ""}`));
      const declared = Number(res.headers["content-length"] ?? NaN);
      if (declared > max) return finish(new Error(`GET ${url}: body of ${declared} bytes is over the limit of ${max} bytes`));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > max) return finish(new Error(`GET ${url}: body over the limit of ${max} bytes`));
        chunks.push(chunk);
      });
      res.on("end", () => finish(undefined, new TextDecoder().decode(Buffer.concat(chunks))));
      res.on("error", (e) => finish(e));
    });
    req.on("error", (e) => finish(e));
    const timer = setTimeout(() => finish(new Error(`GET ${url}: timed out after ${timeoutMs} ms`)), timeoutMs);
  });
}

function parseText(text: string, file: string, display: string, diagnostics: Diagnostics, maxNodes: number): unknown {
  const trimmed = text.trimStart();
  const json = trimmed.startsWith("{") || trimmed.startsWith("[") || extname(file).toLowerCase() === ".json";
  if (json) {
    try {
      return JSON.parse(text);
    } catch (e) {
      if (extname(file).toLowerCase() === ".json") {
        diagnostics.error(display, "", `Invalid JSON: ${(e as Error).message}`);
        return undefined;
      }
    }
  }
  try {
    // The alias cap stops "billion laughs" documents before they expand; the node budget stops the ones
    // that stay under it by sharing a few huge values many times.
    const doc = parseDocument(text, { uniqueKeys: false, merge: true });
    if (doc.errors.length > 0) throw doc.errors[0]!;
    const tooBig = aliasBudgetProblem(doc, { maxAliases: MAX_DOCUMENT_ALIASES, maxNodes });
    if (tooBig) {
      diagnostics.error(display, "", tooBig);
      return undefined;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 10_000 });
    if (expandedSize(value, maxNodes) > maxNodes) {
      diagnostics.error(display, "", `The YAML expands to more than ${maxNodes} nodes through its aliases (the limit); refusing to read it`);
      return undefined;
    }
    return value;
  } catch (e) {
    const err = e as Error & { linePos?: { line: number; col: number }[] };
    const at = err.linePos?.[0] ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : "";
    diagnostics.error(display, "", `Invalid YAML${at}: ${err.message.split("\n")[0]}`);
    return undefined;
  }
}

export function decodePointer(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function getAtPointer(doc: unknown, pointer: string): unknown {
  let cur = doc;
  for (const token of decodePointer(pointer)) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, token)) return undefined;
    cur = (cur as JsonObject)[token];
  }
  return cur;
}

function splitRef(ref: string): { file: string; pointer: string } {
  const hash = ref.indexOf("#");
  const file = hash === -1 ? ref : ref.slice(0, hash);
  let pointer = hash === -1 ? "" : ref.slice(hash + 1);
  try {
    pointer = decodeURIComponent(pointer);
  } catch {
    // keep as written
  }
  return { file, pointer };
}

const DATA_KEYS = new Set(["example", "default", "enum", "const"]);

/** Whether a discriminator mapping value is a reference (a pointer or a file) rather than a schema's name. */
function isMappingRef(value: string): boolean {
  return value.includes("#") || value.includes("/") || /\.(ya?ml|json)$/i.test(value);
}

/**
 * Whether `key` of the object at `path` holds data rather than OpenAPI structure: examples, defaults, enums,
 * consts, extensions, and an Example Object's `value`. A `$ref` inside data is data: never a reference.
 */
export function isDataKey(path: readonly (string | number)[], key: string, value: unknown): boolean {
  if (path[path.length - 1] === "properties") return false; // a property may be called `example`
  if (DATA_KEYS.has(key) || key.startsWith("x-")) return true;
  if (key === "examples" && Array.isArray(value)) return true;
  return key === "value" && path[path.length - 2] === "examples";
}

/**
 * Make the bundled document safe to hand to anything that resolves references (openapi-typescript's
 * resolver, Prism): every `$ref` inside data, and any that is not a local `#…` pointer, is removed, so no
 * component can read a file or fetch a URL that the loader did not allow. Changes the document in place.
 */
export function confineRefs(doc: unknown): void {
  const stack: { node: unknown; path: (string | number)[]; data: boolean }[] = [{ node: doc, path: [], data: false }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { node, path, data } = stack.pop()!;
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((v, i) => stack.push({ node: v, path: [...path, i], data }));
      continue;
    }
    const obj = node as JsonObject;
    if (Object.hasOwn(obj, "$ref") && (data || typeof obj.$ref !== "string" || !obj.$ref.startsWith("#"))) delete obj.$ref;
    // Other strings a downstream tool treats as references: a link's operationRef, an example's externalValue
    // (a URL or a file), a discriminator mapping value the bundler did not make local.
    if (!data) {
      if (typeof obj.operationRef === "string" && !obj.operationRef.startsWith("#")) delete obj.operationRef;
      if (Object.hasOwn(obj, "externalValue")) delete obj.externalValue;
      const mapping = path[path.length - 1] === "discriminator" ? obj.mapping : undefined;
      if (mapping && typeof mapping === "object" && !Array.isArray(mapping)) {
        for (const [k, v] of Object.entries(mapping as JsonObject)) if (typeof v !== "string" || (isMappingRef(v) && !v.startsWith("#"))) delete (mapping as JsonObject)[k];
      }
    }
    for (const [k, v] of Object.entries(obj)) stack.push({ node: v, path: [...path, k], data: data || isDataKey(path, k, v) });
  }
}

/** Copies external targets into the root document's components and rewrites refs to point at them. */
class Bundler {
  readonly document: JsonObject;
  private readonly placed = new Map<string, string>();
  private readonly inlining = new Set<string>();

  constructor(
    private readonly loader: FileLoader,
    root: JsonObject,
    private readonly rootFile: string,
    private readonly swagger2: boolean,
    private readonly diagnostics: Diagnostics,
  ) {
    // The root is bundled in place: the loader's copy is only read again for refs back into the root,
    // which resolve to local pointers without reading it.
    this.document = root;
  }

  async run(): Promise<void> {
    await this.walk(this.document, [], this.rootFile, []);
  }

  /**
   * Visit `node`, which sits at `path` in the output document and came from `file` at `srcPath`.
   * Iterative over children would lose the async refs; documents are trees of modest depth.
   */
  private async walk(node: unknown, path: (string | number)[], file: string, srcPath: (string | number)[]): Promise<void> {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) await this.walk(node[i], [...path, i], file, [...srcPath, i]);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const obj = node as JsonObject;
    if (typeof obj.$ref === "string") {
      await this.resolveRef(obj, path, file, srcPath);
      // Siblings of $ref (allowed in 3.1) are walked like any other keys.
    }
    for (const [k, v] of Object.entries(obj)) {
      if (k === "$ref" || isDataKey(path, k, v)) continue;
      if (k === "discriminator") await this.bundleMapping(v, [...path, k], file, [...srcPath, k]);
      await this.walk(v, [...path, k], file, [...srcPath, k]);
    }
  }

  /**
   * A discriminator's mapping values are references too (`models/dog.yml`, `other.yml#/Dog`): each is bundled
   * like a schema `$ref` and rewritten to its local pointer, so nothing downstream opens a file for it. A plain
   * schema name (`Dog`) is left as it is.
   */
  private async bundleMapping(discriminator: unknown, path: (string | number)[], file: string, srcPath: (string | number)[]): Promise<void> {
    const mapping = (discriminator as { mapping?: unknown } | null)?.mapping;
    if (!mapping || typeof mapping !== "object" || Array.isArray(mapping)) return;
    for (const [key, value] of Object.entries(mapping as JsonObject)) {
      if (typeof value !== "string" || !isMappingRef(value)) continue;
      const holder: JsonObject = { $ref: value };
      // Placed as a schema: the slot is judged from a path that ends in a schema position.
      await this.resolveRef(holder, [...path, "mapping", "schema"], file, [...srcPath, "mapping", key]);
      const local = holder.$ref;
      if (typeof local === "string" && local.startsWith("#")) setOwn(mapping as JsonObject, key, local);
      else delete (mapping as JsonObject)[key];
    }
  }

  private async resolveRef(obj: JsonObject, path: (string | number)[], file: string, srcPath: (string | number)[]): Promise<void> {
    const ref = obj.$ref as string;
    const site = { file, pointer: pointerOf(srcPath) };
    const { file: refFile, pointer } = splitRef(ref);
    // An example is documentation: a dangling one is worth a warning, not a failure.
    const dangling = (message: string) => {
      if (path[path.length - 2] !== "examples") return this.diagnostics.error(this.loader.display(file), site.pointer, message);
      this.diagnostics.warn(this.loader.display(file), site.pointer, `${message} (example ignored)`);
      delete obj.$ref; // an empty Example Object: the document stays valid for the tools that read it next
    };
    if (refFile === "" && file === this.rootFile) {
      if (getAtPointer(this.document, pointer) === undefined) dangling(`$ref target not found: ${ref}`);
      // A fragment is percent-encoded (RFC 6901 §6): everything after the loader reads plain pointers.
      else obj.$ref = `#${pointer}`;
      return;
    }
    const targetFile = refFile === "" ? file : this.loader.resolveTarget(refFile, file, site);
    if (!targetFile) return;
    const targetDoc = await this.loader.read(targetFile, file, site.pointer);
    if (targetDoc === undefined) return;
    const target = getAtPointer(targetDoc, pointer);
    if (target === undefined) {
      dangling(`$ref target not found: ${ref}`);
      return;
    }
    if (targetFile === this.rootFile) {
      obj.$ref = `#${pointer}`;
      return;
    }
    const key = `${targetFile}#${pointer}`;
    const slot = slotOf(path, this.swagger2);
    const done = this.placed.get(key);
    if (done) {
      obj.$ref = done;
      return;
    }
    if (slot === "inline") {
      if (this.inlining.has(key)) {
        this.diagnostics.error(this.loader.display(file), site.pointer, `Circular $ref between path items: ${ref}`);
        return;
      }
      this.inlining.add(key);
      const copy = structuredClone(target) as JsonObject;
      delete obj.$ref;
      Object.assign(obj, copy);
      await this.walk(obj, path, targetFile, decodePointer(pointer));
      this.inlining.delete(key);
      return;
    }
    const section = this.swagger2 ? swagger2Section(slot) : ["components", slot];
    const container = ensureObject(this.document, section);
    const name = uniqueName(container, nameFor(targetFile, pointer));
    const localRef = `#${pointerOf([...section, name])}`;
    this.placed.set(key, localRef);
    const copy = structuredClone(target);
    setOwn(container, name, copy);
    obj.$ref = localRef;
    await this.walk(copy, [...section, name], targetFile, decodePointer(pointer));
  }
}

function swagger2Section(slot: Slot): string[] {
  if (slot === "parameters") return ["parameters"];
  if (slot === "responses") return ["responses"];
  if (slot === "securitySchemes") return ["securityDefinitions"];
  return ["definitions"];
}

function ensureObject(doc: JsonObject, path: string[]): JsonObject {
  let cur = doc;
  for (const key of path) {
    if (!cur[key] || typeof cur[key] !== "object") cur[key] = {};
    cur = cur[key] as JsonObject;
  }
  return cur;
}

function nameFor(file: string, pointer: string): string {
  const tokens = decodePointer(pointer);
  const raw = tokens.length > 0 ? tokens[tokens.length - 1]! : basename(file).replace(/\.(ya?ml|json)$/i, "");
  return raw.replace(/[^A-Za-z0-9_.-]/g, "_") || "Ref";
}

function uniqueName(container: JsonObject, base: string): string {
  if (!Object.hasOwn(container, base)) return base;
  for (let i = 2; ; i++) if (!Object.hasOwn(container, `${base}_${i}`)) return `${base}_${i}`;
}
