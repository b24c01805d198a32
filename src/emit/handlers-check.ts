// Generated code is product code: a wrapped project must compile. Before anything is written, the handlers are
// type-checked in memory against the installed package's own types, as the project's tsconfig would check them
// (strict, NodeNext), with `mxcp-gen/runtime` resolved to the running package's declarations. The caller leaves
// out the tools whose handler does not compile (saying why), so no broken file is ever written.
import { existsSync, realpathSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { PACKAGE_ROOT } from "../package-info.js";
import type { FileSet } from "./api-files.js";

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The runtime's declarations: built (dist), or the source when run from a checkout without a build. */
function runtimeTypes(): string {
  const built = join(PACKAGE_ROOT, "dist", "src", "runtime", "index.d.ts");
  return existsSync(built) ? built : join(PACKAGE_ROOT, "src", "runtime", "index.ts");
}

/**
 * The first error of each generated `.ts` file under `dir` that does not compile (project-relative path →
 * `TS2554: Expected 1 arguments, but got 0.`). `files` are the generated files, not yet on disk.
 */
export function uncompiledHandlers(projectDir: string, files: FileSet, dir: string, readableRoots: string[]): Map<string, string> {
  const root = resolve(projectDir);
  const virtual = new Map<string, string>();
  for (const [rel, text] of files) virtual.set(join(root, rel), text);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    paths: { "mxcp-gen/runtime": [runtimeTypes()] },
  };
  const host = ts.createCompilerHost(options, true);
  const original = { fileExists: host.fileExists, readFile: host.readFile, getSourceFile: host.getSourceFile };
  const folders = new Set<string>();
  for (const f of virtual.keys()) for (let d = dirname(f); d.length >= root.length && !folders.has(d); d = dirname(d)) folders.add(d);
  // The package's types are untrusted (a `/// <reference path>` may point anywhere): as when its types were read,
  // only the folders wrap allows (the package, its dependency closure, @types/node), TypeScript's own lib files
  // and the running mxcp-gen are read from disk; anything else does not exist for the check.
  const allowed = [...readableRoots, dirname(ts.getDefaultLibFilePath(options)), PACKAGE_ROOT].map((r) => realOrSelf(r));
  const readable = (f: string) => {
    const real = realOrSelf(resolve(f));
    return allowed.some((r) => real === r || real.startsWith(r + sep));
  };
  host.fileExists = (f) => virtual.has(resolve(f)) || (readable(f) && original.fileExists.call(host, f));
  host.directoryExists = (d) => folders.has(resolve(d)) || ts.sys.directoryExists(d);
  host.readFile = (f) => virtual.get(resolve(f)) ?? (readable(f) ? original.readFile.call(host, f) : undefined);
  host.getSourceFile = (f, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(resolve(f));
    if (text !== undefined) return ts.createSourceFile(f, text, languageVersion, true);
    return readable(f) ? original.getSourceFile.call(host, f, languageVersion, onError, shouldCreate) : undefined;
  };
  const roots = [...virtual.keys()].filter((f) => f.endsWith(".ts") && f.startsWith(join(root, dir) + sep));
  const program = ts.createProgram({ rootNames: roots, options, host });
  const broken = new Map<string, string>();
  for (const file of roots) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const [first] = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    if (first) broken.set(relative(root, file).split(sep).join("/"), `TS${first.code}: ${ts.flattenDiagnosticMessageText(first.messageText, " ")}`);
  }
  return broken;
}
