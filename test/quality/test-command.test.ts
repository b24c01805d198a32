import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir, writeProject } from "../helpers.js";
import { httpClient, startHttpServer } from "../serve/servers.js";

const site = "mxcp: 1\nproject: tt\nprofile: dev\n";

describe("mxcp-gen test", () => {
  it("runs every tool's tests through validation and policies, with a table and MXCP's JSON", async () => {
    const root = writeProject({
      "mxcp-site.yml": site,
      "tools/add.yml": `mxcp: 1
tool:
  name: add
  source: {code: "SELECT $a + $b AS sum"}
  parameters: [{name: a, type: integer, description: a}, {name: b, type: integer, description: b}]
  return: {type: integer}
  tests:
    - {name: adds, description: 2+3, arguments: [{key: a, value: 2}, {key: b, value: "3"}], result: 5}
    - {name: wrong, arguments: [{key: a, value: 2}, {key: b, value: 2}], result: 5}
    - {name: bad_arg, arguments: [{key: a, value: x}, {key: b, value: 1}]}
`,
      "tools/who.yml": `mxcp: 1
tool:
  name: who
  source: {code: "SELECT 1 AS ok"}
  return: {type: object}
  policies:
    input:
      - {condition: "user.role != 'admin'", action: deny, reason: admins only}
  tests:
    - {name: admin, arguments: [], user_context: {role: admin}, result_contains: {ok: 1}}
    - {name: guest, arguments: [], user_context: {role: guest}}
`,
      "tools/none.yml": `mxcp: 1\ntool:\n  name: none\n  source: {code: "SELECT 1"}\n`,
    });
    const r = await runCli(["test"], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/tool\/add\s+adds\s+PASSED/);
    expect(r.stdout).toMatch(/tool\/add\s+wrong\s+FAILED .*Expected result 5, got 4/);
    expect(r.stdout).toMatch(/tool\/add\s+bad_arg\s+ERROR .*Error validating parameter 'a': Expected integer, got str/);
    expect(r.stdout).toMatch(/tool\/who\s+guest\s+ERROR .*Policy enforcement failed: admins only/);
    expect(r.stdout).toContain("2 passed, 1 failed, 2 errors, 0 skipped; 1 endpoint(s) without tests");

    const one = await runCli(["test", "tool", "who", "--json-output", "-u", '{"role": "admin"}'], { cwd: root });
    expect(one.code).toBe(0);
    const json = JSON.parse(one.stdout);
    expect(json).toMatchObject({ status: "ok", tests_run: 2, endpoints: [{ endpoint: "tool/who", path: "tools/who.yml", test_results: { status: "ok", tests_run: 2 } }] });
    expect(json.endpoints[0].test_results.tests[0]).toMatchObject({ name: "admin", description: null, status: "passed", time: expect.any(Number) });
  });

  it("--mock: the generated Petstore project's tests pass against a local mock, with no network", async () => {
    const out = tempDir("mxcp-gen-mock-");
    mkdirSync(join(out, "specs"));
    cpSync(join(REPO_ROOT, "specs", "petstore3.yaml"), join(out, "specs", "petstore3.yaml"));
    expect((await runCli(["openapi", "specs/petstore3.yaml", "--name", "petstore"], { cwd: out })).code).toBe(0);
    const r = await runCli(["test", "--mock"], { cwd: out });
    expect(r.stderr).toMatch(/Mock of petstore at http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).toMatch(/\n(\d+) passed, 0 failed, 0 errors/);
    expect(Number(/\n(\d+) passed/.exec(r.stdout)![1])).toBeGreaterThanOrEqual(5);
    expect(r.code).toBe(0);
  });
});

describe("audit log", () => {
  it("is off by default and, when enabled, writes one MXCP record per call with sensitive values and secrets redacted", async () => {
    const root = writeProject({
      "mxcp-site.yml": site + "secrets: [svc]\n",
      "user.yml": "mxcp: 1\nprojects:\n  tt:\n    profiles:\n      dev:\n        secrets:\n          - {name: svc, type: api, parameters: {key: canary-audit-secret}}\n",
      "tools/login.yml": `mxcp: 1
tool:
  name: login
  source: {code: "SELECT $user AS user, $password AS echo, 'canary-audit-secret' AS leak"}
  parameters: [{name: user, type: string, description: u}, {name: password, type: string, description: p, sensitive: true}]
  return:
    type: object
    properties: {user: {type: string}, echo: {type: string, sensitive: true}, leak: {type: string}}
`,
    });
    const auditFile = join(root, "audit", "logs-dev.jsonl");
    const off = await startHttpServer(root);
    try {
      const c = await httpClient(off.url);
      await c.callTool({ name: "login", arguments: { user: "ann", password: "hunter2" } });
      await c.close();
    } finally {
      await off.stop();
    }
    expect(existsSync(auditFile)).toBe(false);

    const on = await startHttpServer(root, [], { MXCP_AUDIT_ENABLED: "true" });
    try {
      const c = await httpClient(on.url);
      await c.callTool({ name: "login", arguments: { user: "ann", password: "hunter2" } });
      await c.callTool({ name: "login", arguments: { user: 5 } });
      await c.close();
    } finally {
      await on.stop();
    }
    const records = readFileSync(auditFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      schema_name: "mxcp.endpoints",
      schema_version: 2,
      operation_type: "tool",
      operation_name: "login",
      operation_status: "success",
      caller_type: "http",
      input_data: { user: "ann", password: "[REDACTED]" },
      output_data: { user: "ann", echo: "[REDACTED]", leak: "[REDACTED]" },
      policy_decision: "allow",
      prev_hash: null,
    });
    expect(records[1]).toMatchObject({ operation_status: "error", error: "Required parameter missing: password", prev_hash: records[0]!.record_hash });
    const text = readFileSync(auditFile, "utf8");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("canary-audit-secret");
  });
});
