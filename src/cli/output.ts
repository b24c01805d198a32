import { ProjectError } from "../project/schema-errors.js";

export interface OutputFlags {
  json: boolean;
  debug: boolean;
}

/** A failure the user caused (bad flag, bad file): one line, exit code as given, no stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  /** What to do next, printed after the message (and in the JSON envelope). */
  readonly fix: string | undefined;
  constructor(message: string, exitCode = 1, detail: { fix?: string } = {}) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
    this.fix = detail.fix;
  }
}

export function printOk(result: unknown, flags: OutputFlags, human?: () => string): void {
  if (flags.json) process.stdout.write(JSON.stringify({ status: "ok", result }, null, 2) + "\n");
  else process.stdout.write((human ? human() : typeof result === "string" ? result : JSON.stringify(result, null, 2)) + "\n");
}

/** MXCP's error envelope with --json-output, else `Error: msg` on stderr; traceback only with --debug. */
export function printError(e: unknown, flags: OutputFlags, extra: Record<string, unknown> = {}): void {
  const message = e instanceof Error ? e.message : String(e);
  const fix = (extra.error_object as { fix?: unknown } | undefined)?.fix ?? (e as { fix?: unknown } | null)?.fix;
  if (flags.json) {
    const out: Record<string, unknown> = { status: "error", error: message, ...(typeof fix === "string" && fix && !extra.error_object ? { fix } : {}), ...extra };
    if (flags.debug && e instanceof Error) {
      out.type = e.name;
      out.traceback = e.stack;
    }
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  } else {
    process.stderr.write(`Error: ${message}\n`);
    // What to do next is part of the error in both modes, not only in the JSON envelope.
    if (typeof fix === "string" && fix) process.stderr.write(`Fix: ${fix}\n`);
    if (flags.debug && e instanceof Error && !(e instanceof ProjectError) && !(e instanceof CliError)) process.stderr.write(`${e.stack}\n`);
  }
}
