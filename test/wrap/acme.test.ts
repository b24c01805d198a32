import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, REPO_ROOT, runCli, tempDir } from "../helpers.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const run = promisify(execFile);

// A small SDK written for the test (no profile), with the shapes SDKs commonly have: class resources,
// nested namespaces, an object bag and positional ids, open enums, Date, callbacks, options bags,
// a deprecated alias, a generic helper, a root transport helper, private members.
let out: string;
let canary: string;

function project(): string {
  const dir = tempDir("mxcp-gen-wrap-acme-");
  mkdirSync(join(dir, "node_modules"));
  cpSync(join(REPO_ROOT, "test", "fixtures", "npm", "acme-sdk"), join(dir, "node_modules", "acme-sdk"), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "mxcp-gen"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "acme-tools", private: true, type: "module" }));
  return dir;
}

beforeAll(async () => {
  out = project();
  canary = join(out, "loaded.txt");
  const r = await runCli(["wrap", "acme-sdk", "--include", "*", "--include", "*.*", "--include", "*.*.*"], { cwd: out, env: { ACME_CANARY: canary } });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("acme-sdk@1.2.3: 5 tools in 2 group(s): widgets 4, billing 1");
});

function toolYaml(name: string): any {
  return parse(readFileSync(join(out, "tools", "acme", `${name}.yml`), "utf8"));
}

