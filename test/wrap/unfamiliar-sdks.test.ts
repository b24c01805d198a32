// Issue 22: SDKs shaped unlike the ones first studied. Each trait in a fixture package of our own: wrap with no
// flags, the project compiles under tsc --strict, and the main call reaches a local server with the secret.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { uncompiledHandlers } from "../../src/emit/handlers-check.js";
import { runCli } from "../helpers.js";
import { stdioClient, writeUserConfig } from "../serve/servers.js";
import { fixtureProject as project, recordingServer, typeCheckOutput as compiles } from "./sdk-project.js";

describe("a client made by a factory function (items 1-4)", () => {
  it("is found and called with an options object from the secret; internal exports, config plumbing and half-deprecated methods are handled", async () => {
    const server = await recordingServer(() => ({ id: "u1", name: "Ada" }));
    const { seen } = server;
    const dir = project("factory-sdk");
    try {
      const gen = await runCli(["wrap", "factory-sdk"], { cwd: dir });
      expect(gen.code, gen.stderr).toBe(0);
      const report = readFileSync(join(dir, "mxcp-gen.report.factory.md"), "utf8");
      expect(report).toContain("using the export createFactoryClient (a function that returns the client");
      expect(report).not.toContain("__Client");
      expect(report).toContain("the client is created from the secret: api_key → createFactoryClient(options).secretKey, base_url → createFactoryClient(options).baseUrl");
      const lock = JSON.parse(readFileSync(join(dir, "mxcp-gen.lock.json"), "utf8")) as { apis: Record<string, { files: Record<string, string> }> };
      const tools = Object.keys(lock.apis.factory!.files).filter((f) => f.startsWith("tools/")).map((f) => f.split("/").pop()!.replace(/\.yml$/, "")).sort();
      // The current overload of upsert is kept; the config object's functions are not tools.
      expect(tools).toEqual(["factory_users_get", "factory_users_list", "factory_users_upsert"]);
      expect(report).toMatch(/config.*(plumbing|configuration)/);
      expect(await compiles(dir)).toBe("");

      writeUserConfig(dir, "factory", { api_key: "sk-factory-canary", base_url: server.base });
      const { client } = await stdioClient(dir);
      try {
        const r = (await client.callTool({ name: "factory_users_get", arguments: { id: "u1" } })) as CallToolResult;
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
        expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/users/u1", auth: "Bearer sk-factory-canary" });
        const u = (await client.callTool({ name: "factory_users_upsert", arguments: { id: "u2", name: "Grace" } })) as CallToolResult;
        expect(u.isError, JSON.stringify(u.content)).toBeFalsy();
        expect(seen.at(-1)).toMatchObject({ method: "PUT", url: "/users/u2" });
        expect(JSON.parse(seen.at(-1)!.body)).toEqual({ id: "u2", name: "Grace" });
      } finally {
        await client.close();
      }
    } finally {
      server.close();
    }
  }, 120_000);

  it("--client accepts a factory function by name", async () => {
    const dir = project("factory-sdk");
    const gen = await runCli(["wrap", "factory-sdk", "--client", "createFactoryClient"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).not.toMatch(/does not satisfy the constraint/);
    expect(await compiles(dir)).toBe("");
  }, 120_000);
});

describe("a cloud SDK: aggregated client over low-level, command classes, credentials from the secret (items 2, 6, 7)", () => {
  const credentials = { region: "eu-test-1", access_key_id: "AKIDCANARY", secret_access_key: "secret-canary-value" };

  it("picks the aggregated client, leaves send and the config out, and builds it from region, endpoint and credentials", async () => {
    const server = await recordingServer(() => ({ name: "db-password", version: 2 }));
    const dir = project("vault-sdk");
    try {
      const gen = await runCli(["wrap", "vault-sdk"], { cwd: dir });
      expect(gen.code, gen.stderr).toBe(0);
      expect(gen.stderr).toContain("client: the export Vault (also possible: VaultClient");
      const lock = JSON.parse(readFileSync(join(dir, "mxcp-gen.lock.json"), "utf8")) as { apis: Record<string, { files: Record<string, string> }> };
      const tools = Object.keys(lock.apis.vault!.files).filter((f) => f.startsWith("tools/")).map((f) => f.split("/").pop()!.replace(/\.yml$/, "")).sort();
      expect(tools).toEqual(["vault_list_secrets", "vault_put_secret"]);
      const report = readFileSync(join(dir, "mxcp-gen.report.vault.md"), "utf8");
      expect(report).toMatch(/`config`: the client's configuration/);
      expect(report).toMatch(/`middlewareStack`: the client's configuration/);
      // The sample config and `secrets check` name exactly what the constructor takes.
      const sample = parse(readFileSync(join(dir, "config.vault.sample.yml"), "utf8")) as { projects: Record<string, { profiles: { default: { secrets: { parameters: Record<string, string> }[] } } }> };
      const parameters = Object.values(sample.projects)[0]!.profiles.default.secrets[0]!.parameters;
      expect(Object.keys(parameters).sort()).toEqual(["access_key_id", "region", "secret_access_key", "session_token"]);
      expect(report).toContain("secret_access_key → Vault(config).credentials.secretAccessKey");
      expect(await compiles(dir)).toBe("");

      writeUserConfig(dir, "vault", { ...credentials, base_url: server.base });
      const check = await runCli(["secrets", "check"], { cwd: dir, env: { MXCP_CONFIG: join(dir, "user.yml") } });
      expect(check.code, check.stderr).toBe(0);
      expect(check.stdout).toContain("✓ secret_access_key");
      const { client } = await stdioClient(dir);
      try {
        const r = (await client.callTool({ name: "vault_put_secret", arguments: { name: "db-password", value: "hunter2" } })) as CallToolResult;
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
        expect(r.structuredContent).toEqual({ name: "db-password", version: 2 });
        expect(server.seen.at(-1)).toMatchObject({ method: "PUT", url: "/secrets", auth: "VAULT4 Credential=AKIDCANARY/eu-test-1, Signature=19" });
        expect(server.seen.at(-1)!.headers["x-vault-secret"]).toBe("secret-canary-value");
      } finally {
        await client.close();
      }
    } finally {
      server.close();
    }
  }, 120_000);

  it("a client that only sends commands gets one tool per exported command class, typed by the command's input", async () => {
    const server = await recordingServer(() => ({ secrets: [{ name: "a1", version: 1 }] }));
    const dir = project("vault-sdk");
    try {
      const gen = await runCli(["wrap", "vault-sdk", "--client", "VaultClient", "--allow-destructive"], { cwd: dir });
      expect(gen.code, gen.stderr).toBe(0);
      expect(existsSync(join(dir, "tools/vault/vault_send.yml"))).toBe(false);
      for (const t of ["vault_delete_secret", "vault_list_secrets", "vault_put_secret"]) expect(existsSync(join(dir, `tools/vault/${t}.yml`)), t).toBe(true);
      const list = parse(readFileSync(join(dir, "tools/vault/vault_list_secrets.yml"), "utf8")) as { tool: { description: string; annotations: Record<string, unknown>; parameters: { name: string; type: string; description: string }[] } };
      expect(list.tool.description).toContain("Lists the secrets in the vault.");
      expect(list.tool.annotations).toMatchObject({ readOnlyHint: true });
      expect(list.tool.parameters.map((p) => [p.name, p.type])).toEqual([["prefix", "string"], ["maxResults", "number"]]);
      const del = parse(readFileSync(join(dir, "tools/vault/vault_delete_secret.yml"), "utf8")) as { tool: { annotations: Record<string, unknown> } };
      expect(del.tool.annotations).toMatchObject({ destructiveHint: true });
      expect(readFileSync(join(dir, "handlers/vault/vault_list_secrets.ts"), "utf8")).toContain("client.send(new Command(params))");
      expect(await compiles(dir)).toBe("");

      // Without the secret half of the credentials, the tool names what to set instead of calling anything.
      writeUserConfig(dir, "vault", { region: "eu-test-1", access_key_id: "AKIDCANARY", base_url: server.base });
      const check = await runCli(["secrets", "check"], { cwd: dir, env: { MXCP_CONFIG: join(dir, "user.yml") } });
      expect(check.code).toBe(1);
      expect(check.stdout).toContain("✗ vault: incomplete");
      expect(check.stdout).toContain("✗ secret_access_key (not set; the client cannot be created without it)");
      expect(check.stdout).toContain("· session_token (not set; only needed if your account uses it)");
      let session = await stdioClient(dir);
      try {
        const r = (await session.client.callTool({ name: "vault_list_secrets", arguments: {} })) as CallToolResult;
        expect(r.isError).toBe(true);
        expect(JSON.stringify(r.content)).toContain("has no secret_access_key");
        expect(server.seen).toHaveLength(0);
      } finally {
        await session.client.close();
      }
      writeUserConfig(dir, "vault", { ...credentials, base_url: server.base });
      session = await stdioClient(dir);
      try {
        const r = (await session.client.callTool({ name: "vault_list_secrets", arguments: { prefix: "a", maxResults: 5 } })) as CallToolResult;
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
        expect(r.structuredContent).toEqual({ secrets: [{ name: "a1", version: 1 }] });
        expect(server.seen.at(-1)).toMatchObject({ method: "GET", url: "/secrets?prefix=a&maxResults=5", auth: "VAULT4 Credential=AKIDCANARY/eu-test-1, Signature=19" });
      } finally {
        await session.client.close();
      }
    } finally {
      server.close();
    }
  }, 120_000);
});

describe("a positional key and a bare host (items 6, 8)", () => {
  it("new ServerClient(serverToken, { requestHost, useHttps }) is built from api_key and base_url, and the main call reaches a local server", async () => {
    const server = await recordingServer(() => ({ MessageID: "m-1", SubmittedAt: "2026-12-05T00:00:00Z" }));
    const dir = project("mail-sdk");
    try {
      const gen = await runCli(["wrap", "mail-sdk"], { cwd: dir });
      expect(gen.code, gen.stderr).toBe(0);
      const clientTs = readFileSync(join(dir, "handlers/mail/client.ts"), "utf8");
      expect(clientTs).toContain("new Ctor(apiKey, compact({ requestHost: hostOf(baseUrl), useHttps: usesHttps(baseUrl) }))");
      const report = readFileSync(join(dir, "mxcp-gen.report.mail.md"), "utf8");
      expect(report).toContain("`api_key`: The server's API token (passed as ServerClient(serverToken))");
      expect(await compiles(dir)).toBe("");

      writeUserConfig(dir, "mail", { api_key: "mail-token-canary", base_url: server.base });
      const { client } = await stdioClient(dir);
      try {
        const r = (await client.callTool({ name: "mail_send_email", arguments: { From: "a@example.com", To: "b@example.com", Subject: "Hi" } })) as CallToolResult;
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
        expect(r.structuredContent).toEqual({ MessageID: "m-1", SubmittedAt: "2026-12-05T00:00:00Z" });
        const sent = server.seen.at(-1)!;
        expect(sent).toMatchObject({ method: "POST", url: "/email" });
        expect(sent.headers["x-server-token"]).toBe("mail-token-canary");
        expect(JSON.parse(sent.body)).toEqual({ From: "a@example.com", To: "b@example.com", Subject: "Hi" });
      } finally {
        await client.close();
      }
    } finally {
      server.close();
    }
  }, 120_000);
});

describe("a builder API (item 5) and a deprecated key option (item 6)", () => {
  it("says the main API is a builder chain wrap does not cover, names what it wrapped, and builds the client with the current key option", async () => {
    const server = await recordingServer(() => ({ total: 3 }));
    const dir = project("table-sdk");
    try {
      const gen = await runCli(["wrap", "table-sdk"], { cwd: dir });
      expect(gen.code, gen.stderr).toBe(0);
      const warning =
        "table-sdk's from(…) starts a builder chain (from(…).select(…).eq(…)…, awaited at its end; select, delete then eq, neq, gt, order, limit): wrap does not turn the chain's steps into tool parameters; table_from_select runs the chain's first call without them. The other tools wrap the SDK's other calls (rpc)";
      expect(gen.stderr).toContain(warning);
      const report = readFileSync(join(dir, "mxcp-gen.report.table.md"), "utf8");
      expect(report).toContain(warning);
      // The deprecated apiKey option is not offered; the current accessToken takes the key.
      expect(readFileSync(join(dir, "handlers/table/client.ts"), "utf8")).toContain("await Ctor(compact({ url: baseUrl, accessToken: apiKey }))");
      // The client cannot work without its URL: the sample asks for it, as a required parameter.
      const sample = readFileSync(join(dir, "config.table.sample.yml"), "utf8");
      expect(sample).toContain("#   base_url: required; Where the database's API is");
      expect(sample).toContain("base_url: ${TABLE_BASE_URL}");
      expect(sample).not.toContain("apiKey");
      expect(await compiles(dir)).toBe("");

      writeUserConfig(dir, "table", { api_key: "table-token-canary", base_url: server.base });
      const { client } = await stdioClient(dir);
      try {
        const r = (await client.callTool({ name: "table_rpc", arguments: { fn: "count_rows", args: { table: "t" } } })) as CallToolResult;
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
        expect(r.structuredContent).toEqual({ total: 3 }); // a {data, error} result is its data
        expect(server.seen.at(-1)).toMatchObject({ method: "POST", url: "/rpc/count_rows", auth: "Bearer table-token-canary" });
        // The chain's first call is a tool of its own: a generic accessor (`from<Row>(table)`) called at its constraint.
        const rows = (await client.callTool({ name: "table_from_select", arguments: { table: "films", columns: "id,title" } })) as CallToolResult;
        expect(rows.isError, JSON.stringify(rows.content)).toBeFalsy();
        expect(server.seen.at(-1)).toMatchObject({ method: "GET", url: "/rest/films?select=id%2Ctitle", auth: "Bearer table-token-canary" });
      } finally {
        await client.close();
      }
    } finally {
      server.close();
    }
  }, 120_000);
});

describe("small things found on the way (items 15, 17)", () => {
  it("a scoped package's profile at wrap-profiles/@scope/name.json is used, and the progress line names it", async () => {
    const dir = project("factory-sdk");
    cpSync(join(dir, "node_modules", "factory-sdk"), join(dir, "node_modules", "@vendor", "factory-sdk"), { recursive: true });
    const pkgJson = join(dir, "node_modules", "@vendor", "factory-sdk", "package.json");
    writeFileSync(pkgJson, readFileSync(pkgJson, "utf8").replace('"name": "factory-sdk"', '"name": "@vendor/factory-sdk"'));
    mkdirSync(join(dir, "wrap-profiles", "@vendor"), { recursive: true });
    writeFileSync(join(dir, "wrap-profiles", "@vendor", "factory-sdk.json"), JSON.stringify({ package: "@vendor/factory-sdk", prefix: "vend", client: "createFactoryClient", construct: "options", keyOption: "secretKey" }));
    const gen = await runCli(["wrap", "@vendor/factory-sdk"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toContain(join("wrap-profiles", "@vendor", "factory-sdk.json"));
    expect(readFileSync(join(dir, "tools", "vend", "vend_users_get.yml"), "utf8")).toContain("vend_users_get");
  }, 120_000);

  it("--prefix names the tools and the secret, and regenerating under another prefix replaces the old set (item 16)", async () => {
    const dir = project("factory-sdk");
    expect((await runCli(["wrap", "factory-sdk"], { cwd: dir })).code).toBe(0);
    expect(existsSync(join(dir, "tools", "factory", "factory_users_get.yml"))).toBe(true);
    const gen = await runCli(["wrap", "factory-sdk", "--prefix", "people"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect(existsSync(join(dir, "tools", "people", "people_users_get.yml"))).toBe(true);
    expect(readFileSync(join(dir, "config.people.sample.yml"), "utf8")).toContain("name: people");
    expect(existsSync(join(dir, "tools", "factory"))).toBe(false);
    expect(existsSync(join(dir, "handlers", "factory"))).toBe(false);
    expect(Object.keys((JSON.parse(readFileSync(join(dir, "mxcp-gen.lock.json"), "utf8")) as { apis: object }).apis)).toEqual(["people"]);
  }, 60_000);

  it("a mistyped package name suggests the installed package it is close to, never installing the typed name", async () => {
    const dir = project("factory-sdk");
    const typo = await runCli(["wrap", "factroy-sdk"], { cwd: dir });
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain("factory-sdk is: did you mean `mxcp-gen wrap factory-sdk`?");
    expect(typo.stderr).not.toContain("npm install factroy-sdk");
    const unknown = await runCli(["wrap", "zzqv-unknown"], { cwd: dir });
    expect(unknown.stderr).not.toContain("npm install zzqv-unknown");
    expect(unknown.stderr).toMatch(/a misspelt name can be someone else's package/);
  }, 60_000);
});

describe("parameters and types (items 9-11)", () => {
  it("the type check finds a handler that would not compile, against the installed package's own types", () => {
    const dir = project("awkward-sdk");
    const client = `import type __Client from "awkward-sdk";\nexport type Client = InstanceType<typeof __Client>;\nexport declare function getClient(): Client;\n`;
    const files = new Map([
      ["package.json", JSON.stringify({ type: "module" })],
      ["handlers/a/client.ts", client],
      ["handlers/a/good.ts", `import { getClient } from "./client.js";\nimport { toPlain } from "mxcp-gen/runtime";\nexport async function good() { return toPlain(await getClient().run("m", { input: {} })); }\n`],
      ["handlers/a/bad.ts", `import { getClient } from "./client.js";\nexport async function bad() { return getClient().run("m"); }\n`],
    ]);
    const broken = uncompiledHandlers(dir, files, "handlers/a", [join(dir, "node_modules", "awkward-sdk")]);
    expect([...broken.keys()]).toEqual(["handlers/a/bad.ts"]);
    expect(broken.get("handlers/a/bad.ts")).toMatch(/^TS2554: Expected 2 arguments, but got 1/);
  });

  it("validate and check report a handler that no longer compiles after the SDK's types change (an npm update)", async () => {
    const dir = project("mail-sdk");
    const gen = await runCli(["wrap", "mail-sdk"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    const before = await runCli(["validate"], { cwd: dir });
    expect(before.stdout).not.toContain("✗");
    // The SDK's next version renames a message field: the generated handler's `From` no longer fits.
    const types = join(dir, "node_modules", "mail-sdk", "index.d.ts");
    writeFileSync(types, readFileSync(types, "utf8").replace("  From: string;", "  Sender: string;"));
    const validate = await runCli(["validate"], { cwd: dir });
    expect(validate.stdout).toMatch(/✗ handlers\/mail\/mail_send_email\.ts\n {4}does not type-check against mail-sdk as installed \(TS\d+: .*From/);
    expect(validate.stdout).not.toContain("✗ handlers/mail/mail_get_outbound_messages.ts");
    const check = await runCli(["check"], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("✗ handlers/mail/mail_send_email.ts: does not type-check against mail-sdk as installed");
  }, 120_000);

  it("a required options object is kept, a needed callback leaves its method out, an array-or-object union takes the array, and a parameter no JSON value can fill leaves its method out", async () => {
    const server = await recordingServer((r) => (r.url.includes("search") ? { ids: ["p1"] } : { output: "done" }));
    const { seen } = server;
    const dir = project("awkward-sdk");
    try {
      const gen = await runCli(["wrap", "awkward-sdk"], { cwd: dir });
      expect(gen.code, gen.stderr).toBe(0);
      const report = readFileSync(join(dir, "mxcp-gen.report.awkward.md"), "utf8");
      expect(report).toContain("`watch`: it needs the function argument 'onEvent', which no tool argument can carry");
      expect(report).toContain("`tag`: required parameter 'key' has a type MXCP cannot express");
      expect(existsSync(join(dir, "handlers", "awkward", "awkward_tag.ts"))).toBe(false);
      expect(existsSync(join(dir, "tools", "awkward", "awkward_tag.yml"))).toBe(false);
      expect(await compiles(dir)).toBe("");

      writeUserConfig(dir, "awkward", { api_key: "tok-awk-canary", base_url: server.base });
      const { client } = await stdioClient(dir);
      try {
        const r = (await client.callTool({ name: "awkward_run", arguments: { model: "m1", input: { prompt: "hi" } } })) as CallToolResult;
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
        expect(seen.at(-1)).toMatchObject({ url: "/models/m1/run", auth: "Token tok-awk-canary" });
        expect(JSON.parse(seen.at(-1)!.body)).toEqual({ input: { prompt: "hi" } });
        const s = (await client.callTool({ name: "awkward_search", arguments: { vector: [0.1, 0.2] } })) as CallToolResult;
        expect(s.isError, JSON.stringify(s.content)).toBeFalsy();
        expect(JSON.parse(seen.at(-1)!.body)).toEqual({ vector: [0.1, 0.2] });
      } finally {
        await client.close();
      }
    } finally {
      server.close();
    }
  }, 120_000);
});

describe("a package written in JavaScript (item 18)", () => {
  function untyped(): string {
    const dir = project("factory-sdk");
    const js = join(dir, "node_modules", "untyped-sdk");
    cpSync(join(dir, "node_modules", "factory-sdk"), js, { recursive: true });
    const types = readFileSync(join(js, "index.d.ts"), "utf8");
    writeFileSync(join(js, "package.json"), JSON.stringify({ name: "untyped-sdk", version: "2.0.0", type: "module", main: "index.js", exports: { ".": "./index.js" } }));
    writeFileSync(join(js, "index.d.ts"), "");
    rmSync(join(js, "index.d.ts"));
    return `${dir}\n${types}`;
  }

  it("reads its types from @types/<name> when they are installed", async () => {
    const [dir, types] = untyped().split(/\n([^]*)/) as [string, string];
    mkdirSync(join(dir, "node_modules", "@types", "untyped-sdk"), { recursive: true });
    writeFileSync(join(dir, "node_modules", "@types", "untyped-sdk", "package.json"), JSON.stringify({ name: "@types/untyped-sdk", version: "2.0.0", types: "index.d.ts" }));
    writeFileSync(join(dir, "node_modules", "@types", "untyped-sdk", "index.d.ts"), types);
    const gen = await runCli(["wrap", "untyped-sdk"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect(existsSync(join(dir, "tools", "untyped", "untyped_users_get.yml"))).toBe(true);
    expect(await compiles(dir)).toBe("");
  }, 120_000);

  it("says where its types usually are when they are not installed", async () => {
    const [dir] = untyped().split(/\n([^]*)/) as [string, string];
    const gen = await runCli(["wrap", "untyped-sdk"], { cwd: dir });
    expect(gen.code).not.toBe(0);
    expect(gen.stderr).toContain("untyped-sdk ships no type definitions, and @types/untyped-sdk is not installed");
  }, 60_000);
});
