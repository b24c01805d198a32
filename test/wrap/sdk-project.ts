// What the wrap tests share: a project with real npm packages linked in (its user config and server come from
// test/serve/servers.ts, as for every served project).
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT, tempDir } from "../helpers.js";

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

/** A project with one of our fixture packages (test/fixtures/npm) copied into its node_modules. */
export function fixtureProject(pkg: string): string {
  const dir = tempDir("mxcp-gen-wrap-f-");
  mkdirSync(join(dir, "node_modules"));
  cpSync(join(REPO_ROOT, "test", "fixtures", "npm", pkg), join(dir, "node_modules", pkg), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "mxcp-gen"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  return dir;
}

/** What `tsc --strict --noUnusedLocals` prints for the project (empty when it compiles). */
export async function typeCheckOutput(dir: string): Promise<string> {
  const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  const { stdout } = await promisify(execFile)(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--noEmit", "--noUnusedLocals"]).catch((e: { stdout: string }) => e);
  return stdout;
}

export interface RecordedRequest {
  method: string;
  url: string;
  auth: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A stand-in API on 127.0.0.1 that records every request and answers with `answer(request)` as JSON. */
export async function recordingServer(answer: (request: RecordedRequest) => unknown): Promise<{ base: string; seen: RecordedRequest[]; close(): void }> {
  const seen: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d));
    req.on("end", () => {
      const request = { method: req.method!, url: req.url!, auth: req.headers.authorization ?? "", body, headers: req.headers };
      seen.push(request);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(request)));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
}
