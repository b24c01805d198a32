import type { z } from "zod";

/** One problem found in a file: the file, the key path inside it, and what is wrong. */
export interface Problem {
  file: string;
  /** Dotted key path as MXCP prints it (`tool.parameters.0.name`), empty for the whole file. */
  path: string;
  message: string;
  /** 1-based position, known for YAML syntax errors. */
  line?: number;
  column?: number;
}

export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** A failure that carries one or more problems; its message lists them all. */
export class ProjectError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ProjectError";
    this.problems = problems;
  }
}

/** Turn zod issues into MXCP-style problems (`loc: msg`), one per unknown key. */
export function zodProblems(file: string, error: z.ZodError, prefix: (string | number)[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const base = [...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({ file, path: [...base, key].join("."), message: "Extra inputs are not permitted" });
      }
    } else if (issue.code === "invalid_type" && issue.input === undefined) {
      problems.push({ file, path: base.join("."), message: "Field required" });
    } else {
      problems.push({ file, path: base.join("."), message: issue.message });
    }
  }
  return problems;
}
