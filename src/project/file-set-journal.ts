// How a generated file set is replaced as one step, and how every later command finds the project whole. New
// contents are first staged in STAGING_DIR; then a journal naming every rename and deletion (and the new lock
// file) is written in one atomic step; then the journal is carried out and removed. A run killed before the
// journal exists left the old set whole (the staging folder is dropped); one killed after it is finished by the
// next command that opens the project, whichever it is (a generation, serve, run, validate, check). Two
// processes never write one project at once: a writer holds WRITE_LOCK, and a loader that finds it held by a
// live process refuses to start rather than read a half-switched set.
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";

export class WriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WriteError";
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


/** Held (as a file naming the writer's PID) while a process writes a project's file set. */
export const WRITE_LOCK = ".mxcp-gen.lock";

function holder(out: string): number | undefined {
  try {
    const pid = Number((JSON.parse(readFileSync(join(out, WRITE_LOCK), "utf8")) as { pid?: unknown }).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The PID of another live process writing `out`, if one is. */
export function writerOf(out: string): number | undefined {
  const pid = holder(out);
  return pid !== undefined && pid !== process.pid && alive(pid) ? pid : undefined;
}

/** Run `work` holding the project's write lock; another live writer makes it fail with a clear error. */
export function withWriteLock<T>(out: string, work: () => T): T {
  const path = join(out, WRITE_LOCK);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, JSON.stringify({ pid: process.pid }));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
      const pid = writerOf(out);
      if (pid !== undefined) throw new WriteError(`Another mxcp-gen (PID ${pid}) is writing this project; run this again when it has finished`);
      rmSync(path, { force: true }); // left by a process that died: taken over
    }
  }
  try {
    return work();
  } finally {
    rmSync(path, { force: true });
  }
}

/**
 * Finish or undo an interrupted write, so the project holds one whole file set. Returns what it did. Refuses
 * (WriteError) while another live process is writing the project.
 */
export function settlePendingWrite(out: string, opts: { locked?: boolean } = {}): "finished" | "rolled back" | undefined {
  if (!existsSync(join(out, STATE_DIR))) return undefined;
  if (!opts.locked) return withWriteLock(out, () => settlePendingWrite(out, { locked: true }));
  const journalPath = join(out, JOURNAL);
  if (existsSync(journalPath)) {
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
    applyJournal(out, journal);
    return "finished";
  }
  rmSync(join(out, STATE_DIR), { recursive: true, force: true }); // staged files and temporaries
  return "rolled back";
}

/** Every step may already have happened (a rerun after a kill): each one checks before it acts. */
function applyJournal(out: string, journal: Journal): void {
  const checks: TargetChecks = { folders: new Set() };
  const made = new Set<string>();
  for (const [staged, rel] of journal.moves) {
    reachedStep("move");
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
  // A folder the deletions emptied (an API's tools/<api>/) goes too, up to the project.
  for (const rel of journal.deletions) {
    for (let dir = dirname(rel); dir !== "." && dir !== ""; dir = dirname(dir)) {
      const abs = join(out, dir);
      if (!existsSync(abs) || readdirSync(abs).length > 0) break;
      rmdirSync(abs);
    }
  }
  rmSync(join(out, STATE_DIR), { recursive: true, force: true });
}

/** Stage every write, journal the switch, carry it out. `writes` and `deletions` are project-relative. */
export function switchFileSet(out: string, writes: [string, string][], deletions: string[]): void {
  const staging = join(out, STAGING_DIR);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const moves: [string, string][] = writes.map(([rel, text], i) => {
    if (i === writes.length >> 1) reachedStep("staging");
    const staged = `${STAGING_DIR}/${i}`;
    writeFileSync(join(out, staged), text, { flag: "wx" });
    return [staged, rel];
  });
  const journal: Journal = { moves, deletions };
  atomicWrite(join(out, JOURNAL), JSON.stringify(journal));
  reachedStep("journal");
  applyJournal(out, journal);
}

/** A step of a file-set write: files staged, the journal written, or one rename done. */
export type WriteStep = "staging" | "journal" | "move";

let stepObserver: ((step: WriteStep) => void) | undefined;

/**
 * Watch the steps of every file-set write in this process (the journal's tests kill the process at one, from a
 * module they preload, to prove the next run recovers).
 */
export function observeWriteSteps(observer: ((step: WriteStep) => void) | undefined): void {
  stepObserver = observer;
}

function reachedStep(step: WriteStep): void {
  stepObserver?.(step);
}