// Parsed endpoint files, cached by path, size and modification time, so a project with a thousand
// tools starts fast the second time. Only files that parsed cleanly are cached; the cache lives in
// the OS temp folder and a broken or stale cache is simply rebuilt.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Entry {
  mtimeMs: number;
  size: number;
  value: unknown;
}

const VERSION = 1;

export class YamlCache {
  private readonly file: string;
  private entries: Record<string, Entry> = {};
  private dirty = false;

  constructor(root: string) {
    const key = createHash("sha256").update(root).digest("hex").slice(0, 16);
    this.file = join(tmpdir(), "mxcp-gen-cache", `endpoints-${key}.json`);
    try {
      const data = JSON.parse(readFileSync(this.file, "utf8")) as { version: number; entries: Record<string, Entry> };
      if (data.version === VERSION) this.entries = data.entries;
    } catch {
      // no cache yet, or an unreadable one: start empty
    }
  }

  get(path: string): unknown {
    const e = this.entries[path];
    if (!e) return undefined;
    try {
      const st = statSync(path);
      return st.mtimeMs === e.mtimeMs && st.size === e.size ? e.value : undefined;
    } catch {
      return undefined;
    }
  }

  set(path: string, value: unknown): void {
    try {
      const st = statSync(path);
      this.entries[path] = { mtimeMs: st.mtimeMs, size: st.size, value };
      this.dirty = true;
    } catch {
      // the file went away: nothing to cache
    }
  }

  save(): void {
    if (!this.dirty) return;
    try {
      mkdirSync(join(this.file, ".."), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: VERSION, entries: this.entries }));
      renameSync(tmp, this.file);
    } catch {
      // a cache that cannot be written only costs speed
    }
  }
}
