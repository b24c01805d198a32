import { readFileSync } from "node:fs";
import { LineCounter, parseDocument, isNode } from "yaml";
import { ProjectError, type Problem } from "./schema-errors.js";
import { aliasBudgetProblem, assertExpandedSize } from "./yaml-budget.js";

/** Most nodes one endpoint file may expand to: far above any real tool, far below a bomb. */
export const MAX_ENDPOINT_NODES = 200_000;
/** Most aliases one endpoint file may use (MXCP's files need few, if any). */
export const MAX_ENDPOINT_ALIASES = 1_000;

export interface YamlFile {
  file: string;
  value: unknown;
  /** Attach the line and column of the node at `path` (dotted, as in problems) when it exists. */
  locate(problem: Problem): Problem;
}

/** Parse a YAML file; syntax errors become problems with line:column. `displayName` is what errors show. */
export function readYamlFile(path: string, displayName = path): YamlFile {
  const text = readFileSync(path, "utf8");
  return parseYamlText(text, displayName);
}

export function parseYamlText(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ProjectError([yamlSyntaxProblem(text, file, doc.errors, lineCounter)]);
  const tooBig = aliasBudgetProblem(doc, { maxAliases: MAX_ENDPOINT_ALIASES, maxNodes: MAX_ENDPOINT_NODES });
  if (tooBig) throw new ProjectError([{ file, path: "", message: tooBig }]);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    assertExpandedSize(value, MAX_ENDPOINT_NODES);
  } catch (e) {
    throw new ProjectError([{ file, path: "", message: (e as Error).message }]);
  }
  return {
    file,
    value,
    locate(problem) {
      if (!problem.path) return problem;
      const keys = problem.path.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k));
      // Walk back up until a node exists (an unknown key exists; a missing one points at its parent).
      for (let n = keys.length; n > 0; n--) {
        const node = doc.getIn(keys.slice(0, n), true);
        if (isNode(node) && node.range) {
          const pos = lineCounter.linePos(node.range[0]);
          return { ...problem, line: pos.line, column: pos.col };
        }
      }
      return problem;
    },
  };
}

/**
 * One problem for a file that does not parse: the first error (the others follow from it), placed where the
 * mistake is, with the line and a caret. A line indented deeper than the key above it is reported by the
 * parser at the key's value; the line to fix is the one that follows.
 */
function yamlSyntaxProblem(text: string, file: string, errors: readonly { code: string; message: string; pos: [number, number] }[], lineCounter: LineCounter): Problem {
  const lines = text.split(/\r?\n/);
  const multiline = errors.find((e) => e.code === "MULTILINE_IMPLICIT_KEY");
  let pos = lineCounter.linePos(errors[0]!.pos[0]);
  let message = errors[0]!.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  if (multiline) {
    const end = lineCounter.linePos(multiline.pos[1]);
    const line = lines[end.line - 1] ?? "";
    pos = { line: end.line, col: line.length - line.trimStart().length + 1 };
    message = "this line is indented more than the key above it (or a quote above is not closed)";
  }
  const unclosed = errors[0]!.code === "MISSING_CHAR" && /quote/.test(errors[0]!.message);
  if (unclosed) {
    // The parser notices at the end of the file; the quote to close is where it opened.
    for (let n = pos.line; n >= 1; n--) {
      const line = lines[n - 1] ?? "";
      const quote = /"[^"]*$/.exec(line.replace(/\\"/g, ""));
      if ((line.match(/"/g) ?? []).length % 2 === 1 && quote) {
        pos = { line: n, col: line.lastIndexOf('"') + 1 };
        message = "this quote is never closed";
        break;
      }
    }
  }
  const shown = (lines[pos.line - 1] ?? "").replace(/\t/g, " ");
  const snippet = shown.trim() ? `\n    ${shown}\n    ${" ".repeat(Math.max(0, pos.col - 1))}^` : "";
  return { file, path: "", message: `YAML syntax error: ${message}${snippet}`, line: pos.line, column: pos.col };
}
