import { readFileSync } from "node:fs";
import { LineCounter, parseDocument, isNode } from "yaml";
import { ProjectError, type Problem } from "./schema-errors.js";
import { assertExpandedSize } from "./yaml-budget.js";

/** Most nodes one endpoint file may expand to: far above any real tool, far below a bomb. */
export const MAX_ENDPOINT_NODES = 200_000;

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
  if (doc.errors.length > 0) {
    throw new ProjectError(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, path: "", message: `YAML syntax error: ${e.message.split("\n")[0]}`, line: pos.line, column: pos.col };
      }),
    );
  }
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
