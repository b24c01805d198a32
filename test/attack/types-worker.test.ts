// openapi-typescript runs in a worker thread on a copy of the document posted before the generator confines its
// own: the worker confines its copy first. (Not in the fast tier: it generates a project.)
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { writeProject } from "../helpers.js";

// A reference left in a document's data (an example) to a local server must never be fetched, and the whole
// generation reads nothing but the document.
describe("the types worker gets a confined document", () => {
  it("a $ref in an example that points at a server is never followed, and the project is generated", async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.writeHead(200, { "content-type": "application/yaml" }).end("type: object\nproperties: {leaked: {type: string}}\n");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/leak.yaml`;
      const root = writeProject({
        "api.yaml": [
          "openapi: 3.0.3",
          "info: {title: t, version: '1'}",
          "paths:",
          "  /a:",
          "    get:",
          "      operationId: getA",
          "      responses:",
          "        '200':",
          "          description: ok",
          "          content:",
          "            application/json:",
          "              schema: {type: object, properties: {id: {type: string}}}",
          `              example: {$ref: '${url}'}`,
          "",
        ].join("\n"),
      });
      const out = join(root, "project");
      const result = await generateOpenApiProject(join(root, "api.yaml"), { out, name: "t" });
      expect(result.tools).toBe(1);
      expect(readFileSync(join(out, "handlers", "t", "types.ts"), "utf8")).not.toContain("leaked");
      expect(hits).toEqual([]);
    } finally {
      server.close();
    }
  }, 60_000);
});
