// `mxcp test`: each endpoint's `tests:` run through the same path as serve (validation, policies,
// output validation), judged with MXCP's assertion semantics.
import type { TestDef, ToolDef } from "../project/definitions.js";
import type { UserContext } from "../runtime/state.js";
import { pyTruthy } from "../types/python-names.js";
import type { ProjectHost } from "../server/host.js";
import { setOwn } from "../runtime/own.js";
import { isSafeMethod } from "../runtime/http/methods.js";

export interface TestCaseResult {
  name: string;
  description: string | null;
  status: "passed" | "failed" | "error" | "skipped";
  error?: string;
  time: number;
}

export interface EndpointTestResults {
  endpoint: string;
  path: string;
  test_results: { status: "ok" | "failed" | "error"; tests_run: number; tests: TestCaseResult[]; no_tests?: boolean; message?: string };
}

export interface TestRunResult {
  status: "ok" | "failed" | "error";
  tests_run: number;
  endpoints: EndpointTestResults[];
}

export interface TestOptions {
  kind?: "tool" | "resource" | "prompt" | undefined;
  name?: string | undefined;
  /** A CLI user context (`-u`); it wins over each test's own. */
  user?: Record<string, unknown> | undefined;
  /** The project's APIs are mocked: tests of generated tools that change data may run. */
  mock?: boolean | undefined;
}


/**
 * A generated tool whose operation changes data (POST, PUT, PATCH, DELETE) must never be called on the real
 * API by a test: its example values came from a document, and `DELETE /things/production` is a valid example.
 */
function unsafeWithoutMock(metadata: Record<string, unknown> | undefined): string | undefined {
  const op = metadata?.operation as Record<string, unknown> | undefined;
  if (metadata?.generated_by !== "mxcp-gen" || typeof op?.method !== "string") return undefined;
  return isSafeMethod(op.method) ? undefined : op.method.toUpperCase();
}

/** MXCP's equality: sorted-key JSON, so 1 and 1.0 differ only where JSON does. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

function equal(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function superset(item: unknown, expected: unknown): boolean {
  if (isRecord(item) && isRecord(expected)) return Object.entries(expected).every(([k, v]) => Object.hasOwn(item, k) && equal(item[k], v));
  return equal(item, expected);
}

/** The first failing assertion, or undefined when all pass (a test without assertions passes). */
export function checkAssertions(test: TestDef, result: unknown): string | undefined {
  if (test.result !== undefined && test.result !== null && !equal(result, test.result)) {
    return `Expected result ${canonical(test.result)}, got ${canonical(result)}`;
  }
  if (test.result_contains !== undefined && test.result_contains !== null) {
    const want = test.result_contains;
    if (isRecord(result) && isRecord(want)) {
      for (const [k, v] of Object.entries(want)) {
        if (!Object.hasOwn(result, k)) return `Expected field '${k}' not found in result`;
        if (!equal(result[k], v)) return `Expected field '${k}' to be ${canonical(v)}, got ${canonical(result[k])}`;
      }
    } else if (Array.isArray(result)) {
      const found = isRecord(want) ? result.some((item) => superset(item, want)) : result.some((item) => equal(item, want));
      if (!found) return `Expected result to contain ${canonical(want)}`;
    } else {
      return `result_contains needs an object or array result, got ${canonical(result)}`;
    }
  }
  if (test.result_not_contains) {
    if (!isRecord(result)) return `result_not_contains needs an object result, got ${canonical(result)}`;
    const present = test.result_not_contains.filter((k) => Object.hasOwn(result, k));
    if (present.length > 0) return `Result should not contain field '${present[0]}'`;
  }
  if (test.result_contains_item !== undefined && test.result_contains_item !== null) {
    if (!Array.isArray(result)) return `result_contains_item needs an array result, got ${canonical(result)}`;
    if (!result.some((item) => superset(item, test.result_contains_item))) return `Expected result to contain item ${canonical(test.result_contains_item)}`;
  }
  if (test.result_contains_all) {
    if (!Array.isArray(result)) return `result_contains_all needs an array result, got ${canonical(result)}`;
    for (const want of test.result_contains_all) {
      if (!result.some((item) => superset(item, want))) return `Expected result to contain item ${canonical(want)}`;
    }
  }
  if (test.result_length !== undefined) {
    if (!Array.isArray(result)) return `result_length needs an array result, got ${canonical(result)}`;
    if (result.length !== test.result_length) return `Expected ${test.result_length} items, got ${result.length}`;
  }
  if (test.result_contains_text !== undefined) {
    const text = typeof result === "string" ? result : JSON.stringify(result);
    if (!text.includes(test.result_contains_text)) return `Expected result to contain text '${test.result_contains_text}'`;
  }
  return undefined;
}

