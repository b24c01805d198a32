// Writes a generated file set into a project: atomically, never outside the project, never over a
// file the user edited (unless forced), removing the stale files it created before; or, with
// `check`, only reports drift; with `dryRun`, only reports the plan and its diffs.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import { VERSION } from "../package-info.js";
import type { FileSet } from "./api-files.js";

export const LOCK_FILE = "mxcp-gen.lock.json";

export interface LockEntry {
  kind: "openapi" | "npm";
  input: Record<string, unknown>;
  options: Record<string, unknown>;
  /** Generated files and the sha256 of what was written. */
  files: Record<string, string>;
}

export interface LockFile {
  lockVersion: 1;
  generator: string;
  apis: Record<string, LockEntry>;
}

export interface WriteRequest {
  out: string;
  api: string;
  kind: LockEntry["kind"];
  input: Record<string, unknown>;
  options: Record<string, unknown>;
  /** Files the generator owns: rewritten on every run, tracked in the lock file. */
  files: FileSet;
  /** Project files (package.json, tsconfig.json, mxcp-site.yml): written as computed, never tracked or deleted. */
  projectFiles: FileSet;
}

export interface WriteOptions {
  force?: boolean;
  dryRun?: boolean;
  check?: boolean;
}

export interface WriteResult {
  added: string[];
  changed: string[];
  unchanged: string[];
  deleted: string[];
  /** Files left alone because the user changed them (or they were not ours). */
  conflicts: { path: string; reason: string }[];
  /** Unified diffs of what changes (dry runs and checks). */
  diffs: string[];
}

export class WriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WriteError";
  }
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function readLock(out: string): LockFile {
  const path = join(out, LOCK_FILE);
  if (!existsSync(path)) return { lockVersion: 1, generator: `mxcp-gen ${VERSION}`, apis: {} };
  try {
    const lock = JSON.parse(readFileSync(path, "utf8")) as LockFile;
    if (lock.lockVersion !== 1 || typeof lock.apis !== "object") throw new Error("unknown lock format");
    return lock;
  } catch (e) {
    throw new WriteError(`${path} is not a valid mxcp-gen lock file: ${(e as Error).message}`);
  }
}

/** Refuse any path that could land outside the project: absolute, `..`, reserved names, links leading out. */
/** Folders already checked (and the project's real path) during one write, so 2,000 files cost 2,000 checks, not 10,000. */
export interface TargetChecks {
  root?: string;
  folders: Set<string>;
}

export function safeTarget(out: string, rel: string, checks: TargetChecks = { folders: new Set() }): string {
  if (isAbsolute(rel) || rel.includes("\\") || rel.includes("\0") || rel.split("/").some((p) => p === ".." || p === "." || p === "")) {
    throw new WriteError(`Refusing to write '${rel}': not a plain relative path`);
  }
  if (rel.split("/").some((p) => /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(p) || Buffer.byteLength(p) > 255)) {
    throw new WriteError(`Refusing to write '${rel}': reserved or overlong file name`);
  }
  const root = (checks.root ??= realpathSync(out));
  const target = resolve(root, rel);
  // Every existing part of the path must be a real folder inside the project (no link leading out).
  let cur = root;
  for (const part of rel.split("/").slice(0, -1)) {
    cur = join(cur, part);
    if (checks.folders.has(cur)) continue;
    if (!existsSync(cur)) break;
    const st = lstatSync(cur);
    if (st.isSymbolicLink() || !st.isDirectory()) throw new WriteError(`Refusing to write '${rel}': ${relative(root, cur)} is a link or not a folder`);
    checks.folders.add(cur);
  }
  if (existsSync(target) && lstatSync(target).isSymbolicLink()) throw new WriteError(`Refusing to write '${rel}': it is a symbolic link`);
  const back = relative(root, target);
  if (back.startsWith("..") || isAbsolute(back)) throw new WriteError(`Refusing to write '${rel}': outside the project`);
  return target;
}

