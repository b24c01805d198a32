// Calls per second through nginx (deploy/nginx/mxcp-gen.conf) with three replicas against one, and what nginx adds
// to one call, all in one run on this machine. `npm run bench:replicas` (needs nginx: Debian's nginx-light).
//
// Throughput: C clients, each in its own session, call a tool that does a little work (a SHA-256 over 64 KiB,
// about a millisecond of CPU) in a closed loop for a fixed time. Overhead: one client, calls in sequence, direct to
// a replica and through nginx, in alternating blocks; the median of each, and the difference.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { freePort, startNginx } from "./nginx.js";
import { serveHttp } from "./serve-http.js";

const CLI = fileURLToPath(new URL("../bin/mxcp-gen.js", import.meta.url));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 12);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

function project(): string {
  const root = mkdtempSync(join(tmpdir(), "mxcp-gen-bench-replicas-"));
  mkdirSync(join(root, "tools"));
  mkdirSync(join(root, "handlers"));
  writeFileSync(join(root, "mxcp-site.yml"), "mxcp: 1\nproject: fleet\nprofile: default\n");
  writeFileSync(
    join(root, "handlers", "h.ts"),
    'import { createHash } from "node:crypto";\nconst block = Buffer.alloc(65536, 7);\nexport function work(args: { n: number }) {\n  return { n: args.n, digest: createHash("sha256").update(block).digest("hex").slice(0, 16) };\n}\n',
  );
  writeFileSync(
    join(root, "tools", "work.yml"),
    "mxcp: 1\ntool:\n  name: work\n  description: A little CPU work\n  parameters:\n    - {name: n, type: integer, description: n}\n  source:\n    file: ../handlers/h.ts\n",
  );
  return root;
}

async function client(url: string): Promise<Client> {
  const c = new Client({ name: "bench", version: "1" });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

/** CPU seconds a process has used (Linux /proc), to say where the time of a run went. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Calls per second from CLIENTS sessions in closed loops for SECONDS. */
async function throughput(url: string): Promise<number> {
  const sessions = await Promise.all(Array.from({ length: CLIENTS }, () => client(url)));
  for (const s of sessions) await s.callTool({ name: "work", arguments: { n: 0 } });
  let calls = 0;
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    sessions.map(async (s) => {
      while (performance.now() < until) {
        await s.callTool({ name: "work", arguments: { n: calls } });
        calls++;
      }
    }),
  );
  const rate = calls / ((performance.now() - started) / 1000);
  await Promise.all(sessions.map((s) => s.close()));
  return rate;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]!;

/** One client's call times (ms), direct and through nginx, in alternating blocks of 100. */
async function overhead(direct: string, proxied: string): Promise<{ direct: number[]; proxied: number[] }> {
  const [a, b] = [await client(direct), await client(proxied)];
  const times = { direct: [] as number[], proxied: [] as number[] };
  for (let i = 0; i < 300; i++) {
    await a.callTool({ name: "work", arguments: { n: i } });
    await b.callTool({ name: "work", arguments: { n: i } });
  }
  for (let block = 0; block < 10; block++) {
    for (const [c, into] of [[a, times.direct], [b, times.proxied]] as const) {
      for (let i = 0; i < 100; i++) {
        const t = performance.now();
        await c.callTool({ name: "work", arguments: { n: i } });
        into.push(performance.now() - t);
      }
    }
  }
  await a.close();
  await b.close();
  return times;
}

async function main(): Promise<void> {
  const root = project();
  const dir = mkdtempSync(join(tmpdir(), "mxcp-gen-bench-nginx-"));
  const listen = await freePort();
  const env = { PATH: process.env.PATH ?? "", HOME: root, MXCP_CONFIG: join(root, "none.yml") };
  const flags = (name: string) => ["--replica", name, "--allow-host", `127.0.0.1:${listen}`];
  const replicas = await Promise.all(["r1", "r2", "r3"].map((name) => serveHttp(CLI, root, flags(name), env)));
  const ports = replicas.map((r) => Number(new URL(r.url).port));
  try {
    const nginxPids = () => readFileSync(join(dir, "nginx.pid"), "utf8").trim();
    const cpu = () => ({ replicas: replicas.map((r) => cpuSeconds(r.child.pid)), clients: process.cpuUsage(), nginx: cpuSeconds(Number(nginxPids())) });
    const measured = async (label: string, run: () => Promise<number>): Promise<number> => {
      const before = cpu();
      const started = performance.now();
      const rate = await run();
      const after = cpu();
      const wall = (performance.now() - started) / 1000;
      const used = after.replicas.map((c, i) => c - before.replicas[i]!);
      const clients = (after.clients.user + after.clients.system - before.clients.user - before.clients.system) / 1e6;
      console.log(`  ${label}: ${rate.toFixed(0)} calls/s; CPU over ${wall.toFixed(1)} s: replicas ${used.map((u) => u.toFixed(1)).join(" + ")} s, clients ${clients.toFixed(1)} s (nginx's master only: workers are not counted)`);
      return rate;
    };
    // Alternating, twice: one replica, then three, so neither gets the machine warmer than the other.
    const rates = { one: [] as number[], three: [] as number[] };
    let times = { direct: [] as number[], proxied: [] as number[] };
    for (let round = 0; round < 2; round++) {
      // The same nginx file with every replica's address pointing at the first: one process behind the same proxy.
      const one = await startNginx(dir, listen, [ports[0]!, ports[0]!, ports[0]!]);
      rates.one.push(await measured("1 replica", () => throughput(one.url)));
      await one.stop();
      const three = await startNginx(dir, listen, ports);
      rates.three.push(await measured("3 replicas", () => throughput(three.url)));
      if (round === 1) times = await overhead(replicas[0]!.url, three.url);
      await three.stop();
    }
    const oneRate = Math.max(...rates.one);
    const threeRate = Math.max(...rates.three);
    console.log(`rounds: 1 replica ${rates.one.map((r) => r.toFixed(0)).join(", ")}; 3 replicas ${rates.three.map((r) => r.toFixed(0)).join(", ")} calls/s`);
    const direct = median(times.direct);
    const proxied = median(times.proxied);
    console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}; ${CLIENTS} clients, ${SECONDS} s each`);
    console.log(`through nginx, 1 replica:  ${oneRate.toFixed(0)} calls/s`);
    console.log(`through nginx, 3 replicas: ${threeRate.toFixed(0)} calls/s (${(threeRate / oneRate).toFixed(2)}x)`);
    console.log(`one client, direct:        median ${direct.toFixed(2)} ms, p99 ${p99(times.direct).toFixed(2)} ms`);
    console.log(`one client, through nginx: median ${proxied.toFixed(2)} ms, p99 ${p99(times.proxied).toFixed(2)} ms (nginx adds ${(proxied - direct).toFixed(2)} ms)`);
  } finally {
    for (const r of replicas) r.child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
