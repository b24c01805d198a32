// Issue 11, items 1 and 3: nothing is read or fetched unless the loader allowed it, and remote bodies are capped
// while they stream.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { loadDocument } from "../../generators/openapi/load.js";
import { tempDir, writeProject } from "../helpers.js";

let server: Server;
let base = "";
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url === "/infinite") {
      res.writeHead(200, { "content-type": "application/yaml" });
      const chunk = Buffer.alloc(64 * 1024, "a");
      const pump = () => {
        while (res.write(chunk)) {
          /* keep the pipe full */
        }
      };
      res.on("drain", pump);
      pump();
      return;
    }
    if (req.url === "/stall") {
      res.writeHead(200, { "content-type": "application/yaml" });
      res.write("openapi: 3.0.3\n"); // and never finish
      return;
    }
    res.writeHead(200, { "content-type": "application/yaml" });
    res.end("leaked: REMOTE-CANARY\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function allText(dir: string): string {
  let out = "";
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? allText(p) : readFileSync(p, "utf8");
  }
  return out;
}

describe("a $ref inside data is never resolved by any component", () => {
  it("x-*, example and media-type example refs are neither fetched nor read, and reach no file", async () => {
    process.env.MXCP_GEN_CANARY_SECRET = "CANARY-7f3a9-ENV";
    const root = writeProject({
      "api.yaml": `openapi: 3.0.3
info:
  title: leak
  version: '1'
  x-info: {$ref: "${base}/x-info.yaml"}
servers: [{url: 'https://api.example.com'}]
paths:
  /pets:
    get:
      operationId: listPets
      x-extra: {$ref: "${base}/x-extra.yaml"}
      parameters:
        - name: q
          in: query
          schema: {type: string, default: {$ref: "/etc/hostname"}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              example: {$ref: "/proc/self/environ"}
              examples:
                one: {value: {$ref: "/etc/passwd"}}
              schema:
                type: object
                properties:
                  name: {type: string, example: {$ref: "/etc/passwd"}}
                  kind: {type: string, enum: [{$ref: "/etc/passwd"}]}
`,
    });
    const out = tempDir();
    await generateOpenApiProject(join(root, "api.yaml"), { out, name: "leak" });
    expect(hits).toEqual([]);
    const text = allText(out);
    expect(text).not.toContain("root:x:0:0");
    expect(text).not.toContain("CANARY-7f3a9-ENV");
    expect(text).not.toContain("REMOTE-CANARY");
    delete process.env.MXCP_GEN_CANARY_SECRET;
  }, 60_000);
});

describe("remote documents are capped while they stream", () => {
  it("an endless body stops at the byte limit", async () => {
    // The body never ends: only a cap applied while reading can return this error.
    await expect(loadDocument(`${base}/infinite`, { maxFileBytes: 2 * 1024 * 1024 })).rejects.toThrow(/over the limit of 2097152 bytes/);
  }, 60_000);

  it("a body that stalls times out with an error naming the URL", async () => {
    await expect(loadDocument(`${base}/stall`, { fetchTimeoutMs: 500 })).rejects.toThrow(/stall.*(timed out|time)/i);
  }, 60_000);
});
