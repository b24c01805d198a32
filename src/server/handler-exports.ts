// Checking that a handler module exports its tool's function without importing it (serve loads modules on
// first use, so a project with thousands of tools starts fast). What each file exports is cached by its path,
// size and modification time, so a second start reads none of them.
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import type { ToolDef } from "../project/definitions.js";
import type { EndpointEntry } from "../project/endpoints.js";
import { YamlCache } from "../project/yaml-cache.js";

const IDENT = "[A-Za-z_$][\\w$]*";
const DECLARED = new RegExp(`export\\s+(?:async\\s+)?function\\s*\\*?\\s*(${IDENT})|export\\s+(?:const|let|var)\\s+(${IDENT})|export\\s*\\{([^}]*)\\}`, "g");

/** The names a module's source exports: declared functions and bindings, and `export { a, b as c }` lists. */
export function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(DECLARED)) {
    if (m[1] ?? m[2]) names.add((m[1] ?? m[2])!);
    for (const item of m[3]?.split(",") ?? []) {
      const name = item.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}

export class HandlerExports {
  private readonly cache: YamlCache;
  private readonly known = new Map<string, string[]>();

  constructor(private readonly root: string) {
    this.cache = new YamlCache(root, undefined, "exports");
  }

  /** Why the tool's function cannot be found in `file`, or undefined when the file exports it. */
  missing(entry: EndpointEntry, file: string | undefined): string | undefined {
    if (!file || entry.kind !== "tool") return undefined;
    const name = (entry.definition as ToolDef).name;
    return this.names(file).includes(name) ? undefined : `Function '${name}' not found in ${relative(this.root, file).split(sep).join("/")}`;
  }

  /** Keep what was learnt for the next start. */
  save(): void {
    this.cache.save();
  }

  private names(file: string): string[] {
    let names = this.known.get(file);
    if (names) return names;
    const cached = this.cache.get(file);
    if (Array.isArray(cached) && cached.every((n) => typeof n === "string")) names = cached as string[];
    else {
      names = exportedNames(readFileSync(file, "utf8"));
      this.cache.set(file, names);
    }
    this.known.set(file, names);
    return names;
  }
}
