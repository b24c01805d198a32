// A command's flags, declared once: name, kind, value name and help. The CLI parses and documents them from
// here; `openapi` and `wrap` also turn their options back into the flags that regenerate a project.

export interface FlagSpec {
  /**
   * `boolean`; `string` (one value); `strings` (repeatable, collected in order); `list` (one
   * comma-separated value, as an array).
   */
  kind: "boolean" | "string" | "strings" | "list";
  /** The value's name in help (`DIR`, `GLOB`). */
  value?: string;
  short?: string;
  /** Help lines; the first sits beside the flag. */
  help: readonly string[];
  /** The option this flag sets, when it is not the flag's name in camelCase (`--tag` → `tags`). */
  option?: string;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
type OptionName<K extends string, F extends FlagSpec> = F extends { option: infer O extends string } ? O : CamelCase<K>;
type FlagValue<F extends FlagSpec> = F["kind"] extends "boolean" ? boolean : F["kind"] extends "string" ? string | undefined : string[];

/** What a parsed table gives a command: one typed property per flag, named by its option. */
export type FlagValues<T extends FlagTable> = { -readonly [K in keyof T & string as OptionName<K, T[K]>]: FlagValue<T[K]> };

export function optionName(flag: string, spec: FlagSpec): string {
  return spec.option ?? flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The flags that set these options again, in the table's order: what a generated file's header and the
 * report print as the regenerate command. Absent, false and empty options are left out.
 */
export function flagWords(table: FlagTable, options: object): string[] {
  const words: string[] = [];
  const values = options as Record<string, unknown>;
  for (const [flag, spec] of Object.entries(table)) {
    const v = values[optionName(flag, spec)];
    if (v === undefined || v === null || v === false || (Array.isArray(v) && v.length === 0) || v === "") continue;
    if (spec.kind === "boolean") words.push(`--${flag}`);
    else if (spec.kind === "strings" && Array.isArray(v)) for (const item of v) words.push(`--${flag}`, String(item));
    else if (spec.kind === "list" && Array.isArray(v)) words.push(`--${flag}`, v.join(","));
    else words.push(`--${flag}`, String(v));
  }
  return words;
}

/** The options a table sets, from an object that may hold more (what the lock file records). */
export function pickOptions(table: FlagTable, options: object): Record<string, unknown> {
  const values = options as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(table)) {
    const key = optionName(flag, spec);
    const v = values[key];
    if (v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)) out[key] = v;
  }
  return out;
}
