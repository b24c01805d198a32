// mxcp-gen.lock.json: what each generated API was made from (inputs and their hashes, options, generator
// version) and the hash of every file written. The writer keeps it; `check` and `test --mock` read it.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../package-info.js";

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

/** The hash the lock file records of a file's text (what was written; what `check` compares). */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export class LockFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LockFileError";
  }
}

export function readLock(out: string): LockFile {
  const path = join(out, LOCK_FILE);
  if (!existsSync(path)) return { lockVersion: 1, generator: `mxcp-gen ${VERSION}`, apis: {} };
  try {
    const lock = JSON.parse(readFileSync(path, "utf8")) as LockFile;
    if (lock.lockVersion !== 1 || typeof lock.apis !== "object") throw new Error("unknown lock format");
    return lock;
  } catch (e) {
    throw new LockFileError(`${path} is not a valid mxcp-gen lock file: ${(e as Error).message}`);
  }
}
