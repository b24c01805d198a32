// Parsing, usage and help for a command, all from its flag table (src/pipeline/flag-table.ts).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { optionName, type FlagTable, type FlagValues } from "../pipeline/flag-table.js";

export type { FlagTable, FlagValues } from "../pipeline/flag-table.js";

/** The flags every command takes. */
export const COMMON_FLAGS = {
  profile: { kind: "string", value: "P", help: ["profile to use (else $MXCP_PROFILE, else the site's profile)"] },
  dir: { kind: "string", value: "DIR", help: ["the project folder, or a folder inside it (default: the current folder)"] },
  "json-output": { kind: "boolean", option: "json", help: ['print MXCP\'s JSON envelope: {"status":"ok","result":…} / {"status":"error","error":…}'] },
  debug: { kind: "boolean", help: ["show stack traces"] },
  help: { kind: "boolean", short: "h", help: ["show this help"] },
} as const satisfies FlagTable;

export type CommonValues = FlagValues<typeof COMMON_FLAGS>;

export interface CommandSpec<T extends FlagTable = FlagTable> {
  summary: string;
  /** What follows the command name before the flags (`<spec file or URL>`, `[DIR]`). */
  positionals: string;
  flags: T;
  /** Lines after the flags (environment variables, notes). */
  notes?: readonly string[];
  run(positionals: string[], values: FlagValues<T> & CommonValues): Promise<number> | number;
}

/** A command, its flag values typed from its own table. */
export function defineCommand<T extends FlagTable>(spec: CommandSpec<T>): CommandSpec {
  return spec as unknown as CommandSpec;
}

/** Parse `args` against the command's table and the common one: typed values by option name, and positionals. */
export function parseCommandLine(table: FlagTable, args: string[]): { values: Record<string, unknown>; positionals: string[] } {
  const all: FlagTable = { ...COMMON_FLAGS, ...table };
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [flag, spec] of Object.entries(all)) {
    options[flag] = {
      type: spec.kind === "boolean" ? "boolean" : "string",
      ...(spec.kind === "strings" ? { multiple: true } : {}),
      ...("short" in spec && spec.short ? { short: spec.short } : {}),
    };
  }
  const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  const values: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(all)) {
    const v = (parsed.values as Record<string, unknown>)[flag];
    const key = optionName(flag, spec);
    if (spec.kind === "boolean") values[key] = v === true;
    else if (spec.kind === "strings") values[key] = (v as string[] | undefined) ?? [];
    else if (spec.kind === "list") values[key] = typeof v === "string" ? v.split(",").map((x) => x.trim()).filter(Boolean) : [];
    else values[key] = v;
  }
  return { values, positionals: parsed.positionals };
}

function flagLabel(flag: string, spec: FlagTable[string]): string {
  const name = `${"short" in spec && spec.short ? `-${spec.short}, ` : ""}--${flag}`;
  return spec.kind === "boolean" ? name : `${name} ${spec.value ?? "VALUE"}`;
}

/** `mxcp-gen openapi <spec> [--out DIR] [--tag T]… [--read-only]`. */
export function usageLine(name: string, spec: CommandSpec): string {
  const flags = Object.entries(spec.flags).map(([flag, f]) => `[${flagLabel(flag, f).replace(/^-\w, /, "")}]${f.kind === "strings" ? "…" : ""}`);
  return ["mxcp-gen", name, spec.positionals, ...flags].filter(Boolean).join(" ");
}

const COLUMN = 20;

/** The flag's help: label, then its text beside it (or below, when the label is long), continuation lines aligned. */
function flagHelp(flag: string, spec: FlagTable[string]): string[] {
  const label = flagLabel(flag, spec);
  const [first = "", ...more] = spec.help;
  const head = label.length < COLUMN - 1 ? `${label.padEnd(COLUMN)}${first}` : `${label}   ${first}`;
  return [head, ...more.map((l) => `${" ".repeat(COLUMN)}${l}`)];
}

export function commandHelp(name: string, spec: CommandSpec): string {
  return [
    `${spec.summary}.`,
    "",
    `Usage: ${usageLine(name, spec)}`,
    "",
    "Options:",
    ...Object.entries(spec.flags).flatMap(([flag, f]) => flagHelp(flag, f)).map((l) => `  ${l}`),
    ...Object.entries(COMMON_FLAGS).flatMap(([flag, f]) => flagHelp(flag, f)).map((l) => `  ${l}`),
    ...(spec.notes ?? []).map((l) => `  ${l}`),
  ].join("\n");
}
