import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { endpointError } from "../../project/endpoints.js";
import { setOwn } from "../../runtime/own.js";
import { loadProject } from "../../project/project.js";
import { initProject } from "../../scaffold/init-project.js";
import { ProjectHost } from "../../server/host.js";
import { CliError, printError, printOk, type OutputFlags } from "../output.js";
import { closest } from "../../model/suggest.js";
import { linkRuntime } from "./write-report.js";
import { misfitNote } from "../../server/misfit-note.js";

export interface CommonFlags extends OutputFlags {
  profile?: string | undefined;
  /** The project folder (or one inside it); the current folder when absent. */
  dir?: string | undefined;
}

export function initCommand(dir: string, flags: CommonFlags & { project?: string | undefined }): number {
  const files = initProject(dir, { project: flags.project, profile: flags.profile });
  linkRuntime(resolve(dir), flags);
  printOk({ directory: resolve(dir), files }, flags, () => `Created an MXCP project in ${resolve(dir)}:\n${files.map((f) => `  ${f}`).join("\n")}\n\nNext: cd ${dir} && mxcp-gen run tool hello -p name=World`);
  return 0;
}

export function listCommand(flags: CommonFlags): number {
  const project = loadProject({ cwd: flags.dir, profile: flags.profile });
  const endpoints = project.endpoints.map((e) => ({ path: e.path, kind: e.kind, name: e.name ?? null, error: endpointError(e) ?? null }));
  printOk({ endpoints }, flags, () =>
    endpoints.map((e) => `${e.error ? "✗" : "✓"} ${e.kind.padEnd(8)} ${String(e.name ?? "?").padEnd(30)} ${e.path}${e.error ? `\n    ${e.error.replace(/\n/g, "\n    ")}` : ""}`).join("\n") ||
    "No endpoints found.",
  );
  return 0;
}

/** Like `mxcp validate`: reports every endpoint and always exits 0. Loads handler modules to find missing exports. */
export async function validateCommand(flags: CommonFlags): Promise<number> {
  const host = ProjectHost.load({ cwd: flags.dir, profile: flags.profile });
  try {
    await host.start();
  } finally {
    await host.shutdown();
  }
  const validated = host.endpoints.map((e) => {
    const message = endpointError(e);
    return message ? { status: "error", path: e.path, message } : { status: "ok", path: e.path };
  });
  // A wrapped SDK updated since generation can break its handlers' types without breaking their YAML.
  // The TypeScript compiler loads only for validate, not for list or run.
  const { wrappedHandlerProblems } = await import("../../pipeline/handler-types.js");
  for (const p of wrappedHandlerProblems(host.project.root)) validated.push({ status: "error", path: p.path, message: p.message });
  const status = validated.every((v) => v.status === "ok") ? "ok" : "error";
  if (flags.json) process.stdout.write(JSON.stringify({ status, validated }, null, 2) + "\n");
  else {
    for (const v of validated) process.stdout.write(`${v.status === "ok" ? "✓" : "✗"} ${v.path}${v.message ? `\n    ${v.message.replace(/\n/g, "\n    ")}` : ""}\n`);
    const bad = validated.filter((v) => v.status !== "ok").length;
    process.stdout.write(`\n${validated.length - bad} of ${validated.length} endpoints valid\n`);
  }
  return 0;
}

export interface RunFlags extends CommonFlags {
  param: string[];
  user?: string | undefined;
  skipOutputValidation: boolean;
  strictOutput: boolean;
}

/** `-p k=v` keeps v a string (the type system converts it); `-p k=@file.json` reads JSON. */
export function parseParams(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new CliError(`Invalid parameter '${pair}': expected key=value`, 2);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    if (raw.startsWith("@")) {
      try {
        value = JSON.parse(readFileSync(raw.slice(1), "utf8"));
      } catch (e) {
        throw new CliError(`Invalid parameter '${key}': cannot read JSON from ${raw.slice(1)}: ${(e as Error).message}`, 2);
      }
    }
    setOwn(out, key, value);
  }
  return out;
}

function parseUser(spec: string | undefined): Record<string, unknown> | undefined {
  if (!spec) return undefined;
  const text = spec.startsWith("@") ? readFileSync(spec.slice(1), "utf8") : spec;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CliError("Invalid user context: expected JSON or @file.json", 2);
  }
}

export async function runCommand(kind: string, name: string, flags: RunFlags): Promise<number> {
  if (!["tool", "resource", "prompt"].includes(kind)) throw new CliError(`Unknown endpoint type '${kind}': use tool, resource or prompt`, 2);
  const args = parseParams(flags.param);
  const rawUser = parseUser(flags.user);
  const user = rawUser
    ? { provider: "cli", user_id: String(rawUser.user_id ?? "cli_user"), username: String(rawUser.username ?? "cli_user"), raw_profile: rawUser, ...rawUser }
    : undefined;
  // Only the handler this call needs is loaded, as under `serve` (a project with thousands of tools stays fast).
  const host = ProjectHost.load({ cwd: flags.dir, profile: flags.profile, lazyHandlers: true, skipExportCheck: true, only: { kind: kind as "tool" | "resource" | "prompt", name } });
  try {
    const names = host.endpoints.filter((e) => e.kind === kind && e.name).map((e) => e.name!);
    if (!names.includes(name)) {
      const guess = closest(name, names);
      throw new CliError(`Unknown ${kind}: ${name}${guess ? `. Did you mean '${guess}'?` : ""} (mxcp-gen list shows them all)`, 1);
    }
    if (kind === "prompt") {
      printOk(await host.getPrompt(name, args, { user }), flags);
      return 0;
    }
    const options = { user, skipOutputValidation: flags.skipOutputValidation, strictOutput: flags.strictOutput };
    const outcome = kind === "tool" ? await host.callTool(name, args, options) : await host.readResource(name, args, options);
    if (outcome.status === "ok") {
      printOk(outcome.result, flags);
      if (outcome.misfits) process.stderr.write(`${misfitNote(outcome.misfits)}\n`);
      return 0;
    }
    // CLI arguments are text: an array or object has to be written as JSON, which the message alone does not say.
    const hint = /Invalid JSON (array|object)/.test(outcome.message) ? ` (give ${/array/.test(outcome.message) ? "arrays" : "objects"} as JSON, as in -p 'key=${/array/.test(outcome.message) ? '["a","b"]' : '{"a":1}'}' or -p key=@file.json)` : "";
    printError(new Error(outcome.message + hint), flags, { error_object: outcome.errorObject });
    return 1;
  } finally {
    await host.shutdown();
  }
}
