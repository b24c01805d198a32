import { readFileSync } from "node:fs";
import { loadProject } from "../../project/project.js";
import { ProjectHost } from "../../server/host.js";
import { lintProject, type Severity } from "../../devtools/lint.js";
import { mockApis } from "../../devtools/mock-apis.js";
import { runTests } from "../../devtools/test-runner.js";
import { CliError } from "../output.js";
import type { CommonFlags } from "./project-commands.js";

export interface TestFlags extends CommonFlags {
  user?: string | undefined;
  mock: boolean;
}

/** `mxcp-gen test [tool|resource|prompt] [NAME]`: exit 1 unless every test passes. */
export async function testCommand(positionals: string[], flags: TestFlags): Promise<number> {
  const [first, second] = positionals;
  const kinds = ["tool", "resource", "prompt"];
  const kind = first && kinds.includes(first) ? (first as "tool" | "resource" | "prompt") : undefined;
  const name = kind ? second : first;
  let user: Record<string, unknown> | undefined;
  if (flags.user) {
    try {
      user = JSON.parse(flags.user.startsWith("@") ? readFileSync(flags.user.slice(1), "utf8") : flags.user) as Record<string, unknown>;
    } catch {
      throw new CliError("Invalid user context: expected JSON or @file.json", 2);
    }
  }
  const host = ProjectHost.load({ cwd: flags.dir, profile: flags.profile });
  const mocks = flags.mock ? await mockApis(host.project.root) : undefined;
  try {
    if (mocks && !flags.json) for (const m of mocks.apis) process.stderr.write(`Mock of ${m.name} at ${m.url}\n`);
    const result = await runTests(host, { kind, name, user, mock: flags.mock });
    if (flags.json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    else {
      const rows: string[][] = [];
      for (const e of result.endpoints) {
        if (e.test_results.no_tests) continue;
        if (e.test_results.message) rows.push([e.endpoint, "-", "ERROR", "", e.test_results.message]);
        for (const t of e.test_results.tests) rows.push([e.endpoint, t.name, t.status.toUpperCase(), `${t.time.toFixed(3)}s`, t.error ?? ""]);
      }
      const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), ["Endpoint", "Test", "Status", "Time"][i]!.length));
      const line = (r: string[]) => r.slice(0, 4).map((c, i) => c.padEnd(widths[i]!)).join("  ") + (r[4] ? `  ${r[4]}` : "");
      process.stdout.write([line(["Endpoint", "Test", "Status", "Time"]), ...rows.map(line)].join("\n") + "\n");
      const all = result.endpoints.flatMap((e) => e.test_results.tests);
      const untested = result.endpoints.filter((e) => e.test_results.no_tests).length;
      process.stdout.write(
        `\n${all.filter((t) => t.status === "passed").length} passed, ${all.filter((t) => t.status === "failed").length} failed, ${all.filter((t) => t.status === "error").length} errors, ${all.filter((t) => t.status === "skipped").length} skipped; ${untested} endpoint(s) without tests\n`,
      );
    }
    return result.status === "ok" ? 0 : 1;
  } finally {
    await host.shutdown();
    await mocks?.stop();
  }
}

export interface LintFlags extends CommonFlags {
  severity: string;
}

/** `mxcp-gen lint`: prints the issues; exits 0, as MXCP does. */
export function lintCommand(flags: LintFlags): number {
  const levels = ["all", "error", "warning", "info"];
  if (!levels.includes(flags.severity)) throw new CliError(`--severity must be one of ${levels.join(", ")}`, 2);
  const project = loadProject({ cwd: flags.dir, profile: flags.profile });
  const issues = lintProject(project.endpoints).filter((i) => flags.severity === "all" || i.severity === (flags.severity as Severity));
  if (flags.json) process.stdout.write(JSON.stringify(issues, null, 2) + "\n");
  else {
    // What matters first: the counts, then errors and warnings in full; suggestions are grouped unless asked for.
    const count = (s: Severity) => issues.filter((i) => i.severity === s).length;
    process.stdout.write(`${count("error")} errors, ${count("warning")} warnings, ${count("info")} suggestions\n`);
    const full = issues.filter((i) => i.severity !== "info" || flags.severity === "info");
    if (full.length > 0) process.stdout.write("\n");
    for (const i of full) process.stdout.write(`${i.severity.toUpperCase().padEnd(7)} ${i.path} ${i.location}: ${i.message}\n        → ${i.suggestion}\n`);
    const infos = issues.filter((i) => i.severity === "info");
    if (flags.severity !== "info" && infos.length > 0) {
      const kinds = new Map<string, number>();
      for (const i of infos) kinds.set(i.suggestion, (kinds.get(i.suggestion) ?? 0) + 1);
      process.stdout.write(`\nSuggestions (each listed with --severity info):\n`);
      for (const [suggestion, n] of [...kinds].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${String(n).padStart(5)}  ${suggestion}\n`);
    }
  }
  return 0;
}
