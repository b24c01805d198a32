import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { endpointError } from "../../src/project/endpoints.js";
import { loadProject } from "../../src/project/project.js";
import { ProjectError } from "../../src/project/schema-errors.js";
import { tempDir, writeProject } from "../helpers.js";
import { YamlCache } from "../../src/project/yaml-cache.js";

const SITE = "mxcp: 1\nproject: demo\nprofile: dev\n";
const noUserConfig = (root: string) => ({ MXCP_CONFIG: join(root, "absent.yml") });

function tool(name: string, extra = ""): string {
  return `mxcp: 1\ntool:\n  name: ${name}\n  description: t\n  source:\n    code: SELECT 1 AS x\n${extra}`;
}

function load(files: Record<string, string>, env: Record<string, string> = {}, profile?: string) {
  const root = writeProject({ "mxcp-site.yml": SITE, ...files });
  return { root, project: loadProject({ cwd: root, env: { ...noUserConfig(root), ...env }, profile }) };
}

function errorOf(files: Record<string, string>, path: string): string | undefined {
  const { project } = load(files);
  const e = project.endpoints.find((x) => x.path === path);
  expect(e, `endpoint ${path}`).toBeDefined();
  return endpointError(e!);
}

describe("project root and site config", () => {
  it("finds the nearest folder with mxcp-site.yml from a subfolder", () => {
    const root = writeProject({ "mxcp-site.yml": SITE, "tools/a.yml": tool("a") });
    mkdirSync(join(root, "tools", "deep"), { recursive: true });
    const project = loadProject({ cwd: join(root, "tools", "deep"), env: noUserConfig(root) });
    expect(project.root).toBe(root);
    expect(project.endpoints.map((e) => e.name)).toEqual(["a"]);
  });

  it("fills MXCP's defaults: paths, duckdb file per profile", () => {
    const { root, project } = load({});
    expect(project.site.paths.tools).toBe("tools");
    expect(project.site.secrets).toEqual([]);
    expect(project.duckdbPath).toBe(join(root, "data", "db-dev.duckdb"));
    expect(project.siteProfile.audit.enabled).toBe(false);
  });

  it("takes the profile from --profile, then MXCP_PROFILE, then the site", () => {
    expect(load({}).project.profile).toBe("dev");
    expect(load({}, { MXCP_PROFILE: "env" }).project.profile).toBe("env");
    expect(load({}, { MXCP_PROFILE: "env" }, "flag").project.profile).toBe("flag");
  });

  it("MXCP_DUCKDB_PATH overrides the file and ':memory:' is refused", () => {
    expect(load({}, { MXCP_DUCKDB_PATH: "/tmp/x.duckdb" }).project.duckdbPath).toBe("/tmp/x.duckdb");
    expect(() => load({}, { MXCP_DUCKDB_PATH: ":memory:" })).toThrow(/':memory:' is not supported/);
  });

  it("rejects unknown keys and names file, key path and line", () => {
    const root = writeProject({ "mxcp-site.yml": SITE + "profiles:\n  dev:\n    duckdb:\n      paht: x\n" });
    try {
      loadProject({ cwd: root, env: noUserConfig(root) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProjectError);
      expect((e as Error).message).toBe("mxcp-site.yml:7:13: profiles.dev.duckdb.paht: Extra inputs are not permitted");
    }
  });

  it("requires mxcp: 1 as an integer in the site file", () => {
    const root = writeProject({ "mxcp-site.yml": 'mxcp: "1"\nproject: p\nprofile: d\n' });
    expect(() => loadProject({ cwd: root, env: noUserConfig(root) })).toThrow(/MIGRATION REQUIRED/);
  });

  it("says when there is no project", () => {
    const root = writeProject({ "x.txt": "" });
    expect(() => loadProject({ cwd: root, env: noUserConfig(root) })).toThrow(/No mxcp-site.yml found/);
  });
});

describe("endpoint discovery and errors", () => {
  it("reads only .yml files, recursively, and skips disabled ones", () => {
    const { project } = load({
      "tools/a.yml": tool("a"),
      "tools/sub/b.yml": tool("b"),
      "tools/c.yaml": tool("c"),
      "tools/d.yml": tool("d", "  enabled: false\n"),
    });
    expect(project.endpoints.map((e) => e.name).sort()).toEqual(["a", "b"]);
  });

  it("skips a file of another kind in the tools folder", () => {
    const { project } = load({ "tools/p.yml": "mxcp: 1\nprompt:\n  name: p\n  messages: [{prompt: hi}]\n", "tools/a.yml": tool("a") });
    expect(project.endpoints.map((e) => e.name)).toEqual(["a"]);
  });

  it("places a YAML error where the mistake is, once, with the line and a caret", () => {
    const { project } = load({
      "tools/indent.yml": "mxcp: 1\ntool:\n  name: bad\n   description: x\n",
      "tools/quote.yml": 'mxcp: 1\ntool:\n  name: q\n  description: "unterminated\n  parameters: []\n',
    });
    const indent = endpointError(project.endpoints.find((e) => e.path === "tools/indent.yml")!)!;
    expect(indent).toBe("tools/indent.yml:4:4: YAML syntax error: this line is indented more than the key above it (or a quote above is not closed)\n       description: x\n       ^");
    const quote = endpointError(project.endpoints.find((e) => e.path === "tools/quote.yml")!)!;
    expect(quote).toBe('tools/quote.yml:4:16: YAML syntax error: this quote is never closed\n      description: "unterminated\n                   ^');
  });

  it("reports a YAML syntax error with line and column, and loads the rest", () => {
    const { project } = load({ "tools/bad.yml": "mxcp: 1\ntool:\n  name: [unclosed\n", "tools/a.yml": tool("a") });
    const bad = project.endpoints.find((e) => e.path === "tools/bad.yml")!;
    expect(endpointError(bad)).toMatch(/^tools\/bad\.yml:\d+:\d+: YAML syntax error/);
    expect(endpointError(project.endpoints.find((e) => e.name === "a")!)).toBeUndefined();
  });

  it("rejects unknown keys at every depth with the key path", () => {
    expect(errorOf({ "tools/a.yml": tool("a", "  foo: 1\n") }, "tools/a.yml")).toBe("tools/a.yml:7:8: tool.foo: Extra inputs are not permitted");
    expect(
      errorOf({ "tools/a.yml": tool("a", "  parameters:\n    - name: x\n      type: string\n      description: d\n      colour: red\n") }, "tools/a.yml"),
    ).toContain("tool.parameters.0.colour: Extra inputs are not permitted");
    expect(
      errorOf({ "tools/a.yml": tool("a", "  return:\n    type: object\n    properties:\n      p:\n        type: string\n        bogus: 1\n") }, "tools/a.yml"),
    ).toContain("tool.return.properties.p.bogus: Extra inputs are not permitted");
  });

  it("reports a wrong type with its path", () => {
    expect(errorOf({ "tools/a.yml": tool("a", "  parameters:\n    - name: x\n      type: text\n") }, "tools/a.yml")).toContain("tool.parameters.0.type:");
  });

  it("checks parameter names as MXCP does", () => {
    expect(errorOf({ "tools/a.yml": tool("a", "  parameters:\n    - name: created[gte]\n      type: string\n") }, "tools/a.yml")).toContain(
      "tool.parameters.0.name: Value error, Parameter name must",
    );
    const { project } = load({ "tools/a.yml": tool("a", "  parameters:\n    - name: ünïcode_1\n      type: string\n      default: x\n").replace("SELECT 1 AS x", "SELECT $ünïcode_1 AS x") });
    expect(endpointError(project.endpoints[0]!)).toBeUndefined();
  });

  it("needs exactly one of tool, resource and prompt", () => {
    expect(errorOf({ "tools/a.yml": "mxcp: 1\nmetadata: {}\n" }, "tools/a.yml")).toContain("Endpoint definition must include a tool, resource, or prompt definition");
    expect(errorOf({ "tools/a.yml": tool("a") + "prompt:\n  name: p\n  messages: []\n" }, "tools/a.yml")).toContain("exactly one of tool, resource or prompt");
  });

  it("needs exactly one of source code and file", () => {
    const yml = "mxcp: 1\ntool:\n  name: a\n  source:\n    code: SELECT 1\n    file: x.sql\n";
    expect(errorOf({ "tools/a.yml": yml }, "tools/a.yml")).toContain("tool.source: Value error, Exactly one of 'code' or 'file'");
  });

  it("reports an empty file", () => {
    expect(errorOf({ "tools/a.yml": "\n" }, "tools/a.yml")).toBe("tools/a.yml: Endpoint file is empty");
  });

  it("marks every copy of a duplicate name", () => {
    const { project } = load({ "tools/a.yml": tool("same"), "tools/b.yml": tool("same") });
    const msgs = project.endpoints.map(endpointError);
    expect(msgs).toEqual([
      "tools/a.yml: Duplicate endpoint name 'same' found in: tools/a.yml, tools/b.yml",
      "tools/b.yml: Duplicate endpoint name 'same' found in: tools/a.yml, tools/b.yml",
    ]);
  });

  it("coerces a string mxcp version in endpoint files", () => {
    const { project } = load({ "tools/a.yml": tool("a").replace("mxcp: 1", 'mxcp: "1"') });
    expect(endpointError(project.endpoints[0]!)).toBeUndefined();
  });

  it("checks SQL $parameters against the declared ones", () => {
    const yml = "mxcp: 1\ntool:\n  name: a\n  source:\n    code: \"SELECT $x, '$notparam' -- $nor\"\n  parameters:\n    - name: y\n      type: string\n";
    expect(errorOf({ "tools/a.yml": yml }, "tools/a.yml")).toContain("Parameter mismatch: missing={x}, extra={y}");
  });

  it("resolves source.file relative to the YAML file, or the root with a leading /", () => {
    const files = {
      "tools/a.yml": "mxcp: 1\ntool:\n  name: a\n  source:\n    file: ../sql/a.sql\n",
      "tools/b.yml": "mxcp: 1\ntool:\n  name: b\n  source:\n    file: /sql/a.sql\n",
      "tools/c.yml": "mxcp: 1\ntool:\n  name: c\n  language: typescript\n  source:\n    file: ../handlers/missing.ts\n",
      "sql/a.sql": "SELECT 1",
    };
    const { project } = load(files);
    const byName = Object.fromEntries(project.endpoints.map((e) => [e.name, endpointError(e)]));
    expect(byName.a).toBeUndefined();
    expect(byName.b).toBeUndefined();
    expect(byName.c).toContain("tool.source.file: Source file not found: handlers/missing.ts");
  });

  it("infers TypeScript from a .ts source file", () => {
    const { project } = load({ "tools/a.yml": "mxcp: 1\ntool:\n  name: a\n  source:\n    file: ../h.ts\n", "h.ts": "export const a = () => 1;" });
    expect((project.endpoints[0]!.definition as { language: string }).language).toBe("typescript");
  });

  it("checks resource parameters against the URI and prompt variables against the parameters", () => {
    const { project } = load({
      "resources/r.yml": "mxcp: 1\nresource:\n  uri: data://items/{id}\n  source:\n    code: SELECT $id AS id, $other AS o\n  parameters:\n    - {name: id, type: string}\n    - {name: other, type: string}\n",
      "prompts/p.yml": "mxcp: 1\nprompt:\n  name: p\n  parameters:\n    - {name: topic, type: string}\n  messages:\n    - prompt: 'Tell me about {{ topic }} and {{ mood }}{% for x in items %}{{ x.name }}{% endfor %}'\n",
    });
    expect(endpointError(project.endpoints.find((e) => e.kind === "resource")!)).toContain("Resource parameter(s) [other] are not used in uri 'data://items/{id}'");
    expect(endpointError(project.endpoints.find((e) => e.kind === "prompt")!)).toContain("Message 0 uses undefined template variables: items, mood");
  });
});

describe("user config, secrets and interpolation", () => {
  function withUserConfig(userYaml: string, env: Record<string, string> = {}) {
    const root = writeProject({ "mxcp-site.yml": SITE + "secrets: [api]\n", "user.yml": userYaml, "token.txt": "  file-secret \n" });
    return loadProject({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml"), ...env } });
  }

  const profileYaml = (params: string) =>
    `mxcp: 1\nprojects:\n  demo:\n    profiles:\n      dev:\n        secrets:\n          - name: api\n            type: api\n            parameters:\n${params}`;

  it("resolves ${VAR} and file:// in the active profile", () => {
    const root = writeProject({ "mxcp-site.yml": SITE, "user.yml": profileYaml("              key: ${API_KEY}\n              token: file://token.txt\n"), "token.txt": " t0k \n" });
    const p = loadProject({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml"), API_KEY: "k-123" } });
    expect(p.userProfile?.secrets).toEqual([{ name: "api", type: "api", parameters: { key: "k-123", token: "t0k" } }]);
  });

  // A secret is resolved when it is used: loading keeps why it cannot be, naming the file and the key path.
  const unresolved = (yaml: string) => withUserConfig(yaml).userProfile?.secrets[0]?.unresolved ?? "";

  it("an unset variable names the variable, the file and the key path", () => {
    expect(unresolved(profileYaml("              key: ${NOPE_NOT_SET}\n"))).toMatch(
      /user\.yml: projects\.demo\.profiles\.dev\.secrets\.0\.parameters\.key: Environment variable NOPE_NOT_SET is not set/,
    );
  });

  it("does not resolve other profiles", () => {
    const yaml = profileYaml("              key: plain\n") + "      prod:\n        secrets:\n          - name: api\n            type: api\n            parameters: {key: '${UNSET_IN_PROD}'}\n";
    expect(withUserConfig(yaml).userProfile?.secrets[0]?.parameters).toEqual({ key: "plain" });
  });

  it("refuses vault:// and op:// clearly, naming the key", () => {
    expect(unresolved(profileYaml("              key: vault://secret/x#k\n"))).toMatch(/parameters\.key: vault:\/\/ references are not supported yet/);
    expect(unresolved(profileYaml("              key: op://v/i/f\n"))).toMatch(/parameters\.key: op:\/\/ references are not supported yet/);
  });

  it("reports a missing file:// target", () => {
    expect(unresolved(profileYaml("              key: file:///definitely/not/here\n"))).toMatch(/File not found: \/definitely\/not\/here/);
  });

  it("rejects unknown keys in the user config", () => {
    expect(() => withUserConfig("mxcp: 1\nprojects:\n  demo:\n    profiles:\n      dev:\n        secret: []\n")).toThrow(
      /projects\.demo\.profiles\.dev\.secret: Extra inputs are not permitted/,
    );
  });

  it("treats a missing user config as empty", () => {
    const root = writeProject({ "mxcp-site.yml": SITE });
    writeFileSync(join(root, "unused"), "");
    const p = loadProject({ cwd: root, env: { MXCP_CONFIG: join(root, "none.yml") } });
    expect(p.userProfile).toBeUndefined();
    expect(p.userConfig.projects).toEqual({});
  });
});

// The parsed-endpoint cache lives in the shared temp folder, and what it holds becomes tool definitions: a cache
// another user could have written (a folder or file writable by others, or not ours) is never read.
describe("the endpoint cache in the shared temp folder", () => {
  function planted(folderMode: number, fileMode: number, stamp = "s1"): { value: unknown; checked: unknown } {
    const root = writeProject({ "mxcp-site.yml": "mxcp: 1\nproject: c\nprofile: d\n", "tools/t.yml": "mxcp: 1\ntool:\n  name: t\n  description: real\n  source: {code: 'SELECT 1'}\n" });
    const folder = join(tempDir("mxcp-gen-yaml-cache-"), "cache");
    mkdirSync(folder);
    const file = join(root, "tools", "t.yml");
    const st = statSync(file);
    const key = createHash("sha256").update(root).digest("hex").slice(0, 16);
    const injected = { mxcp: 1, tool: { name: "t", description: "planted", source: { code: "SELECT 2" } } };
    const entry = { mtimeMs: st.mtimeMs, size: st.size, value: injected, checked: injected };
    writeFileSync(join(folder, `endpoints-${key}.json`), JSON.stringify({ version: 2, stamp: "s1", entries: { [file]: entry } }));
    chmodSync(join(folder, `endpoints-${key}.json`), fileMode);
    chmodSync(folder, folderMode);
    const cache = new YamlCache(root, folder, "endpoints", stamp);
    return { value: cache.get(file), checked: cache.getChecked(file) };
  }

  it("reads a cache only from a folder and file of this user's that nobody else can write", () => {
    expect(planted(0o700, 0o600)).toMatchObject({ value: { tool: { description: "planted" } }, checked: { tool: { description: "planted" } } });
    expect(planted(0o777, 0o600)).toEqual({ value: undefined, checked: undefined });
    expect(planted(0o700, 0o666)).toEqual({ value: undefined, checked: undefined });
    expect(planted(0o730, 0o600)).toEqual({ value: undefined, checked: undefined });
  });

  it("never reads an entry validated under another schema (another version of mxcp-gen)", () => {
    expect(planted(0o700, 0o600, "s2")).toEqual({ value: undefined, checked: undefined });
  });
});
