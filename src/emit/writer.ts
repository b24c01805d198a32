// Writes a generated file set into a project: atomically, never outside the project, never over a
// file the user edited (unless forced), removing the stale files it created before; or, with
// `check`, only reports drift; with `dryRun`, only reports the plan and its diffs.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import { VERSION } from "../package-info.js";
import { escapeHidden } from "../model/text.js";
import { LOCK_FILE, readLock, type LockEntry } from "../project/lock-file.js";
import type { FileSet } from "./api-files.js";

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
  const root = (checks.root ??= existsSync(out) ? realpathSync(out) : resolve(out));
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

// A run replaces a whole set of files. New contents are first staged in STAGING_DIR; then a journal naming
// every rename and deletion (and the new lock file) is written in one atomic step; then the journal is
// carried out and removed. A run killed before the journal exists left the old set whole (the next run
// drops the staging folder); one killed after it is finished by the next run. No file set is ever half old.
export const STATE_DIR = ".mxcp-gen";
const STAGING_DIR = `${STATE_DIR}/staging`;
const JOURNAL = `${STATE_DIR}/journal.json`;

interface Journal {
  /** [staged file, target], both relative to the project. */
  moves: [string, string][];
  deletions: string[];
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

/** Finish or undo an interrupted write, so the project holds one whole file set. Returns what it did. */
export function recoverInterruptedWrite(out: string): "finished" | "rolled back" | undefined {
  const journalPath = join(out, JOURNAL);
  if (existsSync(journalPath)) {
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
    applyJournal(out, journal);
    return "finished";
  }
  if (existsSync(join(out, STATE_DIR))) {
    rmSync(join(out, STATE_DIR), { recursive: true, force: true }); // staged files and temporaries
    return "rolled back";
  }
  return undefined;
}

/** Every step may already have happened (a rerun after a kill): each one checks before it acts. */
function applyJournal(out: string, journal: Journal): void {
  const checks: TargetChecks = { folders: new Set() };
  const made = new Set<string>();
  for (const [staged, rel] of journal.moves) {
    killForTest("move");
    const from = join(out, staged);
    if (!existsSync(from)) continue; // moved before the interruption
    const target = safeTarget(out, rel, checks);
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    renameSync(from, target);
  }
  for (const rel of journal.deletions) rmSync(safeTarget(out, rel, checks), { force: true });
  rmSync(join(out, STATE_DIR), { recursive: true, force: true });
}

/** Stage every write, journal the switch, carry it out. `writes` and `deletions` are project-relative. */
function switchFileSet(out: string, writes: [string, string][], deletions: string[]): void {
  const staging = join(out, STAGING_DIR);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const moves: [string, string][] = writes.map(([rel, text], i) => {
    if (i === writes.length >> 1) killForTest("staging");
    const staged = `${STAGING_DIR}/${i}`;
    writeFileSync(join(out, staged), text, { flag: "wx" });
    return [staged, rel];
  });
  const journal: Journal = { moves, deletions };
  atomicWrite(join(out, JOURNAL), JSON.stringify(journal));
  killForTest("journal");
  applyJournal(out, journal);
}

/**
 * Tests of the journal need a process killed at a known step (`staging`, `journal`, or `move` after that
 * many renames as `move:N`); nothing else sets this variable.
 */
let movesDone = 0;
function killForTest(step: "staging" | "journal" | "move"): void {
  const at = process.env.MXCP_GEN_TEST_KILL_AT;
  if (!at) return;
  if (step === "move" ? at === `move:${movesDone++}` : at === step) process.kill(process.pid, "SIGKILL");
}

function diffOf(path: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
}

/** Plan, check, and (unless checking or dry-running) write one API's files and its lock entry. */
export function writeFiles(req: WriteRequest, opts: WriteOptions = {}): WriteResult {
  // A dry run or a check leaves the disk as it was: not even the output folder is made.
  if (!opts.check && !opts.dryRun) {
    mkdirSync(req.out, { recursive: true });
    recoverInterruptedWrite(req.out);
  }
  // The one place every generated byte passes: no hidden or bidi character is ever written raw. (Project
  // files hold no document text, and the user's own mxcp-site.yml keeps what its author wrote.)
  req = { ...req, files: escapeFileSet(req.files) };
  const lock = readLock(req.out);
  const previous = lock.apis[req.api];
  const result: WriteResult = { added: [], changed: [], unchanged: [], deleted: [], conflicts: [], diffs: [] };
  const writes: [string, string][] = []; // [relative path, text]
  const showDiffs = opts.dryRun || opts.check;
  const checks: TargetChecks = { folders: new Set() };

  for (const [rel, text] of req.files) {
    const target = safeTarget(req.out, rel, checks);
    if (!existsSync(target)) {
      result.added.push(rel);
      writes.push([rel, text]);
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
    writes.push([rel, text]);
    if (showDiffs) result.diffs.push(diffOf(rel, current, text));
  }
  for (const [rel, text] of req.projectFiles) {
    const target = safeTarget(req.out, rel, checks);
    const current = existsSync(target) ? readFileSync(target, "utf8") : undefined;
    if (current === text) continue;
    (current === undefined ? result.added : result.changed).push(rel);
    writes.push([rel, text]);
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
    deletions.push(rel);
    if (showDiffs) result.diffs.push(diffOf(rel, current, ""));
  }
  if (opts.check || opts.dryRun) return result;

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
  writes.push([LOCK_FILE, escapeHidden(JSON.stringify(lock, null, 2) + "\n")]);
  switchFileSet(req.out, writes, deletions);
  return result;
}

function escapeFileSet(files: FileSet): FileSet {
  return new Map([...files].map(([rel, text]) => [rel, escapeHidden(text)]));
}

function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