describe("wrap acme-sdk (a package without a profile)", () => {
  it("never loads the package while generating", () => {
    expect(existsSync(canary)).toBe(false);
  });

  it("finds the operations and skips what is not one, with reasons in the report", () => {
    const lock = JSON.parse(readFileSync(join(out, "mxcp-gen.lock.json"), "utf8"));
    expect(lock.apis.acme.input).toEqual({ package: "acme-sdk", version: "1.2.3" });
    const tools = Object.keys(lock.apis.acme.files).filter((f) => f.startsWith("tools/")).map((f) => f.split("/").pop()!.replace(".yml", ""));
    expect(tools).toEqual(["acme_billing_invoices_list", "acme_widgets_create", "acme_widgets_list", "acme_widgets_retrieve", "acme_widgets_update"]);
    const report = readFileSync(join(out, "mxcp-gen.report.acme.md"), "utf8");
    expect(report).toContain("`widgets.all`: deprecated");
    expect(report).toContain("`widgets.del`: destructive verb (pass --allow-destructive)");
    expect(report).not.toContain("widgets.parse");
    expect(report).toContain("`files.create`: required binary input 'file' (a tool cannot pass binary data)");
    expect(report).toContain("binary-only property left out");
  });

  it("flattens the object bag, keeps positional ids, and maps types by the rules", () => {
    const create = toolYaml("acme_widgets_create").tool;
    const byName = Object.fromEntries(create.parameters.map((p: { name: string }) => [p.name, p]));
    expect(Object.keys(byName)).toEqual(["name", "color", "size", "available_at", "tag_primary", "metadata"]);
    expect(byName.name).toEqual({ name: "name", type: "string", description: "The widget's name." });
    expect(byName.color).toMatchObject({ type: "string", examples: ["red", "green"], default: null });
    expect(byName.color.enum).toBeUndefined();
    expect(byName.size).toMatchObject({ type: "integer" });
    expect(byName.available_at).toMatchObject({ type: "string", format: "date-time" });
    expect(byName.metadata).toMatchObject({ type: "object" });
    expect(create.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    const retrieve = toolYaml("acme_widgets_retrieve").tool;
    expect(retrieve.parameters).toEqual([{ name: "id", type: "string", description: "The id (a string) for widgets.retrieve." }]);
    expect(retrieve.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    expect(toolYaml("acme_widgets_list").tool.parameters.map((p: { name: string; enum?: string[] }) => [p.name, p.enum])).toEqual([
      ["limit", undefined],
      ["status", ["active", "archived"]],
    ]);
  });

  it("writes handlers typed by the SDK that pass tsc --strict", async () => {
    const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    const { stdout } = await run(process.execPath, [tsc, "-p", join(out, "tsconfig.json"), "--noEmit", "--noUnusedLocals"]).catch((e: { stdout: string }) => e);
    expect(stdout).toBe("");
    const handler = readFileSync(join(out, "handlers", "acme", "acme_widgets_create.ts"), "utf8");
    expect(handler).toContain('type Params = NonNullable<Parameters<Method>[0]>;');
    expect(handler).toContain('"tag[primary]": args.tag_primary ?? undefined,');
  });

  it("serves: results as plain JSON, SDK errors as error objects, secrets never echoed", async () => {
    const projectName = (parse(readFileSync(join(out, "mxcp-site.yml"), "utf8")) as { project: string }).project;
    writeFileSync(
      join(out, "user.yml"),
      `mxcp: 1\nprojects:\n  ${projectName}:\n    profiles:\n      default:\n        secrets:\n          - {name: acme, type: api, parameters: {api_key: canary-acme-key}}\n`,
    );
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "serve", "--transport", "stdio"],
      cwd: out,
      env: { PATH: process.env.PATH ?? "", HOME: out, MXCP_CONFIG: join(out, "user.yml"), ACME_CANARY: canary },
      stderr: "pipe",
    });
    const client = new Client({ name: "t", version: "1" });
    await client.connect(transport);
    try {
      const created = (await client.callTool({ name: "acme_widgets_create", arguments: { name: "gear", size: 3, metadata: { a: "b" } } })) as CallToolResult;
      expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
      expect(created.structuredContent).toEqual({ id: "w_1", color: "red", name: "gear", size: 3, metadata: { a: "b" }, created: "1970-01-01T00:00:00.000Z", key_used: 15 });
      const list = await client.callTool({ name: "acme_widgets_list", arguments: { limit: 5 } });
      expect(list.structuredContent).toMatchObject({ data: [{ id: "w_1" }], has_more: false });
      const invoices = await client.callTool({ name: "acme_billing_invoices_list", arguments: { customer: "c1" } });
      expect(invoices.structuredContent).toEqual({ data: [{ id: "in_c1", total: 5 }], has_more: false });
      const missing = (await client.callTool({ name: "acme_widgets_retrieve", arguments: { id: "nope" } })) as CallToolResult;
      expect(missing.isError).toBe(true);
      const err = JSON.parse((missing.content[0] as { text: string }).text);
      expect(err).toEqual({ error: "acme_error", message: "No such widget: nope (key [REDACTED])", type: "AcmeError", status: 404, code: "resource_missing", retryable: false });
    } finally {
      await client.close();
    }
    expect(readFileSync(canary, "utf8")).toBe("loaded");
  });

  it("says how to install the package when it is missing at run time", async () => {
    const dir = project();
    expect((await runCli(["wrap", "acme-sdk"], { cwd: dir })).code).toBe(0);
    rmSync(join(dir, "node_modules", "acme-sdk"), { recursive: true });
    const r = await runCli(["run", "tool", "acme_widgets_list", "--json-output"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "error", error_object: { error: "Library not installed", fix: "npm install acme-sdk" } });
  });

  it("says how to install the package when it is missing at generation, without inviting the typed name", async () => {
    const dir = tempDir();
    const r = await runCli(["wrap", "not-a-real-package-xyz"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Package not-a-real-package-xyz is not installed");
    expect(r.stderr).toContain("npm install and its exact name");
    expect(r.stderr).toContain("--install");
    expect(r.stderr).not.toContain("npm install not-a-real-package-xyz");
  });
});

describe("golden output of wrap", () => {
  it("acme-sdk generates exactly the committed files, and again byte for byte", async () => {
    const { readdirSync, statSync } = await import("node:fs");
    const list = (root: string, dir = root): string[] =>
      readdirSync(dir).flatMap((f) => {
        const full = join(dir, f);
        if (f === "node_modules" || f === "package.json") return [];
        return statSync(full).isDirectory() ? list(root, full) : [full.slice(root.length + 1)];
      });
    const dir = project();
    writeFileSync(join(dir, "mxcp-site.yml"), "mxcp: 1\nproject: golden\nprofile: default\n");
    expect((await runCli(["wrap", "acme-sdk"], { cwd: dir })).code).toBe(0);
    const golden = join(REPO_ROOT, "test", "golden", "acme");
    const produced = list(dir).sort();
    // File snapshots: a normal run always compares; `-u` writes what changed (a file no longer produced must be
    // deleted by hand, which the list check says).
    for (const f of produced) await expect(readFileSync(join(dir, f), "utf8"), f).toMatchFileSnapshot(join(golden, f));
    expect(produced, `files in ${golden} that are no longer produced: delete them`).toEqual(list(golden).sort());
    const again = await runCli(["wrap", "acme-sdk"], { cwd: dir });
    expect(again.stdout).toContain("0 added, 0 changed, 0 deleted");
  });
});
