import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers.js";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PrismMock {
  url: string;
  stop(): Promise<void>;
}

/** `prism mock` of a document on 127.0.0.1: it answers from the document's examples and rejects requests that break it. */
export async function startPrism(spec: string): Promise<PrismMock> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, "node_modules", "@stoplight", "prism-cli", "dist", "index.js"), "mock", "-h", "127.0.0.1", "-p", String(port), spec], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start:\n${log}`)), 60_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`prism exited with ${code}:\n${log}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}
