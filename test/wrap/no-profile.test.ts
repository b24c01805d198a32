// Issue 13 items 9, 10 and 12: a package without a profile, no default export, a constructor taking one
// options object, and a main verb that is neither a read nor create/update (`chat.complete`). `wrap` with no
// flags finds the client, builds it from the secret, includes the operation, and the call reaches a local
// server with the secret's key.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers.js";
import { stdioClient, writeUserConfig } from "../serve/servers.js";
import { fixtureProject } from "./sdk-project.js";

const run = promisify(execFile);

const project = fixtureProject;

describe("wrap a package without a profile or a default export", () => {
  it("finds the client, builds it from an options object, includes every non-destructive verb, and calls it", async () => {
    const seen: { url: string; auth: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d));
      req.on("end", () => {
        seen.push({ url: req.url!, auth: req.headers.authorization ?? "", body });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "c1", text: "hello" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const dir = project("nodefault-sdk");
    try {
      const gen = await runCli(["wrap", "nodefault-sdk"], { cwd: dir });
      expect(gen.code, gen.stderr).toBe(0);
      expect(gen.stderr).toContain("client: the export NoDefault (also possible: HTTPClient, Chat, Models; pick one with --client)");
      expect(gen.stdout).toContain("2 tools");
      const report = readFileSync(join(dir, "mxcp-gen.report.nodefault.md"), "utf8");
      expect(report).toContain("using the export NoDefault");
      expect(report).toContain("the client is created from the secret: api_key → NoDefault(options).apiKey, base_url → NoDefault(options).serverURL");
      expect(readFileSync(join(dir, "config.nodefault.sample.yml"), "utf8")).toContain("API key (passed as NoDefault(options).apiKey)");
      const complete = parse(readFileSync(join(dir, "tools/nodefault/nodefault_chat_complete.yml"), "utf8")) as { tool: { annotations: Record<string, unknown> } };
      expect(complete.tool.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });

      const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
      const { stdout } = await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--noEmit", "--noUnusedLocals"]).catch((e: { stdout: string }) => e);
      expect(stdout).toBe("");

      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      writeUserConfig(dir, "nodefault", { api_key: "sk-np-canary", base_url: base });
      const { client } = await stdioClient(dir);
      try {
        const r = (await client.callTool({ name: "nodefault_chat_complete", arguments: { model: "m1", messages: [{ role: "user", content: "hi" }] } })) as CallToolResult;
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
        expect(r.structuredContent).toEqual({ id: "c1", text: "hello" });
        expect(seen[0]).toMatchObject({ url: "/chat/completions", auth: "Bearer sk-np-canary" });
        expect(JSON.parse(seen[0]!.body)).toEqual({ model: "m1", messages: [{ role: "user", content: "hi" }] });
      } finally {
        await client.close();
      }
    } finally {
      server.close();
    }
  }, 120_000);

  it("without any client class, the error lists the exports it looked at and suggests --client", async () => {
    const dir = project("nodefault-sdk");
    const pkgDir = join(dir, "node_modules", "nodefault-sdk");
    writeFileSync(join(pkgDir, "index.d.ts"), "export declare function version(): string;\nexport declare const answer: number;\n");
    const gen = await runCli(["wrap", "nodefault-sdk"], { cwd: dir });
    expect(gen.code).toBe(1);
    expect(gen.stderr).toContain("no export is a client class whose instances have async methods (looked at: answer, version)");
    expect(gen.stderr).toContain("--client");
    expect(gen.stderr).not.toContain("undefined");
  });
});

describe("wrap follows accessor chains (Twilio's client.api.v2010.accounts(sid).messages.create)", () => {
  it("makes the accessor's arguments tool parameters, compiles, and calls through the chain", async () => {
    const seen: { method: string; url: string; auth: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d));
      req.on("end", () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization ?? "", body });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sid: "SM1", to: "+1555", body: "hi", accountSid: "AC9" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const dir = project("chain-sdk");
    try {
      const gen = await runCli(["wrap", "chain-sdk"], { cwd: dir });
      expect(gen.code, gen.stderr).toBe(0);
      const tool = parse(readFileSync(join(dir, "tools/chain/chain_api_v2010_accounts_messages_create.yml"), "utf8")) as { tool: { parameters: { name: string }[] } };
      expect(tool.tool.parameters.map((p) => p.name)).toEqual(["sid", "to", "body"]);
      expect(readFileSync(join(dir, "handlers/chain/chain_api_v2010_accounts_messages_create.ts"), "utf8")).toContain("client.api.v2010.accounts(args.sid).messages.create(params)");

      const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
      const { stdout } = await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--noEmit", "--noUnusedLocals"]).catch((e: { stdout: string }) => e);
      expect(stdout).toBe("");

      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      writeUserConfig(dir, "chain", { constructor_args: JSON.stringify(["AC-key", { baseUrl: base }]) });
      const { client } = await stdioClient(dir);
      try {
        const r = (await client.callTool({ name: "chain_api_v2010_accounts_messages_create", arguments: { sid: "AC9", to: "+1555", body: "hi" } })) as CallToolResult;
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
        expect(seen[0]).toMatchObject({ method: "POST", url: "/2010-04-01/Accounts/AC9/Messages.json", auth: `Basic ${Buffer.from("AC-key:").toString("base64")}` });
        expect(JSON.parse(seen[0]!.body)).toEqual({ to: "+1555", body: "hi" });
        const listed = (await client.callTool({ name: "chain_api_v2010_accounts_list", arguments: {} })) as CallToolResult;
        expect(listed.isError, JSON.stringify(listed.content)).toBeFalsy();
        expect(seen[1]).toMatchObject({ method: "GET", url: "/2010-04-01/Accounts.json" });
      } finally {
        await client.close();
      }
    } finally {
      server.close();
    }
  }, 120_000);
});
