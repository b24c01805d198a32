// `mxcp-gen test --mock`: a local mock of each OpenAPI document the project was generated from
// (Prism, which also rejects requests that break the document), with the APIs' base URLs pointed at it.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { bundledDocument } from "../pipeline/bundled-document.js";
import { PACKAGE_ROOT } from "../package-info.js";
import { readLock } from "../project/lock-file.js";
import { runtimeState } from "../runtime/state.js";

export interface MockedApis {
  apis: { name: string; url: string }[];
  stop(): Promise<void>;
}

function prismEntry(): string {
  try {
    const require = createRequire(join(PACKAGE_ROOT, "package.json"));
    return join(dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist", "index.js");
  } catch {
    throw new Error("test --mock needs Prism: npm install -D @stoplight/prism-cli@5.14.2 (5.15 and later need Node 24)");
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** `prism mock` of one document on 127.0.0.1 and a free port, once it is listening. */
export async function startPrism(spec: string, entry = prismEntry()): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [entry, "mock", "-h", "127.0.0.1", "-p", String(port), spec], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The mock of ${spec} did not start within 60 s:\n${log.slice(-2000)}`)), 60_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The mock of ${spec} exited with ${code}:\n${log.slice(-2000)}`));
    });
  });
  const stop = () => new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once("exit", () => r()), child.kill())));
  return { url: `http://127.0.0.1:${port}`, child, stop };
}

/** Mock every OpenAPI-generated API of the project and point its secret at the mock (in this process only). */
export async function mockApis(root: string): Promise<MockedApis> {
  const lock = readLock(root);
  const entries = Object.entries(lock.apis).filter(([, e]) => e.kind === "openapi");
  if (entries.length === 0) throw new Error("test --mock: the project has no API generated from an OpenAPI document (see mxcp-gen.lock.json)");
  const prism = prismEntry();
  const started: { name: string; url: string; stop(): Promise<void> }[] = [];
  // Prism gets the document as our loader bundled it, never the file: its own resolver would follow
  // `$ref`s that the loader refuses (remote, outside the folder, inside examples).
  const scratch = mkdtempSync(join(tmpdir(), "mxcp-gen-mock-"));
  const stop = async () => {
    await Promise.all(started.map((s) => s.stop()));
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    for (const [name, entry] of entries) {
      const source = String(entry.input.source ?? "");
      if (/^https?:/i.test(source)) throw new Error(`test --mock: ${name} was generated from a URL; generate it from a local copy to mock it`);
      const spec = join(root, source);
      if (!existsSync(spec)) throw new Error(`test --mock: ${name}'s document ${source} is missing`);
      const document = await bundledDocument(spec);
      const bundled = join(scratch, `${name}.json`);
      writeFileSync(bundled, JSON.stringify(document));
      started.push({ name, ...(await startPrism(bundled, prism)) });
    }
  } catch (e) {
    await stop();
    throw e;
  }
  // The mock checks that credentials are present, not what they are: fill any that are missing.
  const state = runtimeState();
  for (const { name, url } of started) {
    const current = state.secrets.find((s) => s.name === name);
    const parameters = { api_key: "mock-key", token: "mock-token", username: "mock-user", password: "mock-password", ...(current?.parameters ?? {}), base_url: url };
    state.secrets = [...state.secrets.filter((s) => s.name !== name), { name, type: current?.type ?? "api", parameters }];
  }
  return { apis: started.map(({ name, url }) => ({ name, url })), stop };
}
