import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../generators/openapi/diagnostics.js";
import { generateOpenApiModel } from "../../generators/openapi/index.js";
import { loadDocument } from "../../generators/openapi/load.js";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { parse } from "yaml";
import { tempDir, writeProject } from "../helpers.js";

const head = "openapi: 3.0.3\ninfo: {title: Split API, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n";

async function problems(source: string, opts = {}): Promise<string[]> {
  try {
    await loadDocument(source, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as SpecError).problems.filter((p) => p.severity === "error").map((p) => `${p.file}#${p.pointer}: ${p.message}`);
  }
  return [];
}

describe("a document split over several files", () => {
  it("bundles path items, parameters, responses and schemas from other files, cycles included", async () => {
    const root = writeProject({
      "api.yaml": `${head}paths:\n  /pets/{id}:\n    $ref: paths/pet.yaml\n`,
      "paths/pet.yaml":
        "get:\n  operationId: getPet\n  parameters:\n    - $ref: '../common/params.yaml#/PetId'\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema:\n            $ref: '../schemas/pet.yaml'\n",
      "common/params.yaml": "PetId:\n  name: id\n  in: path\n  required: true\n  schema: {type: integer}\n",
      "schemas/pet.yaml": "type: object\nproperties:\n  name: {type: string}\n  parent:\n    $ref: './pet.yaml'\n  owner:\n    $ref: './owner.yaml#/Owner'\n",
      "schemas/owner.yaml": "Owner:\n  type: object\n  properties:\n    pets:\n      type: array\n      items:\n        $ref: './pet.yaml'\n",
    });
    const loaded = await loadDocument(join(root, "api.yaml"));
    const doc = loaded.document as Record<string, any>;
    expect(doc.paths["/pets/{id}"].get.parameters[0]).toEqual({ $ref: "#/components/parameters/PetId" });
    expect(doc.components.parameters.PetId.name).toBe("id");
    const schemaRef = doc.paths["/pets/{id}"].get.responses["200"].content["application/json"].schema.$ref as string;
    const petName = schemaRef.split("/").pop()!;
    expect(doc.components.schemas[petName].properties.parent).toEqual({ $ref: schemaRef });
    expect(doc.components.schemas.Owner.properties.pets.items).toEqual({ $ref: schemaRef });
    expect(loaded.files.map((f) => f.path)).toEqual(["api.yaml", "common/params.yaml", "paths/pet.yaml", "schemas/owner.yaml", "schemas/pet.yaml"]);
    const model = await generateOpenApiModel(join(root, "api.yaml"), { name: "split" });
    expect(model.model.tools.map((t) => t.name)).toEqual(["split_get_pet"]);
    expect(model.model.tools[0]!.returns?.properties?.owner?.properties?.pets?.items?.type).toBe("object");
  });

  it("handles hundreds of files", async () => {
    const files: Record<string, string> = {};
    let paths = "paths:\n";
    for (let i = 0; i < 300; i++) {
      paths += `  /r${i}:\n    $ref: 'paths/r${i}.yaml'\n`;
      files[`paths/r${i}.yaml`] = `get:\n  operationId: getR${i}\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../schemas/s${i}.yaml'}\n`;
      files[`schemas/s${i}.yaml`] = `type: object\nproperties:\n  next: {$ref: './s${(i + 1) % 300}.yaml'}\n  n: {type: integer}\n`;
    }
    const root = writeProject({ "api.yaml": head + paths, ...files });
    const model = await generateOpenApiModel(join(root, "api.yaml"), { name: "many" });
    expect(model.model.tools).toHaveLength(300);
    expect(model.files).toHaveLength(601);
  });
});

