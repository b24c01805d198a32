// Issue 27, items 2 and 3: three `serve --replica` processes behind nginx (Debian's package; .ci/run installs it),
// configured by deploy/nginx/mxcp-gen.conf as written (only the ports are this test's). Under a bounded load from
// several SDK clients, each a different user signed in at an OAuth issuer (oidc-provider), one replica is killed
// (SIGKILL) and another drained (SIGTERM): the clients reconnect through nginx and finish, every call a client saw
// answered is in the replicas' audit records under that client's user, and no client is ever answered with
// another's data.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { freePort, startNginx, type RunningNginx } from "../../bench/nginx.js";
import { runCli, tempDir, writeProject } from "../helpers.js";
import { startHttpServer, type HttpServerProcess } from "./servers.js";
import { startIssuer, token } from "./issuer.js";


function project(userConfig = "mxcp: 1\nprojects: {}\n"): string {
  return writeProject({
    "mxcp-site.yml": "mxcp: 1\nproject: fleet\nprofile: default\n",
    "user.yml": userConfig,
    "handlers/h.ts": [
      "export async function record(args: { marker: string; ms: number }) {",
      "  await new Promise((r) => setTimeout(r, args.ms));",
      "  return { marker: args.marker, replica: process.argv[process.argv.indexOf('--replica') + 1] };",
      "}",
      "",
    ].join("\n"),
    "tools/record.yml":
      "mxcp: 1\ntool:\n  name: record\n  description: Echo a marker after a pause\n  parameters:\n    - {name: marker, type: string, description: m}\n    - {name: ms, type: integer, description: pause}\n  return:\n    type: object\n    properties:\n      marker: {type: string}\n      replica: {type: string}\n  source:\n    file: ../handlers/h.ts\n",
  });
}

/** An SDK client that, when its session's replica is gone, starts a new session through nginx and calls again. */
class FleetClient {
  private client: Client | undefined;
  sessions: string[] = [];
  reconnects = 0;
  constructor(
    private readonly url: string,
    private readonly bearer: string,
  ) {}

  private async connect(): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL(this.url), { requestInit: { headers: { authorization: `Bearer ${this.bearer}` } } });
    const client = new Client({ name: "fleet", version: "1" });
    // A call's stream that ended without its answer is resumed by the SDK; when resuming fails (its replica is gone)
    // the call would wait for its timeout: the session is closed instead, so the call fails now and is made again.
    client.onerror = (e) => {
      if (/reconnect/i.test(e.message)) void client.close().catch(() => undefined);
    };
    await client.connect(transport);
    this.sessions.push(transport.sessionId ?? "");
    return client;
  }

  /** The answer, or undefined when every attempt failed; a call is made again only where no answer came. */
  async call(marker: string, ms: number): Promise<CallToolResult | undefined> {
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        this.client ??= await this.connect();
        const r = (await this.client.callTool({ name: "record", arguments: { marker, ms } })) as CallToolResult;
        const text = r.content.map((c) => (c.type === "text" ? c.text : "")).join("");
        if (!r.isError) return r;
        if (!/shutting down/.test(text)) return r;
      } catch {
        // The session's replica is gone (404 from another, or the connection dropped): a new session follows.
      }
      void this.client?.close().catch(() => undefined);
      this.client = undefined;
      this.reconnects++;
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.client?.close().catch(() => undefined);
  }
}

function auditRecords(root: string): { marker: string; status: string; session: string; user: string | null }[] {
  const out: { marker: string; status: string; session: string; user: string | null }[] = [];
  for (const r of ["r1", "r2", "r3"]) {
    const file = join(root, "audit", `logs-default-${r}.jsonl`);
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
      const rec = JSON.parse(line) as { operation_name: string; operation_status: string; session_id: string; user_id: string | null; input_data: { marker?: string } };
      if (rec.operation_name === "record" && rec.input_data.marker) out.push({ marker: rec.input_data.marker, status: rec.operation_status, session: rec.session_id, user: rec.user_id });
    }
  }
  return out;
}