/** A test's user context, as MXCP builds it: the whole dict becomes `raw_profile`. */
function userContext(provider: "cli" | "test", raw: Record<string, unknown>): UserContext {
  return {
    provider,
    user_id: String(raw.user_id ?? "test_user"),
    username: String(raw.username ?? "test_user"),
    email: typeof raw.email === "string" ? raw.email : null,
    name: typeof raw.name === "string" ? raw.name : null,
    raw_profile: raw,
  };
}

export async function runTests(host: ProjectHost, opts: TestOptions = {}): Promise<TestRunResult> {
  const endpoints: EndpointTestResults[] = [];
  for (const entry of host.endpoints) {
    if (opts.kind && entry.kind !== opts.kind) continue;
    if (opts.name && entry.name !== opts.name) continue;
    const label = `${entry.kind}/${entry.name ?? entry.path}`;
    if (entry.problems.length > 0 || !entry.definition) {
      endpoints.push({ endpoint: label, path: entry.path, test_results: { status: "error", tests_run: 0, tests: [], message: entry.problems.map((p) => p.message).join("; ") } });
      continue;
    }
    const tests = (entry.definition as ToolDef).tests ?? [];
    if (tests.length === 0) {
      endpoints.push({ endpoint: label, path: entry.path, test_results: { status: "ok", tests_run: 0, tests: [], no_tests: true } });
      continue;
    }
    const results: TestCaseResult[] = [];
    const unsafe = opts.mock ? undefined : unsafeWithoutMock(entry.metadata as Record<string, unknown> | undefined);
    for (const test of tests) {
      if (unsafe) {
        results.push({ name: test.name, description: test.description ?? null, status: "skipped", error: `Skipped: a ${unsafe} would change data on the real API; run with --mock to test it against a local mock`, time: 0 });
        continue;
      }
      const args: Record<string, unknown> = {};
      for (const a of test.arguments) setOwn(args, a.key, a.value);
      const user = opts.user ? userContext("cli", opts.user) : test.user_context ? userContext("test", test.user_context) : undefined;
      const started = performance.now();
      let status: TestCaseResult["status"] = "passed";
      let error: string | undefined;
      try {
        let result: unknown;
        if (entry.kind === "prompt") {
          const messages = await host.getPrompt(entry.name!, args, { user });
          const last = [...messages].reverse().find((m) => m.role === "assistant") ?? messages.at(-1);
          const text = last?.content.type === "text" ? last.content.text : "";
          try {
            result = JSON.parse(text);
          } catch {
            result = text;
          }
        } else {
          const outcome = entry.kind === "tool" ? await host.callTool(entry.name!, args, { user }) : await host.readResource(entry.name!, args, { user });
          if (outcome.status === "error") {
            status = "error";
            error = outcome.message;
          } else result = outcome.result;
        }
        if (status === "passed") {
          // MXCP judges a falsy result (None, 0, "", [], {}, False) as [].
          const failure = checkAssertions(test, pyTruthy(result) ? result : []);
          if (failure) {
            status = "failed";
            error = failure;
          }
        }
      } catch (e) {
        status = "error";
        error = (e as Error)?.message ?? String(e);
      }
      results.push({ name: test.name, description: test.description ?? null, status, ...(error ? { error } : {}), time: Math.round(performance.now() - started) / 1000 });
    }
    const suiteStatus = results.some((r) => r.status === "error") ? "error" : results.some((r) => r.status === "failed") ? "failed" : "ok";
    endpoints.push({ endpoint: label, path: entry.path, test_results: { status: suiteStatus, tests_run: results.filter((r) => r.status !== "skipped").length, tests: results } });
  }
  const tests_run = endpoints.reduce((n, e) => n + e.test_results.tests_run, 0);
  const status = endpoints.some((e) => e.test_results.status === "error") ? "error" : endpoints.some((e) => e.test_results.status === "failed") ? "failed" : "ok";
  return { status, tests_run, endpoints };
}
