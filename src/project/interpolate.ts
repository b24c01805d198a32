import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ProjectError, type Problem } from "./schema-errors.js";
import { setOwn } from "../runtime/own.js";

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const PLACEHOLDER = /^<set ([A-Za-z_][A-Za-z0-9_]*)>$/;

/** What a printed client entry holds for a variable the user has still to fill in. */
export function placeholderFor(name: string): string {
  return `<set ${name}>`;
}

/** A value pasted without being filled in is not a credential: it is "not set". */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

export interface InterpolateOptions {
  env: NodeJS.ProcessEnv;
  /** Base folder for relative `file://` paths; MXCP uses the current directory. */
  cwd: string;
  file: string;
}

/**
 * Resolve `${VAR}`, `file://` and (refused) `vault://` / `op://` references in every string of `value`.
 * Collects every problem before failing, each naming its key path.
 */
export function interpolate<T>(value: T, path: (string | number)[], opts: InterpolateOptions): T {
  const problems: Problem[] = [];
  const out = walk(value, path, opts, problems);
  if (problems.length > 0) throw new ProjectError(problems);
  return out as T;
}

function walk(value: unknown, path: (string | number)[], opts: InterpolateOptions, problems: Problem[]): unknown {
  if (typeof value === "string") return resolveString(value, path, opts, problems);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i], opts, problems));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      setOwn(out, k, walk(v, [...path, k], opts, problems));
    }
    return out;
  }
  return value;
}

function resolveString(s: string, path: (string | number)[], opts: InterpolateOptions, problems: Problem[]): string {
  const at = path.join(".");
  for (const scheme of ["vault://", "op://"]) {
    if (s.startsWith(scheme)) {
      problems.push({ file: opts.file, path: at, message: `${scheme} references are not supported yet by mxcp-gen; use \${ENV} or file:// instead` });
      return s;
    }
  }
  if (s.startsWith("file://")) {
    const p = s.slice("file://".length);
    const full = p.startsWith("/") ? p : resolve(opts.cwd, p);
    try {
      return readFileSync(full, "utf8").trim();
    } catch {
      problems.push({ file: opts.file, path: at, message: `File not found: ${full}` });
      return s;
    }
  }
  if (isPlaceholder(s)) {
    problems.push({ file: opts.file, path: at, message: `The value is still the placeholder '${s}': fill it in` });
    return s;
  }
  return s.replace(ENV_REF, (whole, name: string) => {
    const v = opts.env[name];
    if (v === undefined) {
      problems.push({ file: opts.file, path: at, message: `Environment variable ${name} is not set` });
      return whole;
    }
    if (isPlaceholder(v)) {
      problems.push({ file: opts.file, path: at, message: `Environment variable ${name} is not set: it still holds the placeholder '${v}' (fill it in where the variable is set, such as the client's entry)` });
      return whole;
    }
    return v;
  });
}
