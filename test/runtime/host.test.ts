import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimeState } from "../../src/runtime/state.js";
import { ProjectHost } from "../../src/server/host.js";
import { exportedNames } from "../../src/server/handler-exports.js";
import { copyFixture } from "../helpers.js";

// One project for the whole file: hooks and handler modules are process-wide, as in a server.
let host: ProjectHost;
let root: string;
const hookLog = () => ((globalThis as Record<string, unknown>).__hookLog ?? []) as string[];
const logged: string[] = [];

beforeAll(async () => {
  root = copyFixture("runtime-project");
  writeFileSync(
    join(root, "user.yml"),
    "mxcp: 1\nprojects:\n  rt:\n    profiles:\n      test:\n        secrets:\n          - name: svc\n            type: api\n            parameters: {api_key: '${SVC_KEY}', base_url: 'http://127.0.0.1:1'}\n        plugin:\n          config:\n            utilcfg: {greeting: hello}\n",
  );
  host = ProjectHost.load({
    cwd: root,
    env: { MXCP_CONFIG: join(root, "user.yml"), SVC_KEY: "canary-svc-key" },
    log: (level, message) => logged.push(`${level}: ${message}`),
  });
  await host.start();
});

afterAll(async () => {
  await host?.shutdown();
});

describe("a project with TypeScript and SQL tools on real DuckDB", () => {
  it("loaded every endpoint without problems", () => {
    expect(host.endpoints.filter((e) => e.problems.length > 0).map((e) => e.problems)).toEqual([]);
    expect(host.project.duckdbPath).toBe(join(root, "data", "db-test.duckdb"));
  });

  it("ran init hooks in registration order, logging the failing one and running the next", () => {
    expect(hookLog()).toEqual(["init:items", "init:third"]);
    expect(logged.some((l) => l.startsWith("error: init hook") && l.includes("init hook two fails on purpose"))).toBe(true);
  });

  it("calls a TypeScript tool with validated, converted arguments", async () => {
    expect(await host.callTool("add_item", { id: "1", name: "one" })).toEqual({ status: "ok", result: { id: 1 } });
    expect(await host.callTool("count_items", {})).toEqual({ status: "ok", result: 1 });
  });

  it("runs a SQL tool from a file with $parameters", async () => {
    await host.callTool("add_item", { id: 2, name: "two" });
    expect(await host.callTool("items_since", { min_id: 2 })).toEqual({ status: "ok", result: [{ id: 2, name: "two" }] });
  });

  it("returns DuckDB values as JSON-safe plain values", async () => {
    const out = await host.callTool("types_demo", {});
    expect(out).toEqual({
      status: "ok",
      result: {
        big: 42,
        huge: "12345678901234567890",
        dec: 1.25,
        d: "2024-01-15",
        ts: "2024-01-15T14:30:45",
        list: [1, 2, 3],
        struct: { a: 1, b: "x" },
        m: { k: 1 },
        nothing: null,
        // A DECIMAL wider than a double keeps every digit as text, as a large BIGINT does.
        wide_dec: "12345678901234567.89",
        fits_dec: 123456789012.345,
        span: "P1Y2M3DT4H5M6.5S",
        no_span: "PT0S",
      },
    });
  });

  it("reads secrets from the user config, interpolated; a secret value a handler returns leaves redacted", async () => {
    expect(runtimeState().secrets.find((s) => s.name === "svc")?.parameters.api_key).toBe("canary-svc-key");
    expect(await host.callTool("get_secret", { name: "svc" })).toEqual({ status: "ok", result: { api_key: "[REDACTED]", base_url: "http://127.0.0.1:1" } });
    expect(await host.callTool("get_secret", { name: "missing" })).toEqual({ status: "ok", result: null });
  });

  it("passes the per-call user context", async () => {
    const user = { provider: "test", user_id: "u1", username: "alice" };
    expect(await host.callTool("whoami", {}, { user })).toEqual({ status: "ok", result: "alice" });
    expect(await host.callTool("whoami", {})).toEqual({ status: "ok", result: null });
  });

  it("registers plugin functions in DuckDB and lists plugins", async () => {
    expect(await host.callTool("shout_sql", { text: "hey" })).toEqual({ status: "ok", result: { loud: "HEY!", doubled: 4 } });
    expect(await host.callTool("plugin_info", {})).toEqual({ status: "ok", result: { list: ["util"], functions: ["shout_util", "twice_util"] } });
  });

  it("turns validation errors, thrown errors and error objects into error outcomes", async () => {
    expect(await host.callTool("add_item", { id: "x", name: "n" })).toMatchObject({
      status: "error",
      message: "Error validating parameter 'id': Expected integer, got str",
    });
    expect(await host.callTool("fail_throw", {})).toEqual({
      status: "error",
      message: "handler blew up",
      errorObject: { error: "TypeError", message: "handler blew up", type: "TypeError" },
    });
    expect(await host.callTool("fail_object", {})).toEqual({
      status: "error",
      message: "No item 7",
      errorObject: { error: "Not found", message: "No item 7", status: 404 },
      returned: true,
    });
    expect(await host.callTool("bad_output", {})).toMatchObject({
      status: "error",
      message: "Output validation failed: Property 'id': Expected integer, got str",
    });
    expect(await host.callTool("bad_output", {}, { skipOutputValidation: true })).toEqual({ status: "ok", result: { id: "not-a-number" } });
    expect(await host.callTool("nope", {})).toMatchObject({ status: "error", message: "Unknown tool: nope" });
  });

  it("a failing SQL statement leaves the database intact", async () => {
    const before = await host.callTool("count_items", {});
    expect(await host.callTool("add_item", { id: 3, name: "x".repeat(3) })).toMatchObject({ status: "ok" });
    // A duplicate-free constraint does not exist, so break the statement instead: a wrong type in SQL.
    const broken = await host.database.execute("SELECT count(*) AS n FROM items").then(() => host.database.execute("INSERT INTO items VALUES ('x', 'y')").catch((e: Error) => e.message));
    expect(broken).toMatch(/Could not convert|Conversion Error/);
    const after = await host.callTool("count_items", {});
    expect((after as { result: number }).result).toBe((before as { result: number }).result + 1);
  });

  it("reads resources and renders prompts", async () => {
    expect(await host.readResource("items://{id}", { id: "1" })).toEqual({ status: "ok", result: { id: 1, name: "one" } });
    expect(await host.getPrompt("describe", { topic: "ducks" })).toEqual([
      { role: "user", content: { type: "text", text: "Describe ducks in one sentence." } },
      { role: "assistant", content: { type: "text", text: "Sure: DUCKS." } },
    ]);
  });
});

