// A package's .d.ts files are untrusted: `/// <reference path="../../../../etc/x.d.ts" />` or an
// `import type … from "../../../outside"` would make the compiler read any file on the machine, and a type
// found there could become a tool parameter. The compiler reads through this host, which answers only for
// the package's own folder, the folders of its declared dependencies (and their `@types`), and Node's types.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, relative, sep } from "node:path";
import type { FileSystemHost } from "ts-morph";

type DirEntry = ReturnType<FileSystemHost["readDirSync"]>[number];

/**
 * Folders a package's types may be read from: the package, the packages it declares (dependencies, peer and
 * optional ones, with their `@types`), theirs in turn, and @types/node.
 */
export function allowedTypeRoots(pkgDir: string, findPackage: (name: string, from: string) => string | undefined): string[] {
  const roots = new Set<string>();
  const start = realpathSync(pkgDir); // a linked package resolves its dependencies from where it really is
  const queue: string[] = [start];
  const node = findPackage("@types/node", start) ?? findPackage("@types/node", pkgDir);
  if (node) queue.push(node);
  // A package written in JavaScript has its types in DefinitelyTyped: @types/<name> is read as its own.
  try {
    const own = (JSON.parse(readFileSync(join(start, "package.json"), "utf8")) as { name?: string }).name;
    const definitelyTyped = own ? findPackage(own.startsWith("@") ? `@types/${own.slice(1).replace("/", "__")}` : `@types/${own}`, pkgDir) : undefined;
    if (definitelyTyped) queue.push(definitelyTyped);
  } catch {
    // no readable package.json: nothing to add
  }
  while (queue.length > 0 && roots.size < 2000) {
    const dir = realpathSync(queue.shift()!);
    if (roots.has(dir)) continue;
    roots.add(dir);
    let manifest: Record<string, Record<string, string> | undefined>;
    try {
      manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as typeof manifest;
    } catch {
      continue;
    }
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
      for (const dep of Object.keys(manifest[field] ?? {})) {
        const types = dep.startsWith("@") ? `@types/${dep.slice(1).replace("/", "__")}` : `@types/${dep}`;
        for (const name of [dep, types]) {
          const found = findPackage(name, dir);
          if (found) queue.push(found);
        }
      }
    }
  }
  return [...roots];
}

// ts-morph recognises a missing file only by its own error class, which lives in its @ts-morph/common.
const tsMorphRequire = createRequire(createRequire(import.meta.url).resolve("ts-morph"));
const { FileNotFoundError } = (tsMorphRequire("@ts-morph/common") as { errors: { FileNotFoundError: new (path: string) => Error } }).errors;

function fileNotFound(path: string): Error {
  return new FileNotFoundError(path);
}

function readOnly(): never {
  throw new Error("The type reader never writes files");
}

/** A read-only file system that sees only files under `roots` (after following links). */
export class ConfinedFileSystemHost implements FileSystemHost {
  /** Paths a package tried to read outside its roots, for the report. */
  readonly refused = new Set<string>();

  constructor(private readonly roots: string[], private readonly cwd: string) {}

  private allowed(path: string): boolean {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      real = path;
    }
    const ok = this.roots.some((root) => {
      const rel = relative(root, real);
      return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
    });
    if (!ok && existsSync(path) && /\.(d\.[cm]?ts|[cm]?ts|tsx)$/.test(path)) this.refused.add(path);
    return ok;
  }

  isCaseSensitive(): boolean {
    return process.platform !== "win32" && process.platform !== "darwin";
  }
  readDirSync(dirPath: string): DirEntry[] {
    if (!this.allowed(dirPath)) return [];
    return readdirSync(dirPath, { withFileTypes: true }).map((d) => ({
      name: join(dirPath, d.name),
      isFile: d.isFile(),
      isDirectory: d.isDirectory(),
      isSymlink: d.isSymbolicLink(),
    }));
  }
  async readFile(filePath: string): Promise<string> {
    return this.readFileSync(filePath);
  }
  readFileSync(filePath: string): string {
    if (!this.allowed(filePath)) throw fileNotFound(filePath);
    return readFileSync(filePath, "utf8");
  }
  async fileExists(filePath: string): Promise<boolean> {
    return this.fileExistsSync(filePath);
  }
  fileExistsSync(filePath: string): boolean {
    try {
      return statSync(filePath).isFile() && this.allowed(filePath);
    } catch {
      return false;
    }
  }
  async directoryExists(dirPath: string): Promise<boolean> {
    return this.directoryExistsSync(dirPath);
  }
  /** Folders may be probed anywhere (module resolution walks up through node_modules); files may not. */
  directoryExistsSync(dirPath: string): boolean {
    try {
      return statSync(dirPath).isDirectory();
    } catch {
      return false;
    }
  }
  realpathSync(path: string): string {
    try {
      return realpathSync(path);
    } catch {
      return path; // the in-memory entry file has no real path
    }
  }
  getCurrentDirectory(): string {
    return this.cwd;
  }
  async glob(): Promise<string[]> {
    return [];
  }
  globSync(): string[] {
    return [];
  }
  delete = async (): Promise<void> => readOnly();
  deleteSync = (): void => readOnly();
  writeFile = async (): Promise<void> => readOnly();
  writeFileSync = (): void => readOnly();
  mkdir = async (): Promise<void> => readOnly();
  mkdirSync = (): void => readOnly();
  move = async (): Promise<void> => readOnly();
  moveSync = (): void => readOnly();
  copy = async (): Promise<void> => readOnly();
  copySync = (): void => readOnly();
}

