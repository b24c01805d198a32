// Issue 21 items 3, 6 and 7. The HTTP cache keys an answer on every request input that can change it (header
// and cookie parameters too), so four callers with their own tenant token and session cookie get their own
// answers; a `Vary: Authorization` stores a keyed hash, never the token; the database file, the audit log, the
// user config `secrets add` writes and the client config `serve --install --with-env-values` writes (and its
// backup) are owner-only.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/runtime/http/client.js";
import type { HttpOperation } from "../../src/runtime/http/types.js";
import { Database } from "../../src/runtime/database.js";
import { runtimeState } from "../../src/runtime/state.js";
import { AuditLog } from "../../src/server/audit.js";
import { runCli, tempDir, writeProject } from "../helpers.js";

const TOKEN = "CNRYbearer7f3a9Qw";
let upstream: Server;
let base = "";
let requests = 0;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    requests++;
    const tenant = String(req.headers["x-tenant-token"] ?? "");
    const cookie = String(req.headers.cookie ?? "");
    res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=600", vary: "Authorization" }).end(JSON.stringify({ private: `${tenant}|${cookie}` }));
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => {
  upstream.closeAllConnections();
  upstream.close();
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe("the HTTP cache", () => {
  let dir: string;
  let db: Database;
  let api: ApiClient;
  const op: HttpOperation = {
    method: "GET",
    path: "/tenant",
    parameters: [
      { arg: "tenant", name: "X-Tenant-Token", in: "header", style: "simple", explode: false },
      { arg: "session", name: "session", in: "cookie", style: "form", explode: true },
    ],
    security: [["bearer"]],
    cache: true,
  };

  beforeAll(async () => {
    dir = tempDir();
    db = new Database({ path: join(dir, "data", "db.duckdb") });
    const state = runtimeState();
    state.database = db;
    state.secrets = [{ name: "tenants", type: "api", parameters: { base_url: base, token: TOKEN } }];
    api = new ApiClient({ name: "tenants", servers: [], securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, cache: { ttlSeconds: 600 } });
    api.configure();
  });
  afterAll(async () => {
    await db.close();
    runtimeState().database = undefined;
  });

  it("four callers with their own header and cookie parameters each get their own answer", async () => {
    const callers = [
      { tenant: "t-alice", session: "s-1" },
      { tenant: "t-bob", session: "s-1" },
      { tenant: "t-alice", session: "s-2" },
      { tenant: "t-carol", session: "s-3" },
    ];
    const before = requests;
    for (const c of callers) expect(await api.call(op, c)).toEqual({ private: `${c.tenant}|session=${c.session}` });
    expect(requests - before).toBe(4);
    // The same caller again is a hit: the cache still works.
    expect(await api.call(op, callers[0]!)).toEqual({ private: "t-alice|session=s-1" });
    expect(requests - before).toBe(4);
  });

  it("a Vary: Authorization answer keeps a keyed hash of the token, never the token, in an owner-only file", async () => {
    const rows = await db.execute("SELECT * FROM mxcp_cache.http");
    expect(rows.length).toBeGreaterThan(0);
    const text = JSON.stringify(rows);
    expect(text).toContain("authorization");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(TOKEN).toString("base64"));
    await db.execute("CHECKPOINT");
    const file = join(dir, "data", "db.duckdb");
    expect(readFileSync(file).includes(TOKEN)).toBe(false);
    expect(mode(file)).toBe(0o600);
    expect(mode(join(dir, "data"))).toBe(0o700);
  });
});

describe("files that hold secrets are owner-only", () => {
  it("the audit log, even one an earlier version left 0644", () => {
    const dir = tempDir();
    const path = join(dir, "audit", "logs.jsonl");
    new AuditLog(path, []).write({ operationType: "tool", operationName: "t", status: "success", durationMs: 1, callerType: "stdio", userId: null, sessionId: null, input: {}, output: {}, error: null, policiesEvaluated: [], policyDecision: "allow", policyReason: null });
    expect(mode(path)).toBe(0o600);
    chmodSync(path, 0o644);
    new AuditLog(path, []);
    expect(mode(path)).toBe(0o600);
  });

  it("secrets add into an existing 0644 user config leaves it 0600", async () => {
    const root = writeProject({
      "mxcp-site.yml": "mxcp: 1\nproject: sec\nprofile: default\nsecrets: [svc]\n",
      "user.yml": "mxcp: 1\n# kept\n",
    });
    chmodSync(join(root, "user.yml"), 0o644);
    const r = await runCli(["secrets", "add", "svc", "--set", "api_key=CNRYsecretsadd1"], { cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(root, "user.yml"), "utf8")).toContain("# kept");
    expect(mode(join(root, "user.yml"))).toBe(0o600);
  });

  it("serve --install claude --with-env-values writes the client config and its backup 0600", async () => {
    const root = writeProject({
      "mxcp-site.yml": "mxcp: 1\nproject: inst\nprofile: default\nsecrets: [svc]\n",
      "user.yml": "mxcp: 1\nprojects:\n  inst:\n    profiles:\n      default:\n        secrets:\n          - {name: svc, type: api, parameters: {api_key: \"${SVC_KEY}\"}}\n",
      "tools/a.yml": "mxcp: 1\ntool:\n  name: a\n  description: A\n  source: {code: 'SELECT 1 AS x'}\n",
    });
    const home = tempDir();
    const config = join(home, ".config", "Claude", "claude_desktop_config.json");
    const env = { MXCP_CONFIG: join(root, "user.yml"), HOME: home, XDG_CONFIG_HOME: join(home, ".config"), SVC_KEY: "CNRYinstall77" };
    const first = await runCli(["serve", "--install", "claude", "--with-env-values"], { cwd: root, env });
    expect(first.code, first.stderr).toBe(0);
    const written = [config, ...findFiles(home, /claude_desktop_config\.json$/)].find((f) => existsSync(f))!;
    expect(readFileSync(written, "utf8")).toContain("CNRYinstall77");
    expect(mode(written)).toBe(0o600);
    chmodSync(written, 0o644);
    writeFileSync(written, readFileSync(written, "utf8"));
    const second = await runCli(["serve", "--install", "claude", "--with-env-values"], { cwd: root, env });
    expect(second.code, second.stderr).toBe(0);
    expect(mode(written)).toBe(0o600);
    const backups = findFiles(home, /\.bak$/);
    expect(backups.length).toBe(1);
    expect(mode(backups[0]!)).toBe(0o600);
  });
});

function findFiles(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(p, pattern));
    else if (pattern.test(e.name)) out.push(p);
  }
  return out;
}
