import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CLI, copyFixture } from "../helpers.js";

/** The runtime fixture project with a user config holding a canary secret. */
export function serveFixture(): string {
  const root = copyFixture("runtime-project");
  writeFileSync(
    join(root, "user.yml"),
    "mxcp: 1\nprojects:\n  rt:\n    profiles:\n      test:\n        secrets:\n          - name: svc\n            type: api\n            parameters: {api_key: canary-secret-value}\n",
  );
  return root;
}

/** `user.yml` in the project with one secret for its project and the default profile (read through baseEnv). */
export function writeUserConfig(dir: string, secret: string, parameters: Record<string, string>): void {
  const projectName = /^project: (.*)$/m.exec(readFileSync(join(dir, "mxcp-site.yml"), "utf8"))![1]!;
  const params = Object.entries(parameters).map(([k, v]) => `              ${k}: ${JSON.stringify(v)}\n`).join("");
  writeFileSync(join(dir, "user.yml"), `mxcp: 1\nprojects:\n  ${projectName}:\n    profiles:\n      default:\n        secrets:\n          - name: ${secret}\n            type: api\n            parameters:\n${params}`);
}

export function baseEnv(root: string, extra: NodeJS.ProcessEnv = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: root, MXCP_CONFIG: join(root, "user.yml"), ...extra } as Record<string, string>;
}

export async function stdioClient(root: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "serve", "--transport", "stdio", ...args],
    cwd: root,
    env: baseEnv(root, env),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: "mxcp-gen-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport, stderr: () => stderr };
}

export interface HttpServerProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Start `mxcp-gen serve` over HTTP on a free port and wait for its endpoint line. */
export function startHttpServer(root: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [CLI, "serve", "--transport", "streamable-http", "--port", "0", ...args], { cwd: root, env: baseEnv(root, env) });
  let stderr = "";
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      const m = / at (http:\/\/\S+\/mcp)/.exec(stderr);
      if (m) {
        resolve({
          url: m[1]!,
          child,
          stderr: () => stderr,
          exited,
          stop: () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${stderr}`)));
  });
}

export async function httpClient(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "mxcp-gen-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}
