// `run_code` runs off the main thread: each run in a worker thread of its own, so a snippet that spins
// (`while(true){}`, a regex that backtracks, a microtask storm) holds that worker and nothing else; every other
// session's calls go on. The worker has its own deadline inside (QuickJS's interrupt handler); past it, and a
// grace period, the main thread terminates the worker. Idle workers are kept for the next run (each run still
// gets a fresh QuickJS runtime), never a worker that was terminated.
import type { Worker } from "node:worker_threads";
import { moduleWorker } from "../../module-worker.js";
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from "./sandbox-limits.js";
import type { FromWorker, ToWorker } from "./sandbox-messages.js";
import type { SandboxBindings, SandboxOutcome } from "./sandbox-run.js";

export type { SandboxBindings, SandboxOutcome } from "./sandbox-run.js";

/** How long past its own deadline a worker gets to say it stopped before it is terminated. */
const GRACE_MS = 2000;
const MAX_IDLE = 2;
const idle: Worker[] = [];
const busy = new Set<Worker>();

function newWorker(): Worker {
  const options = {
    // A backstop beside QuickJS's own memory limit: the worker's JavaScript heap.
    resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
    stdout: true,
    stderr: true,
  };
  return moduleWorker(import.meta.url, "sandbox-worker", options);
}

export async function runCode(code: string, bindings: SandboxBindings, limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): Promise<SandboxOutcome> {
  const worker = idle.pop() ?? newWorker();
  worker.ref();
  busy.add(worker);
  let calls = 0;
  let reusable = false;
  try {
    return await new Promise<SandboxOutcome>((resolve) => {
      const finish = (outcome: SandboxOutcome) => {
        clearTimeout(deadline);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        resolve(outcome);
      };
      const stopped = (error: string) => finish({ ok: false, error, logs: [], calls });
      const deadline = setTimeout(() => stopped(`Limit reached: the code ran longer than ${limits.timeMs} ms`), limits.timeMs + GRACE_MS);
      const send = (m: ToWorker) => worker.postMessage(m);
      const onMessage = (m: FromWorker) => {
        if (m.type === "done") {
          reusable = true;
          finish(m.outcome);
          return;
        }
        calls++;
        const work = m.kind === "sql" ? bindings.sql(m.name, m.args) : bindings.callTool(m.name, m.args);
        work
          .then(
            (value) => send({ type: "reply", call: m.call, ok: true, value: JSON.parse(JSON.stringify(value === undefined ? null : value)) as unknown }),
            (e: unknown) => send({ type: "reply", call: m.call, ok: false, error: e instanceof Error ? e.message : String(e) }),
          )
          .catch(() => undefined); // the worker may be gone by then
      };
      const onError = (e: Error) => stopped(/memory|heap/i.test(e.message) ? "Limit reached: the code used more than the sandbox's memory" : `The sandbox stopped: ${e.message}`);
      const onExit = () => stopped("The sandbox stopped unexpectedly");
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      send({ type: "run", code, limits });
    });
  } finally {
    busy.delete(worker);
    if (reusable && idle.length < MAX_IDLE) {
      worker.unref();
      idle.push(worker);
    } else {
      void worker.terminate();
    }
  }
}

/** At server stop: every worker goes, running or idle. */
export async function closeSandboxes(): Promise<void> {
  const all = [...idle.splice(0), ...busy];
  busy.clear();
  await Promise.all(all.map((w) => w.terminate()));
}