describe("three replicas behind nginx", () => {
  it("survive losing one (SIGKILL) and draining another (SIGTERM): clients finish, every answered call is audited, nothing mixes", { timeout: 240_000 }, async () => {
    // Six users, each signed in at the team's issuer; their tokens name the service's public address, nginx's.
    const CLIENTS = 6;
    const users = Array.from({ length: CLIENTS }, (_, c) => ({ client_id: `user${c}`, scope: "mcp:tools" }));
    const issuer = await startIssuer(users);
    const root = project(`mxcp: 1\nprojects:\n  fleet:\n    profiles:\n      default:\n        auth:\n          provider: oidc\n          oidc:\n            issuer: ${issuer.url}\n`);
    const dir = tempDir("mxcp-gen-nginx-");
    const listen = await freePort();
    const publicUrl = `http://127.0.0.1:${listen}/mcp`;
    const env = { MXCP_AUDIT_ENABLED: "true" };
    const replicas: HttpServerProcess[] = [];
    let nginx: RunningNginx | undefined;
    const clients: FleetClient[] = [];
    try {
      for (const name of ["r1", "r2", "r3"]) replicas.push(await startHttpServer(root, ["--replica", name, "--public-url", publicUrl, "--grace-period", "20"], env));
      const ports = replicas.map((r) => Number(new URL(r.url).port));
      nginx = await startNginx(dir, listen, ports);
      const url = nginx.url;
      const bearers = await Promise.all(users.map((u) => token(issuer, u.client_id, publicUrl, "mcp:tools")));

      // Bounded load: 6 clients, 30 calls each, each call pausing 30 ms in its replica.
      const CALLS = 30;
      let answered = 0;
      const acked: { marker: string; replica: string }[] = [];
      const mixed: string[] = [];
      const failed: string[] = [];
      for (let c = 0; c < CLIENTS; c++) clients.push(new FleetClient(url, bearers[c]!));
      const work = clients.map(async (client, c) => {
        for (let n = 0; n < CALLS; n++) {
          const marker = `c${c}-n${n}`;
          const r = await client.call(marker, 30);
          if (!r) {
            failed.push(marker);
            continue;
          }
          if (r.isError) {
            failed.push(`${marker}: ${JSON.stringify(r.content)}`);
            continue;
          }
          const got = r.structuredContent as { marker: string; replica: string };
          if (got.marker !== marker) mixed.push(`${marker} got ${got.marker}`);
          acked.push(got);
          answered++;
        }
      });

      // The first sessions are spread over the replicas.
      while (answered < CLIENTS * CALLS * 0.25) await new Promise((r) => setTimeout(r, 20));
      const firstReplicas = new Set(clients.map((c) => c.sessions[0]!.split(".")[0]));
      expect(firstReplicas.size).toBeGreaterThanOrEqual(2);

      // One replica dies at once.
      replicas[0]!.child.kill("SIGKILL");
      await replicas[0]!.exited;
      // Its sessions, through nginx, now reach another replica, which says it does not know them (404), not 502.
      const orphan = clients.flatMap((c) => c.sessions).find((s) => s.startsWith("r1."));
      if (orphan) {
        const r = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${bearers[clients.findIndex((c) => c.sessions.includes(orphan))]}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": orphan },
          body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list", params: {} }),
        });
        expect(r.status).toBe(404);
        expect(await r.text()).toContain("Unknown or expired session");
      }

      while (answered < CLIENTS * CALLS * 0.55) await new Promise((r) => setTimeout(r, 20));
      // Another drains: /readyz says 503 while calls in flight finish, then it exits 0.
      replicas[1]!.child.kill("SIGTERM");
      let ready = 200;
      for (let i = 0; i < 50 && ready !== 503; i++) {
        ready = await fetch(replicas[1]!.url.replace(/\/mcp$/, "/readyz"), { headers: { authorization: `Bearer ${bearers[0]}` } }).then((r) => r.status, () => 0);
        if (ready !== 503 && ready !== 0) await new Promise((r) => setTimeout(r, 20));
      }
      expect([503, 0]).toContain(ready);
      expect(await replicas[1]!.exited).toBe(0);

      await Promise.all(work);
      expect(failed).toEqual([]);
      expect(mixed).toEqual([]);
      expect(acked).toHaveLength(CLIENTS * CALLS);
      // Every call a client saw answered is in the audit records, as a success, under that client's user.
      const records = auditRecords(root).filter((r) => r.status === "success");
      const audited = new Set(records.map((r) => r.marker));
      expect(acked.map((a) => a.marker).filter((m) => !audited.has(m))).toEqual([]);
      expect(records.filter((r) => r.user !== `user${/^c(\d+)-/.exec(r.marker)![1]}`)).toEqual([]);
      // The clients did lose sessions, and carried on in new ones on the replica left.
      expect(clients.reduce((n, c) => n + c.reconnects, 0)).toBeGreaterThan(0);
      expect(acked.slice(-CLIENTS).every((a) => a.replica === "r3")).toBe(true);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await nginx?.stop();
      await Promise.all(replicas.map((r) => (r.child.exitCode === null && r.child.signalCode === null ? r.stop() : r.exited)));
      issuer.server.close();
    }
  });

  it("a replica's session id names it, and its files are its own", async () => {
    const root = project();
    const env = { MXCP_AUDIT_ENABLED: "true" };
    const server = await startHttpServer(root, ["--replica", "r7"], env);
    try {
      const transport = new StreamableHTTPClientTransport(new URL(server.url));
      const client = new Client({ name: "one", version: "1" });
      await client.connect(transport);
      expect(transport.sessionId).toMatch(/^r7\.[0-9a-f-]{36}$/);
      await client.callTool({ name: "record", arguments: { marker: "m", ms: 0 } });
      await client.close();
      expect(existsSync(join(root, "audit", "logs-default-r7.jsonl"))).toBe(true);
      expect(existsSync(join(root, "audit", "logs-default.jsonl"))).toBe(false);
      const ready = (await (await fetch(server.url.replace(/\/mcp$/, "/readyz"))).json()) as { replica?: string };
      expect(ready.replica).toBe("r7");
    } finally {
      await server.stop();
    }
    // `log` reads every replica's log beside the profile's.
    const log = await runCli(["log", "--json-output"], { cwd: root });
    expect(log.code, log.stderr).toBe(0);
    expect((JSON.parse(log.stdout) as { result: { operation_name: string }[] }).result.map((r) => r.operation_name)).toContain("record");
    // A name that could reach outside the project's folders is refused before anything starts.
    const bad = startHttpServer(root, ["--replica", "../x"]);
    await expect(bad).rejects.toThrow(/is not a replica name/);
  });
});
