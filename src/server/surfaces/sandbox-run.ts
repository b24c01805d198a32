// `run_code` inside its worker thread (sandbox.ts runs it there, so a run that spins never delays another
// session): a model's JavaScript or TypeScript, run in a fresh WebAssembly QuickJS runtime per run. The code
// has no Node APIs, modules, files, network, timers, config or secrets; its only I/O is three bindings:
// `tools.<name>(args)`, `sql(query, params)` and `console.log`. Only JSON text crosses the boundary in
// either direction, so no host object (or prototype) is ever reachable from inside.
import { utf8Prefix } from "../utf8-prefix.js";
import { SourceMap } from "node:module";
import { createRequire } from "node:module";
import { newQuickJSWASMModule, type QuickJSContext, type QuickJSDeferredPromise, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from "quickjs-emscripten";
import ts from "typescript";
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from "./sandbox-limits.js";

export interface SandboxBindings {
  /** A tool's result, or a thrown Error whose message the code sees. */
  callTool(name: string, args: unknown): Promise<unknown>;
  sql(query: string, params: unknown): Promise<unknown>;
}

export type SandboxOutcome =
  | { ok: true; value: unknown; logs: string[]; calls: number; notice?: string }
  | { ok: false; error: string; line?: number; logs: string[]; calls: number };

// Inside the sandbox: the bindings as a model expects them, built on one host function that takes and
// returns JSON text. `then` is not a tool (an awaited `tools` must not call the host).
const PRELUDE = `(() => {
const __host = globalThis.__host; delete globalThis.__host;
const __text = (a) => a.map((x) => typeof x === "string" ? x : (() => { try { return JSON.stringify(x); } catch { return String(x); } })()).join(" ");
globalThis.console = { log: (...a) => __host.log(__text(a)), info: (...a) => __host.log(__text(a)), warn: (...a) => __host.log(__text(a)), error: (...a) => __host.log(__text(a)) };
globalThis.tools = new Proxy({}, { get(_t, name) {
  if (typeof name !== "string" || name === "then" || name === "toJSON") return undefined;
  return (args) => __host.call("tool", name, JSON.stringify(args === undefined ? {} : args)).then((t) => JSON.parse(t));
} });
globalThis.sql = (query, params) => __host.call("sql", String(query), JSON.stringify(params === undefined ? {} : params)).then((t) => JSON.parse(t));
})();
`;

// One WebAssembly module for all runs (each run has its own runtime in it); replaced if a run breaks it.
let quickjs: Promise<QuickJSWASMModule> | undefined;

/**
 * The code as the body of an async function, with its last expression returned when it has no `return` of
 * its own, and its types stripped. The body starts on the wrapper's first line, so line numbers hold.
 * Plain JavaScript (what models mostly write) skips esbuild, which costs more than the rest of a run.
 */
export function prepareCode(code: string): { js: string; map: SourceMap | undefined } {
  const file = ts.createSourceFile("code.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const plain = !usesTypeScript(file);
  let body = code;
  const last = file.statements[file.statements.length - 1];
  const hasReturn = file.statements.some((s) => ts.isReturnStatement(s));
  if (last && ts.isExpressionStatement(last) && !hasReturn) {
    const start = last.expression.getStart(file);
    const end = last.expression.getEnd();
    body = `${code.slice(0, start)}return (${code.slice(start, end)})${code.slice(end)}`;
  }
  const wrapped = `async function __run__() {${body}\n}`;
  if (plain) return { js: wrapped, map: undefined };
  // esbuild is loaded with the first program that needs it, not at every start.
  const { transformSync } = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const out = transformSync(wrapped, { loader: "ts", sourcemap: "external", sourcefile: "code.ts", target: "es2022" });
  return { js: out.code, map: new SourceMap(JSON.parse(out.map)) };
}

// Syntax that only TypeScript has: anything of it means the code needs its types stripped.
const TS_ONLY = new Set([
  ts.SyntaxKind.InterfaceDeclaration, ts.SyntaxKind.TypeAliasDeclaration, ts.SyntaxKind.EnumDeclaration, ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.AsExpression, ts.SyntaxKind.SatisfiesExpression, ts.SyntaxKind.NonNullExpression, ts.SyntaxKind.TypeAssertionExpression,
  ts.SyntaxKind.DeclareKeyword, ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword,
  ts.SyntaxKind.ReadonlyKeyword, ts.SyntaxKind.AbstractKeyword, ts.SyntaxKind.ImportEqualsDeclaration, ts.SyntaxKind.Decorator,
]);

function usesTypeScript(file: ts.SourceFile): boolean {
  if ((file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length) return true; // let esbuild report it
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isTypeNode(node) || TS_ONLY.has(node.kind) || (ts.isParameter(node) && node.questionToken) || ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) && node.exclamationToken)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function cut(text: string, max: number): { text: string; cut: boolean } {
  const kept = utf8Prefix(text, max);
  return { text: kept, cut: kept.length < text.length };
}

/** One run's state, shared by the steps below. */
interface Run {
  vm: QuickJSContext;
  runtime: QuickJSRuntime;
  limits: SandboxLimits;
  logs: string[];
  logBytes: number;
  calls: number;
  deadline: number;
  timedOut: boolean;
  /** Promises handed to the code, settled when the host's work ends (disposed with the run). */
  deferreds: Set<QuickJSDeferredPromise>;
  /** The host's work in progress for the code (tool and sql calls). */
  inFlight: Set<Promise<void>>;
  prepared: { js: string; map: SourceMap | undefined };
}

export async function runInThisThread(code: string, bindings: SandboxBindings, limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): Promise<SandboxOutcome> {
  let prepared: Run["prepared"];
  try {
    prepared = prepareCode(code);
  } catch (e) {
    const err = e as { errors?: { text: string; location?: { line: number } }[]; message?: string };
    const first = err.errors?.[0];
    return { ok: false, error: `SyntaxError: ${first?.text ?? err.message ?? String(e)}`, ...(first?.location ? { line: first.location.line } : {}), logs: [], calls: 0 };
  }
  const QuickJS = await (quickjs ??= newQuickJSWASMModule());
  // A failure of the WebAssembly module itself (the host's stack, an aborted module) leaves it unusable:
  // that run's runtime is abandoned, not disposed, and the next run gets a fresh module.
  let broken = false;
  const runtime: QuickJSRuntime = QuickJS.newRuntime();
  runtime.setMemoryLimit(limits.memoryBytes);
  runtime.setMaxStackSize(limits.stackBytes);
  const vm = runtime.newContext();
  const run: Run = { vm, runtime, limits, logs: [], logBytes: 0, calls: 0, deadline: Date.now() + limits.timeMs, timedOut: false, deferreds: new Set(), inFlight: new Set(), prepared };
  runtime.setInterruptHandler(() => {
    if (Date.now() > run.deadline) run.timedOut = true;
    return run.timedOut;
  });
  try {
    installHost(run, bindings);
    vm.unwrapResult(vm.evalCode(PRELUDE, "prelude.js")).dispose();
    const started = vm.evalCode(`${prepared.js}\n__run__()`, "code.js");
    if (started.error) {
      const d = describe(run, started.error);
      started.error.dispose();
      return failed(run, run.timedOut ? timeLimit(run) : d);
    }
    const promise = started.value;
    try {
      return await settle(run, promise);
    } finally {
      promise.dispose();
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    broken = e instanceof RangeError || (e instanceof Error && e.name === "RuntimeError");
    if (e instanceof RangeError) return failed(run, { error: "Limit reached: stack overflow (recursion too deep)" });
    if (/out of memory|memory/i.test(message)) return failed(run, { error: `Limit reached: the code used more than ${limits.memoryBytes} bytes of memory` });
    return failed(run, { error: message });
  } finally {
    if (broken) {
      quickjs = undefined;
    } else {
      try {
        for (const d of run.deferreds) d.dispose();
        run.deferreds.clear();
        vm.dispose();
        runtime.dispose();
      } catch {
        quickjs = undefined; // a leak inside QuickJS aborted the module: start the next run on a new one
      }
    }
  }
}

function failed(run: Run, what: { error: string; line?: number }): SandboxOutcome {
  return { ok: false, ...what, logs: run.logs, calls: run.calls };
}

function timeLimit(run: Run): { error: string } {
  return { error: `Limit reached: the code ran longer than ${run.limits.timeMs} ms` };
}

/** An error from inside the sandbox as `Name: message`, with its line in the code the model wrote. */
function describe(run: Run, h: QuickJSHandle): { error: string; line?: number } {
  const e = run.vm.dump(h) as { name?: string; message?: string; stack?: string } | string;
  if (typeof e !== "object" || e === null) return { error: String(e) };
  const line = lineOf(run, e.stack);
  return { error: `${e.name ?? "Error"}: ${e.message ?? ""}`, ...(line !== undefined ? { line } : {}) };
}

function lineOf(run: Run, stack: string | undefined): number | undefined {
  const m = /code\.js:(\d+)(?::(\d+))?/.exec(stack ?? "");
  if (!m) return undefined;
  if (!run.prepared.map) return Number(m[1]);
  const entry = run.prepared.map.findEntry(Number(m[1]) - 1, Math.max(0, Number(m[2] ?? 1) - 1)) as { originalLine?: number };
  return entry.originalLine !== undefined ? entry.originalLine + 1 : undefined;
}

/**
 * The host's two functions inside the sandbox: `log(text)` and `call(kind, name, json)`, which returns a promise
 * the host settles with JSON text when the tool or query answers.
 */
function installHost(run: Run, bindings: SandboxBindings): void {
  const { vm, limits } = run;
  const host = vm.newObject();
  const log = vm.newFunction("log", (textH) => {
    const text = vm.getString(textH);
    if (run.logBytes > limits.maxOutputBytes) return;
    run.logBytes += Buffer.byteLength(text) + 1;
    run.logs.push(text);
  });
  const call = vm.newFunction("call", (kindH, nameH, jsonH) => {
    const kind = vm.getString(kindH);
    const name = vm.getString(nameH);
    const json = vm.getString(jsonH);
    const deferred = vm.newPromise();
    run.deferreds.add(deferred);
    const answer = (ok: boolean, text: string) => {
      if (!deferred.alive) return;
      const h = ok ? vm.newString(text) : vm.newError(text);
      if (ok) deferred.resolve(h);
      else deferred.reject(h);
      h.dispose();
      run.deferreds.delete(deferred);
    };
    if (++run.calls > limits.maxCalls) {
      answer(false, `Limit reached: at most ${limits.maxCalls} tool and sql calls per run`);
      return deferred.handle;
    }
    let args: unknown;
    try {
      args = JSON.parse(json);
    } catch {
      answer(false, "Arguments must be JSON values");
      return deferred.handle;
    }
    const work = (kind === "sql" ? bindings.sql(name, args) : bindings.callTool(name, args)).then(
      (value) => answer(true, JSON.stringify(value === undefined ? null : value)),
      (e: unknown) => answer(false, e instanceof Error ? e.message : String(e)),
    );
    const tracked: Promise<void> = work.finally(() => run.inFlight.delete(tracked));
    run.inFlight.add(tracked);
    return deferred.handle;
  });
  vm.setProp(host, "log", log);
  vm.setProp(host, "call", call);
  vm.setProp(vm.global, "__host", host);
  log.dispose();
  call.dispose();
  host.dispose();
}

/** Run the code's jobs until its promise settles, the time is up, or nothing is left that could settle it. */
async function settle(run: Run, promise: QuickJSHandle): Promise<SandboxOutcome> {
  const { vm, runtime } = run;
  for (;;) {
    const jobs = runtime.executePendingJobs();
    if (jobs.error) {
      const d = describe(run, jobs.error);
      jobs.error.dispose();
      return failed(run, d);
    }
    const state = vm.getPromiseState(promise);
    if (state.type === "fulfilled") {
      const outcome = fulfilled(run, state.value);
      if (!state.notAPromise) state.value.dispose();
      return outcome;
    }
    if (state.type === "rejected") {
      const d = describe(run, state.error);
      state.error.dispose();
      return failed(run, run.timedOut ? timeLimit(run) : d);
    }
    if (run.timedOut || Date.now() > run.deadline) return failed(run, timeLimit(run));
    if (run.inFlight.size === 0) return failed(run, { error: "The code is waiting for something that never happens (a promise nothing resolves)" });
    const left = run.deadline - Date.now();
    await Promise.race([Promise.race(run.inFlight), new Promise((r) => setTimeout(r, Math.max(1, left)).unref())]);
  }
}

/** The code's value as JSON, within the output limit (cut text, with a notice, past it). */
function fulfilled(run: Run, value: QuickJSHandle): SandboxOutcome {
  const { vm, limits } = run;
  const stringify = vm.unwrapResult(vm.evalCode("(v) => { const s = JSON.stringify(v); return s === undefined ? 'null' : s; }", "result.js"));
  const text = vm.callFunction(stringify, vm.undefined, value);
  stringify.dispose();
  if (text.error) {
    const d = describe(run, text.error);
    text.error.dispose();
    return failed(run, { error: `The result cannot be sent as JSON (${d.error})` });
  }
  const raw = vm.getString(text.value);
  text.value.dispose();
  const kept = cut(raw, limits.maxOutputBytes);
  const longLog = run.logBytes > limits.maxOutputBytes;
  return {
    ok: true,
    value: kept.cut ? kept.text : (JSON.parse(raw) as unknown),
    logs: run.logs,
    calls: run.calls,
    ...(kept.cut || longLog ? { notice: `Output cut to ${limits.maxOutputBytes} bytes (the result was ${Buffer.byteLength(raw)} bytes${longLog ? ", and the log was longer" : ""}); return less, or filter in code` } : {}),
  };
}
