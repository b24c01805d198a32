// openapi-typescript's output does not always compile (a `WithRequired<T, "x">` over a nullable `T` is
// TS2344). The generated project must, so types.ts is type-checked here, in memory, and only the
// declarations with errors are degraded to `any` (handlers index into these types, which `unknown` would
// not allow); the report names them.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import ts from "typescript";

const FILE = "/types.ts";
const DEGRADED = "any /* degraded by mxcp-gen: openapi-typescript's type did not compile */";
const MAX_ROUNDS = 4;

export interface CheckedTypes {
  text: string;
  /** The property paths degraded to `any` (`components.schemas.B`), in order. */
  degraded: string[];
}

const OPTIONS: ts.CompilerOptions = { strict: true, noUnusedLocals: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], types: [] };
// The same TypeScript that openapi-typescript loaded (one compiler in memory, not two), and its own lib files.
const LIB_DIR = dirname(createRequire(import.meta.url).resolve("typescript/lib/lib.es2022.d.ts"));
// Lib files parsed once per process: every round of every check reads the same ones.
const libFiles = new Map<string, ts.SourceFile | undefined>();

function diagnose(text: string): { file: ts.SourceFile; errors: readonly ts.Diagnostic[] } {
  const file = ts.createSourceFile(FILE, text, ts.ScriptTarget.ES2022, true);
  const isLib = (name: string) => dirname(name) === LIB_DIR && /^lib\.[\w.]*d\.ts$/.test(name.slice(LIB_DIR.length + 1));
  // Nothing but types.ts and TypeScript's lib files can be read: the text comes from a document nobody here wrote.
  const host: ts.CompilerHost = {
    getSourceFile: (name) => {
      if (name === FILE) return file;
      if (!isLib(name)) return undefined;
      if (!libFiles.has(name)) libFiles.set(name, ts.createSourceFile(name, readFileSync(name, "utf8"), ts.ScriptTarget.ES2022, true));
      return libFiles.get(name);
    },
    getDefaultLibFileName: () => join(LIB_DIR, "lib.es2022.d.ts"),
    getDefaultLibLocation: () => LIB_DIR,
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === FILE || isLib(name),
    readFile: (name) => (isLib(name) ? readFileSync(name, "utf8") : undefined),
    directoryExists: () => false,
    getDirectories: () => [],
  };
  const program = ts.createProgram([FILE], OPTIONS, host);
  return { file, errors: program.getSemanticDiagnostics(file) };
}

/** The type node of the innermost property or type alias around `pos`, and the dotted path to it. */
function owner(file: ts.SourceFile, pos: number): { node: ts.TypeNode; path: string } | undefined {
  let found: { node: ts.TypeNode; path: string } | undefined;
  const visit = (node: ts.Node, path: string[]): void => {
    if (pos < node.getStart(file) || pos >= node.getEnd()) return;
    let here = path;
    if ((ts.isPropertySignature(node) || ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node)) && node.name) {
      here = [...path, node.name.getText(file).replace(/^["']|["']$/g, "")];
      const type = ts.isPropertySignature(node) || ts.isTypeAliasDeclaration(node) ? node.type : undefined;
      if (type && pos >= type.getStart(file) && pos < type.getEnd()) found = { node: type, path: here.join(".") };
    }
    ts.forEachChild(node, (child) => visit(child, here));
  };
  visit(file, []);
  return found;
}

/** A top-level type alias or interface reported as unused (TS6196 / TS6133). */
function unusedHelper(file: ts.SourceFile, e: ts.Diagnostic): ts.Statement | undefined {
  if (e.code !== 6196 && e.code !== 6133) return undefined;
  return file.statements.find((st) => (ts.isTypeAliasDeclaration(st) || ts.isInterfaceDeclaration(st)) && e.start! >= st.getStart(file) && e.start! < st.getEnd());
}

export function degradeBrokenTypes(text: string): CheckedTypes {
  let current = text;
  const degraded: string[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { file, errors } = diagnose(current);
    if (errors.length === 0) return { text: current, degraded };
    const edits = new Map<number, { end: number; path?: string; replacement: string }>();
    for (const e of errors) {
      if (e.start === undefined) continue;
      const unused = unusedHelper(file, e);
      if (unused) {
        // A helper whose only use was degraded (openapi-typescript's WithRequired): it goes too.
        edits.set(unused.getStart(file), { end: unused.getEnd(), replacement: "" });
        continue;
      }
      const site = owner(file, e.start);
      if (site) edits.set(site.node.getStart(file), { end: site.node.getEnd(), path: site.path, replacement: DEGRADED });
    }
    if (edits.size === 0) break;
    // An edit inside another is covered by it.
    const sorted = [...edits].sort((a, b) => a[0] - b[0]).filter(([start], i, all) => !all.some(([s, e], j) => j !== i && s <= start && start < e.end && !(s === start && j > i)));
    for (const [start, { end, path, replacement }] of sorted.reverse()) {
      current = `${current.slice(0, start)}${replacement}${current.slice(end)}`;
      if (path) degraded.unshift(path);
    }
  }
  const { errors } = diagnose(current);
  if (errors.length > 0) throw new Error(`types.ts still has ${errors.length} type error(s) after degrading ${degraded.length} declaration(s)`);
  return { text: current, degraded };
}