describe("refs that are refused", () => {
  it("refuses a remote $ref without fetching it, unless allowed", async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { "content-type": "application/yaml" }).end("type: string\n");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/schema.yaml`;
    try {
      const root = writeProject({
        "api.yaml": `${head}paths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '${url}'}\n`,
      });
      expect(await problems(join(root, "api.yaml"))).toEqual([
        `api.yaml#/paths/~1x/get/responses/200/content/application~1json/schema: Remote $ref refused: ${url} (pass --allow-remote-refs to fetch it)`,
      ]);
      expect(hits).toBe(0);
      const allowed = await loadDocument(join(root, "api.yaml"), { allowRemoteRefs: true });
      expect(hits).toBe(1);
      expect((allowed.document.components as any).schemas["schema.yaml"] ?? (allowed.document.components as any).schemas.schema).toBeDefined();
    } finally {
      server.close();
    }
  });

  it("refuses refs that leave the document's folder, by path or by link, and reads nothing there", async () => {
    const outside = tempDir();
    writeFileSync(join(outside, "secret.yaml"), "type: string\n");
    const root = writeProject({
      "spec/api.yaml": `${head}paths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '../../${outside.split("/").pop()}/secret.yaml'}\n  /b:\n    get:\n      responses:\n        '200': {$ref: 'link/secret.yaml'}\n  /c:\n    get:\n      responses:\n        '200': {$ref: '/etc/passwd'}\n`,
    });
    mkdirSync(join(root, "spec"), { recursive: true });
    symlinkSync(outside, join(root, "spec", "link"));
    const found = await problems(join(root, "spec", "api.yaml"));
    expect(found).toHaveLength(3);
    expect(found[0]).toContain("$ref leaves the document's folder");
    expect(found[1]).toContain("$ref follows a link out of the document's folder");
    expect(found[2]).toContain("$ref leaves the document's folder");
  });

  it("names the file and pointer of every broken ref, all at once", async () => {
    const root = writeProject({
      "api.yaml": `${head}paths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n  /b:\n    get:\n      responses:\n        '200': {$ref: 'other.yaml#/Missing'}\n`,
      "other.yaml": "Present: {description: ok}\n",
    });
    expect(await problems(join(root, "api.yaml"))).toEqual([
      "api.yaml#/paths/~1a/get/responses/200: $ref target not found: #/components/responses/Nope",
      "api.yaml#/paths/~1b/get/responses/200: $ref target not found: other.yaml#/Missing",
    ]);
  });

  it("reports broken YAML and a non-OpenAPI document clearly", async () => {
    const root = writeProject({ "bad.yaml": "openapi: 3.0.0\npaths: [\n", "plain.yaml": "hello: world\n" });
    expect((await problems(join(root, "bad.yaml")))[0]).toMatch(/^bad\.yaml#: Invalid YAML at line \d+, column \d+/);
    expect(await problems(join(root, "plain.yaml"))).toEqual(["plain.yaml#: Not an OpenAPI document: it has neither `openapi` nor `swagger`"]);
  });

  it("stops a YAML alias bomb with an error naming the limit", async () => {
    let yaml = "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\nx-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (let i = 1; i < 12; i++) yaml += `x-a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
    const root = writeProject({ "bomb.yaml": yaml });
    const start = Date.now();
    const found = await problems(join(root, "bomb.yaml"));
    expect(found[0]).toMatch(/Invalid YAML.*(alias|Excessive)|expands to more than \d+ nodes through its aliases/i);
    expect(Date.now() - start).toBeLessThan(30_000);
  });
});

/** The warnings besides the one every document without a security scheme gets (tested on its own below). */
function otherWarnings(r: { warnings: { message: string }[] }): string[] {
  return r.warnings.map((w) => w.message).filter((m) => !m.startsWith("The document declares no credentials"));
}

describe("problems that do not block", () => {
  it("warns that a document declaring no credentials makes a project that sends none, with the --auth choices", async () => {
    const paths = `paths:\n  /things:\n    get:\n      operationId: listThings\n      responses: {'204': {description: ok}}\n`;
    const github = writeProject({ "api.yaml": `openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://api.github.com'}]\n${paths}` });
    const known = await generateOpenApiModel(join(github, "api.yaml"), { name: "g" });
    expect(known.warnings).toMatchObject([{ severity: "warning", pointer: "/components/securitySchemes" }]);
    expect(known.warnings[0]!.message).toContain("api.github.com takes --auth bearer");
    expect(known.model.undeclaredAuth).toContain("--auth header:NAME");
    const other = writeProject({ "api.yaml": `openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://api.things.invalid'}]\n${paths}` });
    const plain = await generateOpenApiModel(join(other, "api.yaml"), { name: "t" });
    expect(plain.warnings.map((w) => w.message)).toEqual([
      "The document declares no credentials (no security scheme), so the project sends none: if the API needs them, regenerate with --auth bearer, --auth basic, --auth header:NAME or --auth query:NAME",
    ]);
    const chosen = await generateOpenApiModel(join(other, "api.yaml"), { name: "t", auth: "bearer" });
    expect(chosen.warnings).toEqual([]);
    expect(chosen.model.undeclaredAuth).toBeUndefined();
  });

  it("warns about operations without an operationId and still names them", async () => {
    const root = writeProject({ "api.yaml": `${head}paths:\n  /pets/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n` });
    const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "p" });
    expect(r.model.tools.map((t) => t.name)).toEqual(["p_get_pets_id"]);
    expect(otherWarnings(r)).toEqual(["No operationId: the tool is named from the method and path"]);
  });

  it("takes an undeclared {path} variable as a required string, with a warning", async () => {
    const root = writeProject({ "api.yaml": `${head}paths:\n  /pets/{petId}:\n    get:\n      operationId: getPet\n      responses: {'204': {description: ok}}\n` });
    const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "p" });
    expect(r.model.tools[0]!.parameters).toMatchObject([{ name: "petId", required: true, type: { type: "string" } }]);
    expect(otherWarnings(r)).toEqual(["Path parameter {petId} is not declared; taken as a required string"]);
  });

  it("warns about a dangling example instead of failing", async () => {
    const root = writeProject({
      "api.yaml": `${head}paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
              examples:
                one: {$ref: '#/components/examples/Gone'}
`,
    });
    const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "p" });
    expect(r.model.tools).toHaveLength(1);
    expect(otherWarnings(r)).toEqual(["$ref target not found: #/components/examples/Gone (example ignored)"]);
  });
});

