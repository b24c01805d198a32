// nginx (Debian's package) in front of replicas, configured by deploy/nginx/mxcp-gen.conf as written, with the
// caller's ports in place of 8001-8003 and 8080, and every file nginx writes kept in one folder. Shared by the
// replica test and the replica benchmark.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx"].find((p) => existsSync(p));
const TEMP = ["body", "proxy", "fastcgi", "uwsgi", "scgi"];

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** deploy/nginx/mxcp-gen.conf with these ports (a replica port per r1, r2, r3 in order). */
export function siteConfig(listen: number, replicaPorts: number[]): string {
  let site = readFileSync(join(REPO, "deploy", "nginx", "mxcp-gen.conf"), "utf8");
  replicaPorts.forEach((port, i) => (site = site.replaceAll(`127.0.0.1:${8001 + i}`, `127.0.0.1:${port}`)));
  site = site.replace("listen 8080;", `listen 127.0.0.1:${listen};`);
  if (/127\.0\.0\.1:800[123]\b|listen 8080/.test(site)) throw new Error("deploy/nginx/mxcp-gen.conf no longer has the ports this harness replaces");
  return site;
}

export interface RunningNginx {
  url: string;
  stop(): Promise<void>;
}

/** Start nginx in `dir` with the site for these replicas; resolves once it answers. */
export async function startNginx(dir: string, listen: number, replicaPorts: number[]): Promise<RunningNginx> {
  if (!NGINX) throw new Error("nginx is not installed: install Debian's nginx-light (apt-get install nginx-light; .ci/run does)");
  writeFileSync(join(dir, "mxcp-gen.conf"), siteConfig(listen, replicaPorts));
  // nginx's workers drop to an unprivileged user when it starts as root: its folders must be theirs to write.
  chmodSync(dir, 0o777);
  for (const t of TEMP) {
    mkdirSync(join(dir, `tmp-${t}`), { recursive: true });
    chmodSync(join(dir, `tmp-${t}`), 0o777);
  }
  const main = [
    "worker_processes 1;",
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    "events { worker_connections 4096; }",
    "http {",
    `  access_log off;`,
    ...TEMP.map((t) => `  ${t === "body" ? "client_body" : t}_temp_path ${dir}/tmp-${t};`),
    `  include ${dir}/mxcp-gen.conf;`,
    "}",
    "",
  ].join("\n");
  writeFileSync(join(dir, "nginx.conf"), main);
  const child: ChildProcess = spawn(NGINX, ["-p", dir, "-e", join(dir, "error.log"), "-c", join(dir, "nginx.conf"), "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx (${NGINX}) exited: ${stderr}`);
    if (await fetch(`http://127.0.0.1:${listen}/nginx-health`).then((r) => r.ok, () => false)) {
      return {
        url: `http://127.0.0.1:${listen}/mcp`,
        stop: async () => {
          child.kill("SIGQUIT");
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`nginx did not start: ${stderr}`);
}
