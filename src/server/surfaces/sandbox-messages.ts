// What crosses between the main thread and a run_code worker: plain values, never host objects.
import type { SandboxLimits } from "./sandbox-limits.js";
import type { SandboxOutcome } from "./sandbox-run.js";

export type ToWorker = { type: "run"; code: string; limits: SandboxLimits } | { type: "reply"; call: number; ok: true; value: unknown } | { type: "reply"; call: number; ok: false; error: string };

export type FromWorker = { type: "call"; call: number; kind: "tool" | "sql"; name: string; args: unknown } | { type: "done"; outcome: SandboxOutcome };