describe("a document given as a URL", () => {
  it("is fetched; its relative refs are remote, so they need --allow-remote-refs", async () => {
    const files: Record<string, string> = {
      "/api.yaml": `${head}paths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'schemas.yaml#/Pets'}\n`,
      "/schemas.yaml": "Pets:\n  type: array\n  items: {type: object, properties: {name: {type: string}}}\n",
    };
    const server = createServer((req, res) => {
      const body = files[req.url ?? ""];
      if (!body) return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/yaml" }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await problems(`${base}/api.yaml`))[0]).toContain(`Remote $ref refused: ${base}/schemas.yaml`);
      const r = await generateOpenApiModel(`${base}/api.yaml`, { name: "remote", allowRemoteRefs: true });
      expect(r.model.tools.map((t) => t.name)).toEqual(["remote_list_pets"]);
      expect(r.model.tools[0]!.returns).toMatchObject({ type: "array", items: { type: "object" } });
      expect(r.files.map((f) => f.path)).toEqual([`${base}/api.yaml`, `${base}/schemas.yaml`]);
    } finally {
      server.close();
    }
  });
});

describe("a $ref fragment is a URI fragment", () => {
  it("percent-encoded pointers resolve (RFC 6901 §6), and the tools that use them are generated", async () => {
    const root = writeProject({
      "api.yaml": `openapi: 3.0.3
info: {title: enc, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /things/{thing_id}:
    get:
      operationId: getThing
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}, description: The thing}
      responses:
        '200': {description: ok}
  /things/{thing_id}/parts:
    get:
      operationId: getParts
      parameters:
        - $ref: '#/paths/~1things~1%7Bthing_id%7D/get/parameters/0'
      responses:
        '200': {description: ok}
`,
    });
    const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "enc" });
    const parts = r.model.tools.find((t) => t.name === "enc_get_parts")!;
    expect(parts.parameters.map((p) => [p.name, p.type.description])).toEqual([["thing_id", "The thing"]]);
  });
});

describe("a templated server URL in the sample user config", () => {
  const doc = (variables: string) =>
    `openapi: 3.0.3\ninfo: {title: tpl, version: '1'}\nservers:\n  - url: 'http://{host}:{port}/{base}'\n    variables: {${variables}}\npaths:\n  /x:\n    get:\n      operationId: x\n      responses:\n        '200': {description: ok}\n`;

  it("gets the variables' defaults, and the variables are documented", async () => {
    const root = writeProject({ "api.yaml": doc("host: {default: localhost}, port: {default: '8080', enum: ['8080', '9090']}, base: {default: v1}") });
    const out = tempDir();
    await generateOpenApiProject(join(root, "api.yaml"), { out, name: "tpl" });
    const text = readFileSync(join(out, "config.tpl.sample.yml"), "utf8");
    const secret = (parse(text) as any).projects[Object.keys((parse(text) as any).projects)[0]!].profiles.default.secrets[0];
    expect(secret.parameters.base_url).toBe("http://localhost:8080/v1");
    expect(() => new URL(secret.parameters.base_url)).not.toThrow();
    expect(text).toMatch(/# +port: server variable, default 8080 \(one of 8080, 9090\)/);
  });

  it("is left out when the document's server is a documentation placeholder (api.example.com)", async () => {
    const root = writeProject({ "api.yaml": "openapi: 3.0.3\ninfo: {title: tpl, version: '1'}\nservers:\n  - url: 'https://api.example.com/v1'\npaths:\n  /x:\n    get:\n      operationId: x\n      responses:\n        '200': {description: ok}\n" });
    const out = tempDir();
    await generateOpenApiProject(join(root, "api.yaml"), { out, name: "tpl" });
    const text = readFileSync(join(out, "config.tpl.sample.yml"), "utf8");
    expect(text).not.toMatch(/^\s+base_url:/m);
    expect(text).toContain("base_url is left out");
  });

  it("is left out, with a comment saying why, when a variable has no default", async () => {
    const root = writeProject({ "api.yaml": doc("host: {default: ''}, port: {default: '8080'}, base: {default: v1}") });
    const out = tempDir();
    await generateOpenApiProject(join(root, "api.yaml"), { out, name: "tpl" });
    const text = readFileSync(join(out, "config.tpl.sample.yml"), "utf8");
    expect(text).not.toMatch(/^\s+base_url:/m);
    expect(text).toMatch(/base_url is left out: the document's server http:\/\/\{host\}:\{port\}\/\{base\} is not a URL you can use as it is/);
  });
});
