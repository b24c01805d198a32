import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectHost } from "../../src/server/host.js";
import { writeProject } from "../helpers.js";

// SQL tools with policies, on real DuckDB: one tool per policy action.
const employee = `SELECT 'Ann' AS name, 100000 AS salary, '123-45-6789' AS ssn, 'ann@example.com' AS email`;
const ret = `  return:
    type: object
    properties:
      name: {type: string}
      salary: {type: number}
      ssn: {type: string, sensitive: true}
      email: {type: string}
`;
const files: Record<string, string> = {
  "mxcp-site.yml": "mxcp: 1\nproject: pol\nprofile: dev\n",
  "tools/deny_input.yml": `mxcp: 1
tool:
  name: deny_input
  source: {code: "SELECT $id AS id"}
  parameters: [{name: id, type: integer, description: Id}]
  policies:
    input:
      - {condition: "user.role != 'admin' && id > 100", action: deny, reason: "Only admins can read ids over 100"}
      - {condition: "id == 7", action: deny}
      - {condition: "this is not CEL ((", action: deny}
`,
  "tools/warn_input.yml": `mxcp: 1
tool:
  name: warn_input
  source: {code: "SELECT 1 AS x"}
  policies:
    input:
      - {condition: "user.role == 'anonymous'", action: warn, reason: "anonymous caller"}
`,
  "tools/filter_fields.yml": `mxcp: 1
tool:
  name: filter_fields
  source: {code: "${employee}"}
${ret}  policies:
    output:
      - {condition: "user.role != 'hr'", action: filter_fields, fields: [salary, email]}
`,
  "tools/mask_fields.yml": `mxcp: 1
tool:
  name: mask_fields
  source: {code: "${employee}"}
${ret}  policies:
    output:
      - {condition: "true", action: mask_fields, fields: [email]}
`,
  "tools/filter_sensitive.yml": `mxcp: 1
tool:
  name: filter_sensitive
  source: {code: "${employee}"}
${ret}  policies:
    output:
      - {condition: "'pii' in user.permissions == false", action: filter_sensitive_fields}
`,
  "tools/deny_output.yml": `mxcp: 1
tool:
  name: deny_output
  source: {code: "${employee}"}
${ret}  policies:
    output:
      - {condition: "response.salary > 50000", action: deny, reason: "Salary too high to show"}
`,
};

let host: ProjectHost;
const warnings: string[] = [];

beforeAll(async () => {
  const root = writeProject(files);
  host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "none.yml") }, log: (_l, m) => warnings.push(m) });
  await host.start();
  expect(host.endpoints.map((e) => e.problems)).toEqual(host.endpoints.map(() => []));
});
afterAll(async () => host?.shutdown());

const admin = { provider: "test", user_id: "u1", username: "root", raw_profile: { role: "admin" } };
const hr = { provider: "test", user_id: "u2", username: "hr", raw_profile: { role: "hr", permissions: ["pii"] } };
const plain = { provider: "test", user_id: "u3", username: "joe", raw_profile: {} };

describe("input policies", () => {
  it("deny with the rule's reason, using the user's role", async () => {
    expect(await host.callTool("deny_input", { id: 500 }, { user: plain })).toMatchObject({ status: "error", message: "Policy enforcement failed: Only admins can read ids over 100" });
    expect(await host.callTool("deny_input", { id: 500 }, { user: admin })).toEqual({ status: "ok", result: [{ id: 500 }] });
  });
  it("deny without a reason says 'Access denied by policy'", async () => {
    expect(await host.callTool("deny_input", { id: 7 }, { user: admin })).toMatchObject({ message: "Policy enforcement failed: Access denied by policy" });
  });
  it("a condition that is not valid CEL counts as false", async () => {
    expect(await host.callTool("deny_input", { id: 1 })).toEqual({ status: "ok", result: [{ id: 1 }] });
  });
  it("warn logs and lets the call through; no user context is role 'anonymous'", async () => {
    expect(await host.callTool("warn_input", {})).toMatchObject({ status: "ok" });
    expect(warnings).toContain("Policy warning: anonymous caller");
  });
});

describe("output policies", () => {
  it("filter_fields removes top-level keys", async () => {
    expect(await host.callTool("filter_fields", {}, { user: plain })).toEqual({ status: "ok", result: { name: "Ann", ssn: "123-45-6789" } });
    expect(await host.callTool("filter_fields", {}, { user: hr })).toMatchObject({ result: { salary: 100000, email: "ann@example.com" } });
  });
  it("mask_fields replaces values with ****", async () => {
    expect(await host.callTool("mask_fields", {})).toMatchObject({ result: { email: "****", name: "Ann" } });
  });
  it("filter_sensitive_fields drops properties marked sensitive (as MXCP documents it)", async () => {
    const out = await host.callTool("filter_sensitive", {}, { user: plain });
    expect(out).toEqual({ status: "ok", result: { name: "Ann", salary: 100000, email: "ann@example.com" } });
    expect(await host.callTool("filter_sensitive", {}, { user: hr })).toMatchObject({ result: { ssn: "123-45-6789" } });
  });
  it("deny on the response", async () => {
    expect(await host.callTool("deny_output", {})).toMatchObject({ status: "error", message: "Output policy enforcement failed: Salary too high to show" });
  });
});
