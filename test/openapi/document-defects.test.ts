// Issue 13: defects real documents have, each in a small document made here: a deepObject array, a 3.1
// enum spelled as a union of consts, an example that breaks its own format, a required name with no property
// schema. The generated project compiles, and calls with every argument filled reach a local server as the
// API expects them.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { ProjectHost } from "../../src/server/host.js";
import { REPO_ROOT, tempDir } from "../helpers.js";
import { writeUserConfig } from "../serve/servers.js";

const run = promisify(execFile);

const spec = {
  openapi: "3.1.0",
  info: { title: "Defects", version: "1" },
  servers: [{ url: "https://api.example.com" }],
  paths: {
    "/items": {
      get: {
        operationId: "listItems",
        parameters: [
          { name: "expand", in: "query", style: "deepObject", explode: true, schema: { type: "array", items: { type: "string" } } },
          { name: "kind", in: "query", required: true, schema: { oneOf: [{ const: "users", title: "People" }, { const: "roles", title: "Roles" }] } },
          { name: "since", in: "query", required: true, schema: { type: "string", format: "date" }, example: "2025-10-15T13:51:00.923Z" },
          { name: "types", in: "query", schema: { type: "array", items: { type: "string", enum: ["album", "track"] } } },
          // Not a style OpenAPI defines: taken as the location's default, not written into the handler as one.
          { name: "ids", in: "query", style: "commaDelimited", schema: { type: "array", items: { type: "string" } } },
        ],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
    // Box tells operations on one path apart by a fragment; other documents by a fixed query.
    "/files/{file_id}#get_shared_link": {
      get: {
        operationId: "getSharedLink",
        parameters: [
          { name: "file_id", in: "path", required: true, schema: { type: "string" } },
          { name: "fields", in: "query", required: true, schema: { type: "string" } },
        ],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
    "/search?kind=files": {
      get: {
        operationId: "searchFiles",
        parameters: [{ name: "q", in: "query", schema: { type: "string" } }],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
    "/things": {
      post: {
        operationId: "createThing",
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["project", "name"], properties: { name: { type: "string" } } } } } },
        responses: { "201": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } } },
      },
    },
  },
  components: {
    schemas: {
      // allOf over a nullable object with `required`: openapi-typescript writes WithRequired<Base | null, "id">,
      // which does not compile (TS2344).
      Base: { type: ["object", "null"], properties: { id: { type: "string" } } },
      Thing: { allOf: [{ $ref: "#/components/schemas/Base" }], required: ["id"] },
    },
  },
};

describe("document defects, each in a document of our own", () => {
  let server: Server;
  let root = "";
  let host: ProjectHost;
  const seen: { url: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d));
      req.on("end", () => {
        seen.push({ url: req.url!, body });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    root = tempDir("mxcp-gen-defects-");
    writeFileSync(join(root, "spec.json"), JSON.stringify(spec));
    await generateOpenApiProject(join(root, "spec.json"), { out: root, name: "defects" });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeUserConfig(root, "defects", { base_url: base });
    host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: () => {} });
    await host.start();
  }, 60_000);
  afterAll(async () => {
    await host?.shutdown();
    server.close();
  });

  it("compiles under tsc --strict", async () => {
    mkdirSync(join(root, "node_modules"));
    symlinkSync(REPO_ROOT, join(root, "node_modules", "mxcp-gen"));
    const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    const { stdout } = await run(process.execPath, [tsc, "-p", join(root, "tsconfig.json"), "--noEmit", "--noUnusedLocals"]).catch((e: { stdout: string }) => e);
    expect(stdout).toBe("");
  }, 120_000);

  it("shows the model only values that validate, and says what it changed", () => {
    const tool = parse(readFileSync(join(root, "tools/defects/defects_list_items.yml"), "utf8")) as { tool: { parameters: Record<string, unknown>[]; tests?: { arguments: { key: string; value: unknown }[] }[] } };
    const byName = Object.fromEntries(tool.tool.parameters.map((p) => [p.name, p]));
    expect(byName.kind).toMatchObject({ type: "string", enum: ["users", "roles"], description: expect.stringContaining("users (People); roles (Roles)") });
    expect(byName.since).toMatchObject({ format: "date", examples: ["2025-10-15"] });
    expect(tool.tool.tests?.[0]?.arguments).toContainEqual({ key: "since", value: "2025-10-15" });
    const report = readFileSync(join(root, "mxcp-gen.report.defects.md"), "utf8");
    expect(report).toContain("cut to its date");
    expect(report).toContain("'project' is required but has no property schema");
    expect(report).toContain("'commaDelimited' is not a parameter style; the default for a query parameter is used");
    expect(report).toContain("openapi-typescript's types for components.schemas.Thing did not compile");
    expect(readFileSync(join(root, "handlers/defects/types.ts"), "utf8")).toMatch(/Thing: any \/\* degraded by mxcp-gen/);
  });

  it("sends a deepObject array as indexed brackets, and the undeclared required name in the body", async () => {
    const listed = await host.callTool("defects_list_items", { expand: ["data.source", "customer"], kind: "roles", since: "2025-10-15", types: ["album"], ids: ["a", "b"] });
    expect(listed.status, JSON.stringify(listed)).toBe("ok");
    const url = decodeURIComponent(seen.at(-1)!.url);
    expect(url).toContain("ids=a&ids=b");
    expect(url).toContain("expand[0]=data.source&expand[1]=customer");
    expect(url).toContain("kind=roles");
    const created = await host.callTool("defects_create_thing", { project: "p1", name: "n" });
    expect(created.status, JSON.stringify(created)).toBe("ok");
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ project: "p1", name: "n" });
  });

  it("keeps a path key's fragment off the wire, and sends its fixed query first", async () => {
    const shared = await host.callTool("defects_get_shared_link", { file_id: "f 1", fields: "shared_link" });
    expect(shared.status, JSON.stringify(shared)).toBe("ok");
    expect(seen.at(-1)!.url).toBe("/files/f%201?fields=shared_link");
    const found = await host.callTool("defects_search_files", { q: "report" });
    expect(found.status, JSON.stringify(found)).toBe("ok");
    expect(seen.at(-1)!.url).toBe("/search?kind=files&q=report");
  });

  it("refuses a value outside an enum at any depth, naming the place", async () => {
    const bad = await host.callTool("defects_list_items", { kind: "groups", since: "2025-10-15" });
    expect(bad).toMatchObject({ status: "error", message: expect.stringContaining("Must be one of: ['users', 'roles']") });
    const nested = await host.callTool("defects_list_items", { kind: "users", since: "2025-10-15", types: ["albums"] });
    expect(nested).toMatchObject({ status: "error", message: "Error validating parameter 'types[0]': Must be one of: ['album', 'track']" });
    const missing = await host.callTool("defects_create_thing", { name: "n" });
    expect(missing).toMatchObject({ status: "error", message: expect.stringContaining("project") });
  });
});
