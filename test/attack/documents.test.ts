// Issue 21 items 8, 9, 10 and 19: what a hostile or unusual OpenAPI document can make the generator do.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateOpenApiModel } from "../../generators/openapi/index.js";
import { parseYamlText } from "../../src/project/yaml-file.js";
import { writeProject } from "../helpers.js";

describe("item 19: path- and operation-level servers on special addresses are warned about", () => {
  it("a path's and an operation's metadata or link-local server get a warning naming their pointer", async () => {
    const root = writeProject({
      "api.yaml": `openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /a:
    servers: [{url: 'http://169.254.169.254/latest'}]
    get:
      operationId: getA
      responses: {'200': {description: ok}}
  /b:
    get:
      operationId: getB
      servers: [{url: 'http://{h}/x', variables: {h: {default: 'api.example.com', enum: ['api.example.com', '169.254.10.10']}}}, {url: 'http://[::ffff:a9fe:a9fe]/'}]
      responses: {'200': {description: ok}}
`,
    });
    const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "s" });
    const w = r.warnings.map((x) => `${x.pointer} ${x.message}`);
    expect(w.find((x) => x.startsWith("/paths/~1a/servers/0 "))).toMatch(/169\.254\.169\.254.*metadata address/);
    expect(w.find((x) => x.startsWith("/paths/~1b/get/servers/1 "))).toMatch(/metadata address/);
    expect(w.find((x) => x.startsWith("/paths/~1b/get/servers/0 "))).toMatch(/169\.254\.10\.10.*link-local address/);
  });
});

describe("item 8: YAML merge keys and aliases cost bounded time", () => {
  const bomb = (keys: number, head: string) => {
    let text = `${head}x-e: &e {a: 1}\n`;
    for (let i = 0; i < keys; i++) text += `k${i}: {<<: [${Array(10).fill("*e").join(", ")}]}\n`;
    return text;
  };

  it("a tool file with 4,000 merge keys of ten aliases each is refused, naming the limit, before it is converted", () => {
    const text = bomb(4000, "mxcp: 1\n");
    expect(() => parseYamlText(text, "tools/bomb.yml")).toThrow(/uses 40000 aliases, over the limit of 1000/);
  });

  it("an OpenAPI document with 20,000 such keys is refused with the file named", async () => {
    const root = writeProject({ "api.yaml": bomb(20_000, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n") });
    await expect(generateOpenApiModel(join(root, "api.yaml"), { name: "b" })).rejects.toThrow(/api\.yaml.*uses 200000 aliases, over the limit of 10000/s);
  });

  it("merges of a large map count toward the expansion budget", () => {
    const big = Array.from({ length: 2000 }, (_, i) => `m${i}: ${i}`).join(", ");
    let text = `mxcp: 1\nx-big: &big {${big}}\n`;
    for (let i = 0; i < 200; i++) text += `k${i}: {<<: *big}\n`;
    expect(() => parseYamlText(text, "tools/wide.yml")).toThrow(/expands to more than 200000 nodes through its aliases and merge keys/);
  });

  it("ordinary anchors still load", () => {
    const ok = parseYamlText("mxcp: 1\nx-q: &q {name: q, type: string, description: query}\ntool:\n  name: a\n  parameters: [*q, *q]\n", "tools/a.yml");
    expect((ok.value as { tool: { parameters: unknown[] } }).tool.parameters).toEqual([{ name: "q", type: "string", description: "query" }, { name: "q", type: "string", description: "query" }]);
  });
});

describe("item 9: a remote document that trickles stops at the deadline, socket and all", () => {
  it("one byte a second: the load fails at fetchTimeoutMs and the server sees its connection closed", async () => {
    let closed = false;
    const server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/yaml" });
      const timer = setInterval(() => res.write("#"), 1000);
      req.socket.on("close", () => {
        closed = true;
        clearInterval(timer);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow.yaml`;
      await expect(generateOpenApiModel(url, { name: "slow", fetchTimeoutMs: 1500 })).rejects.toThrow(/timed out after 1500 ms/);
      for (let i = 0; i < 50 && !closed; i++) await new Promise((r) => setTimeout(r, 100));
      expect(closed).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("item 10: multi-file documents: every reference-like string is bundled or confined by our loader", () => {
  const files = {
    "api.yaml": `openapi: 3.0.3
info: {title: multi, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /volumes/actions:
    post:
      $ref: 'resources/volumes/post_action.yml'
  /volumes:
    $ref: 'resources/volumes/path.yml'
  /local:
    get:
      $ref: '#/x-operations/local'
x-operations:
  local:
    operationId: localOp
    responses: {'200': {description: ok}}
`,
    "resources/volumes/post_action.yml": `operationId: volumeActionsPost
requestBody:
  content:
    application/json:
      schema:
        oneOf:
          - $ref: '../../models/attach.yml'
          - $ref: '../../models/resize.yml'
        discriminator:
          propertyName: type
          mapping:
            attach: '../../models/attach.yml'
            resize: '../../models/resize.yml'
responses:
  '202':
    description: accepted
    links:
      self: {operationRef: '../../other.yml#/paths/~1x/get'}
    content:
      application/json:
        examples:
          one: {externalValue: 'file:///etc/passwd'}
`,
    "resources/volumes/path.yml": "get:\n  operationId: volumesList\n  responses: {'200': {description: ok}}\n",
    "models/attach.yml": "type: object\nproperties: {type: {type: string}, droplet_id: {type: integer}}\n",
    "models/resize.yml": "type: object\nproperties: {type: {type: string}, size_gigabytes: {type: integer}}\n",
  };

  it("operations written as references (to another file or a local pointer) become tools", async () => {
    const root = writeProject(files);
    const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "do" });
    expect(r.model.tools.map((t) => t.name).sort()).toEqual(["do_local_op", "do_volume_actions_post", "do_volumes_list"]);
  });

  it("discriminator mappings that name files are bundled to local pointers; operationRef and externalValue are confined", async () => {
    const root = writeProject(files);
    const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "do" });
    const text = JSON.stringify(r.document);
    expect(text).not.toMatch(/\.yml/);
    expect(text).not.toContain("/etc/passwd");
    const op = (r.document.paths as Record<string, Record<string, any>>)["/volumes/actions"]!.post;
    const mapping = op.requestBody.content["application/json"].schema.discriminator.mapping as Record<string, string>;
    expect(Object.values(mapping).every((v) => v.startsWith("#/components/schemas/"))).toBe(true);
  });

  it("openapi-typescript reads the bundled document from another folder without opening any file", async () => {
    const root = writeProject(files);
    const elsewhere = writeProject({});
    const cwd = process.cwd();
    process.chdir(elsewhere);
    try {
      const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "do" });
      const { default: openapiTS, astToString } = await import("openapi-typescript");
      const types = astToString(await openapiTS(r.document as never));
      expect(types).toContain("droplet_id");
      expect(types).toContain("size_gigabytes");
    } finally {
      process.chdir(cwd);
    }
  });

  it("a document with paths that yields no tool is an error that says why", async () => {
    const root = writeProject({
      "api.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {x-mcp: false, responses: {'200': {description: ok}}}\n  /b:\n    summary: no operations here\n",
    });
    await expect(generateOpenApiModel(join(root, "api.yaml"), { name: "z" })).rejects.toThrow(/2 paths but no operation in them became a tool/);
    const tagged = writeProject({ "api.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      tags: [x]\n      responses: {'200': {description: ok}}\n" });
    await expect(generateOpenApiModel(join(tagged, "api.yaml"), { name: "z", tags: ["y"] })).rejects.toThrow(/filters .* let through/);
  });
});
