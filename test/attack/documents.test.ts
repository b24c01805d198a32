// Issue 21 items 8, 9, 10 and 19: what a hostile or unusual OpenAPI document can make the generator do.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateOpenApiModel } from "../../generators/openapi/index.js";
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