function atomicWrite(target: string, text: string, made = new Set<string>()): void {
  const dir = dirname(target);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, text, { flag: "wx" });
  renameSync(tmp, target);
}

function diffOf(path: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
}

/** Plan, check, and (unless checking or dry-running) write one API's files and its lock entry. */
export function writeFiles(req: WriteRequest, opts: WriteOptions = {}): WriteResult {
  mkdirSync(req.out, { recursive: true });
  const lock = readLock(req.out);
  const previous = lock.apis[req.api];
  const result: WriteResult = { added: [], changed: [], unchanged: [], deleted: [], conflicts: [], diffs: [] };
  const writes: [string, string][] = [];
  const showDiffs = opts.dryRun || opts.check;
  const checks: TargetChecks = { folders: new Set() };

  for (const [rel, text] of req.files) {
    const target = safeTarget(req.out, rel, checks);
    if (!existsSync(target)) {
      result.added.push(rel);
      writes.push([target, text]);
      if (showDiffs) result.diffs.push(diffOf(rel, "", text));
      continue;
    }
    const current = readFileSync(target, "utf8");
    if (current === text) {
      result.unchanged.push(rel);
      continue;
    }
    const recorded = previous?.files[rel];
    const ours = recorded !== undefined && recorded === sha256(current);
    if (!ours && !opts.force) {
      result.conflicts.push({ path: rel, reason: recorded === undefined ? "exists and was not generated by mxcp-gen" : "was edited since it was generated" });
      if (showDiffs) result.diffs.push(diffOf(rel, current, text));
      continue;
    }
    result.changed.push(rel);
    writes.push([target, text]);
    if (showDiffs) result.diffs.push(diffOf(rel, current, text));
  }
  for (const [rel, text] of req.projectFiles) {
    const target = safeTarget(req.out, rel, checks);
    const current = existsSync(target) ? readFileSync(target, "utf8") : undefined;
    if (current === text) continue;
    (current === undefined ? result.added : result.changed).push(rel);
    writes.push([target, text]);
    if (showDiffs) result.diffs.push(diffOf(rel, current ?? "", text));
  }
  const stale = Object.keys(previous?.files ?? {}).filter((rel) => !req.files.has(rel));
  const deletions: string[] = [];
  for (const rel of stale) {
    const target = safeTarget(req.out, rel, checks);
    if (!existsSync(target)) continue;
    const current = readFileSync(target, "utf8");
    if (sha256(current) !== previous!.files[rel] && !opts.force) {
      result.conflicts.push({ path: rel, reason: "is no longer generated but was edited; left in place" });
      continue;
    }
    result.deleted.push(rel);
    deletions.push(target);
    if (showDiffs) result.diffs.push(diffOf(rel, current, ""));
  }
  if (opts.check || opts.dryRun) return result;

  const made = new Set<string>();
  for (const [target, text] of writes) atomicWrite(target, text, made);
  for (const target of deletions) rmSync(target);
  const files: Record<string, string> = {};
  for (const [rel, text] of req.files) {
    // A conflicting file keeps its old record, so it still counts as edited next time.
    const conflict = result.conflicts.some((c) => c.path === rel);
    if (!conflict) files[rel] = sha256(text);
    else if (previous?.files[rel]) files[rel] = previous.files[rel];
  }
  for (const c of result.conflicts) {
    const recorded = previous?.files[c.path];
    if (stale.includes(c.path) && recorded) files[c.path] = recorded;
  }
  lock.generator = `mxcp-gen ${VERSION}`;
  lock.apis[req.api] = { kind: req.kind, input: req.input, options: req.options, files: sortKeys(files) };
  lock.apis = sortKeys(lock.apis);
  atomicWrite(join(req.out, LOCK_FILE), JSON.stringify(lock, null, 2) + "\n");
  return result;
}

function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

