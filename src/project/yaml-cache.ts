// What was read from a project's files (parsed endpoint YAML; the names a handler module exports), cached by
// path, size and modification time, so a project with a thousand tools starts fast the second time. Only files
// that parsed cleanly are cached; the cache lives in
// the OS temp folder and a broken or stale cache is simply rebuilt. The temp folder is shared: the cache is a
// folder of this user's own (0700), and a folder or file another user could have written is never read, since
// what it holds becomes the project's tool definitions.
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Entry {
  mtimeMs: number;
  size: number;
  value: unknown;
  /** The value as validated, when it was: a second start need not validate it again. */
  checked?: unknown;
}

const VERSION = 2;

export class YamlCache {
  private readonly file: string;
  private entries: Record<string, Entry> = {};
  private dirty = false;

  /** `kind` names what is cached: one file per project and kind. */
  /**
   * `kind` names what is cached: one file per project and kind. `stamp` names what the cached values depend on
   * besides the files (the validating schema's version): entries written under another stamp are not read.
   */
  constructor(root: string, folder: string = cacheFolder(), kind: "endpoints" | "exports" = "endpoints", private readonly stamp = "") {
    const key = createHash("sha256").update(root).digest("hex").slice(0, 16);
    this.file = join(folder, `${kind}-${key}.json`);
    try {
      if (!ownPrivate(folder, true) || !ownPrivate(this.file, false)) return;
      const data = JSON.parse(readFileSync(this.file, "utf8")) as { version: number; stamp?: string; entries: Record<string, Entry> };
      if (data.version === VERSION && (data.stamp ?? "") === stamp) this.entries = data.entries;
    } catch {
      // no cache yet, or an unreadable one: start empty
    }
  }

  get(path: string): unknown {
    return this.current(path)?.value;
  }

  /** The value as validated, when the file is unchanged since it was. */
  getChecked(path: string): unknown {
    return this.current(path)?.checked;
  }

  /** Keep the validated form of a value cached for an unchanged file. */
  setChecked(path: string, checked: unknown): void {
    const e = this.current(path);
    if (!e) return;
    e.checked = checked;
    this.dirty = true;
  }

  private current(path: string): Entry | undefined {
    const e = this.entries[path];
    if (!e) return undefined;
    // One stat per file per load: every question asked about a file in one load gets the same answer.
    if (this.unchanged.has(path)) return e;
    try {
      const st = statSync(path);
      if (st.mtimeMs !== e.mtimeMs || st.size !== e.size) return undefined;
      this.unchanged.add(path);
      return e;
    } catch {
      return undefined;
    }
  }

  private readonly unchanged = new Set<string>();

  set(path: string, value: unknown): void {
    try {
      const st = statSync(path);
      this.entries[path] = { mtimeMs: st.mtimeMs, size: st.size, value };
      this.unchanged.add(path);
      this.dirty = true;
    } catch {
      // the file went away: nothing to cache
    }
  }

  save(): void {
    if (!this.dirty) return;
    try {
      const folder = join(this.file, "..");
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      // Written only into a folder of our own, which nobody else can write to.
      if (!ownPrivate(folder, true)) return;
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: VERSION, stamp: this.stamp, entries: this.entries }), { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch {
      // a cache that cannot be written only costs speed
    }
  }
}

/** One folder per user in the temp folder. */
function cacheFolder(): string {
  return join(tmpdir(), `mxcp-gen-cache-${typeof process.getuid === "function" ? process.getuid() : "user"}`);
}

/**
 * The path is what it should be (a folder or a plain file, not a link), this user's, and writable by nobody else.
 * (Windows has no user ids here, and gives each user a temp folder of their own.)
 */
export function ownPrivate(path: string, folder: boolean): boolean {
  const st = lstatSync(path);
  if (folder ? !st.isDirectory() : !st.isFile()) return false;
  if (typeof process.getuid !== "function") return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}
