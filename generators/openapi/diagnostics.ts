/** A problem in an OpenAPI document: where (file and JSON pointer) and what. */
export interface SpecProblem {
  severity: "error" | "warning";
  file: string;
  /** JSON pointer inside `file`, `""` for the whole document. */
  pointer: string;
  message: string;
}

export function formatSpecProblem(p: SpecProblem): string {
  return `${p.severity}: ${p.file}${p.pointer ? `#${p.pointer}` : ""}: ${p.message}`;
}

/** The document cannot be used; every blocking problem is listed. */
export class SpecError extends Error {
  readonly problems: SpecProblem[];
  constructor(problems: SpecProblem[]) {
    const errors = problems.filter((p) => p.severity === "error");
    super(`${errors.length} problem(s) in the OpenAPI document:\n${errors.map(formatSpecProblem).join("\n")}`);
    this.name = "SpecError";
    this.problems = problems;
  }
}

/** Collects problems while a generator walks a document. */
export class Diagnostics {
  readonly problems: SpecProblem[] = [];
  error(file: string, pointer: string, message: string): void {
    this.problems.push({ severity: "error", file, pointer, message });
  }
  warn(file: string, pointer: string, message: string): void {
    this.problems.push({ severity: "warning", file, pointer, message });
  }
  get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === "error");
  }
  get warnings(): SpecProblem[] {
    return this.problems.filter((p) => p.severity === "warning");
  }
  throwIfErrors(): void {
    if (this.hasErrors) throw new SpecError(this.problems);
  }
}

export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointerOf(path: (string | number)[]): string {
  return path.length === 0 ? "" : "/" + path.map(escapePointerToken).join("/");
}
