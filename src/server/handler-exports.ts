// Checking that a handler module exports its tool's function without importing it (serve loads modules on
// first use, so a project with thousands of tools starts fast).
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import type { ToolDef } from "../project/definitions.js";
import type { EndpointEntry } from "../project/endpoints.js";

const sourceCache = new Map<string, string>();

/** Without importing the module: does its source export a function named like the tool? */
export function missingExport(root: string, entry: EndpointEntry, file: string | undefined): string | undefined {
  if (!file || entry.kind !== "tool") return undefined;
  let text = sourceCache.get(file);
  if (text === undefined) {
    text = readFileSync(file, "utf8");
    sourceCache.set(file, text);
  }
  const name = (entry.definition as ToolDef).name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const exported = new RegExp(`export\\s+(async\\s+)?function\\s*\\*?\\s*${name}\\b|export\\s+(const|let|var)\\s+${name}\\b|export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`);
  return exported.test(text) ? undefined : `Function '${(entry.definition as ToolDef).name}' not found in ${relative(root, file).split(sep).join("/")}`;
}
