// Issue 26 item 3 with issue 27's deployment: three `serve --replica` processes behind nginx (deploy/nginx, as
// written), signing a team in through the OAuth proxy. nginx sends each step of a sign-in to the next replica in
// turn (registration, the consent page, its form, the provider's return, the token request), so a sign-in only
// finishes when the replicas share it; they do, through one directory of encrypted records. A token then works on
// every replica, and revoking it on one is refused by all. The provider's token, renewed as it nears its expiry, is
// renewed once however many replicas need it at the same moment (the provider's refresh tokens are good for one use).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startNginx, type RunningNginx } from "../../bench/nginx.js";
import { writeProject } from "../helpers.js";
import { startTeamIdp, type Issuer } from "./issuer.js";
import { signInWithClient } from "./proxy-browser.js";
import { startHttpServer, type HttpServerProcess } from "./servers.js";

let idp: Issuer;
let nginx: RunningNginx;
const replicas: HttpServerProcess[] = [];
let publicUrl = "";

beforeAll(async () => {
  const listen = await freePort();
  publicUrl = `http://127.0.0.1:${listen}/mcp`;
  // Provider tokens that live 4 s, with refresh tokens good for one use: replicas must not renew one twice.
  idp = await startTeamIdp(`http://127.0.0.1:${listen}/auth/callback`, 4, true);
  const root = writeProject({
    "mxcp-site.yml": "mxcp: 1\nproject: team\nprofile: default\n",
    "handlers/h.ts": `import { getUserContext } from "mxcp-gen/runtime";\nexport const whoami = () => ({ user: getUserContext()?.user_id ?? null, replica: process.argv[process.argv.indexOf("--replica") + 1] });\n`,
    "tools/whoami.yml": "mxcp: 1\ntool:\n  name: whoami\n  description: who is calling, and which replica answers\n  source:\n    file: ../handlers/h.ts\n",
    "user.yml": `mxcp: 1\nprojects:\n  team:\n    profiles:\n      default:\n        auth:\n          provider: oidc\n          oidc:\n            mode: proxy\n            issuer: ${idp.url}\n            client_id: team-app\n            client_secret: team-app-secret\n`,
  });
  for (const name of ["r1", "r2", "r3"]) replicas.push(await startHttpServer(root, ["--replica", name, "--public-url", publicUrl], {}));
  nginx = await startNginx(mkdtempSync(join(tmpdir(), "mxcp-gen-nginx-")), listen, replicas.map((r) => Number(new URL(r.url).port)));
}, 90_000);

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(replicas.map((r) => r.stop()));
  idp?.server.close();
});

const whoami = async (client: Client) => JSON.parse((((await client.callTool({ name: "whoami", arguments: {} })) as CallToolResult).content[0] as { text: string }).text) as { user: string; replica: string };

describe("signing a team in through the OAuth proxy, with replicas behind nginx", () => {
  it("a sign-in whose steps land on different replicas finishes; the token works on every replica; revoked on one, refused by all", async () => {
    const user = await signInWithClient(publicUrl, "quinn", `${new URL(publicUrl).origin}/auth/callback`);
    expect(user.saved!.access_token).toMatch(/^mxcp_at_/);

    // New sessions go to the replicas in turn: each accepts the token and answers as quinn.
    const clients: Client[] = [];
    const answered = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const c = new Client({ name: "t", version: "1" });
      await c.connect(new StreamableHTTPClientTransport(new URL(publicUrl), { authProvider: user }));
      clients.push(c);
      const me = await whoami(c);
      expect(me.user).toBe("quinn");
      answered.add(me.replica);
    }
    expect([...answered].sort()).toEqual(["r1", "r2", "r3"]);

    // Revoked through nginx (on whichever replica): a call on any replica is refused now.
    const revoked = await fetch(`${new URL(publicUrl).origin}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: user.saved!.access_token, client_id: (user.registered as { client_id: string }).client_id }),
    });
    expect(revoked.status).toBe(200);
    for (const r of replicas) {
      const direct = await fetch(r.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${user.saved!.access_token}` },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
      });
      expect(direct.status).toBe(401);
    }
    for (const c of clients) await c.close().catch(() => undefined);
  });

  it("calls on three replicas at once, when the provider's token is due: it is renewed once, and every call answers as the user", async () => {
    const user = await signInWithClient(publicUrl, "rosa", `${new URL(publicUrl).origin}/auth/callback`);
    const clients: Client[] = [];
    for (let i = 0; i < 3; i++) {
      const c = new Client({ name: "t", version: "1" });
      await c.connect(new StreamableHTTPClientTransport(new URL(publicUrl), { authProvider: user }));
      clients.push(c);
    }
    for (let round = 0; round < 2; round++) {
      // Past the renewal point (the last quarter of 4 s): every replica finds the provider's token due.
      await new Promise((r) => setTimeout(r, 3_300));
      const answers = await Promise.all(clients.map((c) => whoami(c)));
      expect(answers.map((a) => a.user)).toEqual(["rosa", "rosa", "rosa"]);
      expect(new Set(answers.map((a) => a.replica)).size).toBeGreaterThan(1);
    }
    for (const c of clients) await c.close().catch(() => undefined);
  });
});
