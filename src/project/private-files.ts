// Files that hold a secret (the user config, a client's config with --with-env-values, their backups) are
// written readable by their owner only, whatever mode an existing file had, and atomically: the new text goes
// to a temporary file beside it (created 0600, never world-readable even for a moment), then replaces it.
import { chmodSync, closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

export const PRIVATE_MODE = 0o600;

/** Write `text` to `path` as one step, owner-only. */
export function writePrivateFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(tmp, "wx", PRIVATE_MODE);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  // The mode a umask may have narrowed at creation is set exactly, before the file takes the name.
  chmodSync(tmp, PRIVATE_MODE);
  renameSync(tmp, path);
}

/** Copy `from` to `to` (a backup), owner-only from the start. */
export function copyPrivateFile(from: string, to: string): void {
  closeSync(openSync(to, "wx", PRIVATE_MODE));
  chmodSync(to, PRIVATE_MODE);
  copyFileSync(from, to);
  chmodSync(to, PRIVATE_MODE);
}
