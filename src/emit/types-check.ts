// openapi-typescript's output does not always compile (a `WithRequired<T, "x">` over a nullable `T` is
// TS2344). The generated project must, so types.ts is type-checked here, in memory, and only the
// declarations with errors are degraded to `any` (handlers index into these types, which `unknown` would
// not allow); the report names them.
import { Project, ts } from "ts-morph";

const FILE = "/types.ts";
const DEGRADED = "any /* degraded by mxcp-gen: openapi-typescript's type did not compile */";
const MAX_ROUNDS = 4;

export interface CheckedTypes {
  text: string;
  /** The property paths degraded to `any` (`components.schemas.B`), in order. */
  degraded: string[];
}

function diagnose(text: string): { file: ts.SourceFile; errors: readonly ts.Diagnostic[] } {
  // ts-morph's in-memory file system carries TypeScript's lib files: nothing is read from disk.
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { strict: true, noUnusedLocals: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], types: [] },
  });
  project.createSourceFile(FILE, text);
  const program = project.getProgram().compilerObject;
  const file = program.getSourceFile(FILE)!;
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
