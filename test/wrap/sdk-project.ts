// What the wrap tests share: a project with real npm packages linked in, its user config, and its server.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { parse } from "yaml";
import { CLI, REPO_ROOT, tempDir } from "../helpers.js";

/** A project with real npm packages linked into its node_modules (as after npm install). */
export function project(...packages: string[]): string {
  const dir = tempDir("mxcp-gen-wrap-");
  mkdirSync(join(dir, "node_modules"));
  for (const p of packages) {
    mkdirSync(join(dir, "node_modules", p, ".."), { recursive: true });
    symlinkSync(join(REPO_ROOT, "node_modules", p), join(dir, "node_modules", p));
  }
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "mxcp-gen"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  return dir;
}

/** `user.yml` in the project with one secret for its project and the default profile. */
export function userConfig(dir: string, secret: string, parameters: Record<string, string>): void {
  const projectName = (parse(readFileSync(join(dir, "mxcp-site.yml"), "utf8")) as { project: string }).project;
  const params = Object.entries(parameters).map(([k, v]) => `              ${k}: ${JSON.stringify(v)}\n`).join("");
  writeFileSync(join(dir, "user.yml"), `mxcp: 1\nprojects:\n  ${projectName}:\n    profiles:\n      default:\n        secrets:\n          - name: ${secret}\n            type: api\n            parameters:\n${params}`);
}

/** The project served over stdio to a real MCP client, with that user config; its stderr kept. */
export async function serveStdio(dir: string): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "serve", "--transport", "stdio"],
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: dir, MXCP_CONFIG: join(dir, "user.yml") },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: "t", version: "1" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}
