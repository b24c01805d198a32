// Issue 16 items 3 and 4: a document that declares no security (GitHub's) gets credentials with --auth; a
// credential modelled as an ordinary parameter is filled from the secret with --bind; a secret's `headers:`
// go on every request.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { ProjectHost } from "../../src/server/host.js";
import { redactText } from "../../src/runtime/redact.js";
import { tempDir } from "../helpers.js";

const spec = {
  openapi: "3.0.3",
  info: { title: "Bare", version: "1" },
  servers: [{ url: "https://api.bare.invalid" }],
  paths: {
    "/things": {
      get: {
        operationId: "listThings",
        parameters: [
          { name: "apiKey", in: "query", required: true, schema: { type: "string" } },
          { name: "q", in: "query", schema: { type: "string" } },
        ],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
  },
};

describe("--auth, --bind and a secret's headers", () => {
  let server: Server;
  let base = "";
  const seen: { url: string; headers: Record<string, string | string[] | undefined> }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it("without them: the credential-looking parameter is noted, and the tool asks for it", async () => {
    const root = tempDir("mxcp-gen-bind-none-");
    writeFileSync(join(root, "spec.json"), JSON.stringify(spec));
    await generateOpenApiProject(join(root, "spec.json"), { out: root, name: "bare" });
    expect(readFileSync(join(root, "mxcp-gen.report.bare.md"), "utf8")).toContain("looks like a credential");
    const tool = parse(readFileSync(join(root, "tools/bare/bare_list_things.yml"), "utf8")) as { tool: { parameters: { name: string }[] } };
    expect(tool.tool.parameters.map((p) => p.name)).toContain("apiKey");
  });

  it("with them: the token is sent as a bearer, the bound parameter comes from the secret, headers are added", async () => {
    const root = tempDir("mxcp-gen-bind-");
    writeFileSync(join(root, "spec.json"), JSON.stringify(spec));
    await generateOpenApiProject(join(root, "spec.json"), { out: root, name: "bare", auth: "bearer", bind: ["apiKey=api_key"] });
    const tool = parse(readFileSync(join(root, "tools/bare/bare_list_things.yml"), "utf8")) as { tool: { parameters: { name: string }[] } };
    expect(tool.tool.parameters.map((p) => p.name)).toEqual(["q"]);
    const lock = JSON.parse(readFileSync(join(root, "mxcp-gen.lock.json"), "utf8")) as { apis: { bare: { options: Record<string, unknown> } } };
    expect(lock.apis.bare.options).toMatchObject({ auth: "bearer", bind: ["apiKey=api_key"] });
    const sample = readFileSync(join(root, "config.bare.sample.yml"), "utf8");
    expect(sample).toContain("token: ${BARE_TOKEN}");
    expect(sample).toContain("api_key: ${BARE_API_KEY}");
    expect(readFileSync(join(root, "handlers/bare/client.ts"), "utf8") + readFileSync(join(root, "handlers/bare/bare_list_things.ts"), "utf8")).toContain('secret: "api_key"');

    const project = root.split("/").pop()!.replace(/[^A-Za-z0-9_-]/g, "_");
    writeFileSync(
      join(root, "user.yml"),
      `mxcp: 1\nprojects:\n  ${project}:\n    profiles:\n      default:\n        secrets:\n          - name: bare\n            type: api\n            parameters:\n              base_url: "${base}"\n              token: tok-canary-1234\n              api_key: key-canary-5678\n              headers: {X-Tenant: tenant-canary-9012}\n`,
    );
    const host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: () => {} });
    await host.start();
    try {
      const r = await host.callTool("bare_list_things", { q: "x" });
      expect(r.status, JSON.stringify(r)).toBe("ok");
      const req = seen.at(-1)!;
      expect(req.url).toBe("/things?apiKey=key-canary-5678&q=x");
      expect(req.headers.authorization).toBe("Bearer tok-canary-1234");
      expect(req.headers["x-tenant"]).toBe("tenant-canary-9012");
      // The headers are part of the secret: redacted wherever text leaves.
      expect(redactText("sent tenant-canary-9012 and key-canary-5678")).not.toMatch(/canary/);
    } finally {
      await host.shutdown();
    }
  });
});