describe("reloadDuckdb", () => {
  it("under load: 50 calls in flight complete or fail clearly, queued calls run after reopen, no acknowledged write is lost", async () => {
    const base = 1000;
    const finished: string[] = [];
    type Done = { label: string; kind: "write" | "read" | "slow"; id: number; outcome: Awaited<ReturnType<ProjectHost["callTool"]>> };
    const start = (i: number, phase: string): Promise<Done> => {
      const id = base + i;
      const kind = i % 3 === 0 ? "write" : i % 3 === 1 ? "read" : "slow";
      const label = `${phase}:${kind}:${id}`;
      const call =
        kind === "write"
          ? host.callTool("add_item", { id, name: `w${i}` })
          : kind === "read"
            ? host.callTool("items_since", { min_id: base })
            : host.callTool("slow", { ms: 50 });
      return call.then((outcome) => {
        finished.push(label);
        return { label, kind, id, outcome };
      });
    };
    // 25 calls in flight (some sleeping), then the reload, then 25 calls that must wait for it.
    const before = Array.from({ length: 25 }, (_, i) => start(i, "before"));
    const reload = host.callTool("reload_with", { fail: false }).then((outcome) => {
      finished.push("reload");
      return outcome;
    });
    while (!runtimeState().gate.isClosed) await new Promise((r) => setImmediate(r));
    const after = Array.from({ length: 25 }, (_, i) => start(25 + i, "after"));
    const results = await Promise.all([...before, ...after]);
    expect(await reload).toEqual({ status: "ok", result: { ok: true, description: "test reload" } });

    for (const r of results) expect(r.outcome, r.label).toMatchObject({ status: "ok" });
    const reloadAt = finished.indexOf("reload");
    const queued = finished.filter((l) => l.startsWith("after:"));
    expect(queued).toHaveLength(25);
    for (const label of queued) expect(finished.indexOf(label), label).toBeGreaterThan(reloadAt);
    const slowBefore = finished.filter((l) => l.startsWith("before:slow"));
    for (const label of slowBefore) expect(finished.indexOf(label), `${label} drained first`).toBeLessThan(reloadAt);

    const acknowledged = results.filter((r) => r.kind === "write" && r.outcome.status === "ok").map((r) => r.id);
    expect(acknowledged.length).toBe(17);
    const rows = await host.database.execute("SELECT id FROM items WHERE id >= $base OR id = -1 ORDER BY id", { base });
    const ids = rows.map((r) => r.id);
    for (const id of acknowledged) expect(ids).toContain(id);
    expect(ids).toContain(-1);
  });

  it("a payload that throws restores the previous database and reports the failure", async () => {
    await host.database.execute("DELETE FROM items WHERE id = -1");
    const before = await host.database.execute("SELECT count(*) AS n FROM items");
    const out = await host.callTool("reload_with", { fail: true });
    expect(out).toEqual({ status: "ok", result: { ok: false, description: "test reload", error: "payload failed on purpose" } });
    expect(logged.some((l) => l.includes("reload (test reload) failed, previous database restored: payload failed on purpose"))).toBe(true);
    expect(await host.database.execute("SELECT count(*) AS n FROM items")).toEqual(before);
    expect(await host.database.execute("SELECT count(*) AS n FROM items WHERE id = -1")).toEqual([{ n: 0 }]);
    expect(await host.callTool("add_item", { id: 5000, name: "after" })).toEqual({ status: "ok", result: { id: 5000 } });
  });
});

describe("shutdown", () => {
  it("runs shutdown hooks in order past a failing one and closes the database", async () => {
    await host.shutdown();
    expect(hookLog().slice(-2)).toEqual(["shutdown:first", "shutdown:third"]);
    expect(logged.some((l) => l.includes("shutdown hook fails on purpose"))).toBe(true);
    expect(host.database.isOpen).toBe(false);
  });
});

// serve checks each handler's export from its source text (cached by the file's size and time), without loading it.
describe("the names a handler module exports, read from its source", () => {
  it("finds declared functions and bindings and export lists, by the name they are exported as", () => {
    const source = [
      "export async function get_pet(args: {}) {}",
      "export function* pages() {}",
      "export const list_pets = async () => [];",
      "export { helper as delete_pet, other };",
      "function helper() {}",
      "// export function commented_out() {}",
      "const internal = 1;",
    ].join("\n");
    const names = exportedNames(source);
    expect(names).toEqual(expect.arrayContaining(["get_pet", "pages", "list_pets", "delete_pet", "other"]));
    // Exported under another name, or not at all: not found, so the tool is reported at start.
    expect(names).not.toContain("helper");
    expect(names).not.toContain("internal");
  });
});
