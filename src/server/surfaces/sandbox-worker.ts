// The worker thread that runs `run_code` (see sandbox.ts). It holds no project, secret or connection: a binding
// call is a message to the main thread, which runs it through the one host call path and answers.
import { parentPort } from "node:worker_threads";
import { runInThisThread } from "./sandbox-run.js";
import type { SandboxLimits } from "./sandbox-limits.js";
import type { FromWorker, ToWorker } from "./sandbox-messages.js";

const port = parentPort!;
let nextCall = 0;
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function post(message: FromWorker): void {
  port.postMessage(message);
}

port.on("message", (message: ToWorker) => {
  if (message.type === "reply") {
    const w = waiting.get(message.call);
    waiting.delete(message.call);
    if (message.ok) w?.resolve(message.value);
    else w?.reject(new Error(message.error));
    return;
  }
  void run(message.code, message.limits);
});

async function run(code: string, limits: SandboxLimits): Promise<void> {
  const call = (kind: "tool" | "sql", name: string, args: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextCall;
      waiting.set(id, { resolve, reject });
      post({ type: "call", call: id, kind, name, args });
    });
  const outcome = await runInThisThread(code, { callTool: (name, args) => call("tool", name, args), sql: (query, params) => call("sql", query, params) }, limits);
  // Answers still on their way belong to this run only.
  waiting.clear();
  post({ type: "done", outcome });
}
