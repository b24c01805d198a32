// MXCP's policies: CEL conditions over the arguments (input) or the result (output), with the
// actions deny, warn, filter_fields, mask_fields and filter_sensitive_fields, and MXCP's messages; mxcp-gen adds
// `confirm` (input: the user is asked before the call runs).
import type { parse as celParse } from "@marcbachmann/cel-js";
import type { PoliciesDef, PolicyRule, TypeDef } from "../project/definitions.js";
import type { UserContext } from "../runtime/state.js";
import { setOwn } from "../runtime/own.js";

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

export interface PolicyUser {
  user_id: string | null;
  username: string | null;
  email: string | null;
  name: string | null;
  provider: string | null;
  role: string;
  permissions: unknown[];
  capabilities: unknown[];
  scopes: string[];
}

export interface PolicyTrace {
  evaluated: string[];
  decision: "allow" | "deny" | "warn";
  reason?: string;
}

/** The `user` CEL sees: role and permissions come from the raw profile; no context means anonymous. */
export function policyUser(ctx: UserContext | undefined | null): PolicyUser {
  if (!ctx) return { user_id: null, username: null, email: null, name: null, provider: null, role: "anonymous", permissions: [], capabilities: [], scopes: [] };
  const raw = (ctx.raw_profile ?? {}) as Record<string, unknown>;
  return {
    user_id: ctx.user_id ?? null,
    username: ctx.username ?? null,
    email: ctx.email ?? null,
    name: ctx.name ?? null,
    provider: ctx.provider ?? null,
    role: typeof raw.role === "string" ? raw.role : "user",
    permissions: Array.isArray(raw.permissions) ? raw.permissions : [],
    capabilities: Array.isArray(ctx.capabilities) ? ctx.capabilities : [],
    scopes: Array.isArray(ctx.scopes) ? ctx.scopes.map(String) : [],
  };
}

let parse: typeof celParse | undefined;

/**
 * Load the CEL engine; a call whose endpoint has policies awaits it first. Loaded on first use rather than at start
 * (most projects have no policies), and as an ES module it cannot be required on demand.
 */
export async function loadPolicyEngine(): Promise<void> {
  parse ??= (await import("@marcbachmann/cel-js")).parse;
}

const compiled = new Map<string, ReturnType<typeof celParse> | null>();

/** A CEL condition; an expression that fails to parse or evaluate counts as false, as in MXCP. */
function holds(condition: string, context: Record<string, unknown>): boolean {
  let fn = compiled.get(condition);
  if (fn === undefined) {
    if (!parse) throw new Error("The policy engine is not loaded: await loadPolicyEngine() before enforcing policies");
    try {
      fn = parse(condition);
    } catch {
      fn = null;
    }
    compiled.set(condition, fn);
  }
  if (!fn) return false;
  try {
    return fn(celValue(context) as Record<string, unknown>) === true;
  } catch {
    return false;
  }
}

/** Plain JSON for CEL: dates as ISO strings, no undefined. */
function celValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(celValue);
  if (typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, celValue(x));
    return out;
  }
  return v;
}

/**
 * Input rules see the arguments and `user` (which wins over an argument of that name). Throws on deny; returns the
 * reasons of the `confirm` rules that hold (the caller asks the user before the call runs).
 */
export function enforceInput(policies: PoliciesDef | undefined, args: Record<string, unknown>, user: PolicyUser, trace: PolicyTrace, log: (m: string) => void): string[] {
  const rules = policies?.input ?? [];
  const context = { ...args, user };
  const confirmations: string[] = [];
  rules.forEach((rule, i) => {
    trace.evaluated.push(`input[${i}]: ${rule.condition}`);
    if (!holds(rule.condition, context)) return;
    if (rule.action === "deny") {
      trace.decision = "deny";
      trace.reason = rule.reason ?? "Access denied by policy";
      throw new PolicyError(`Policy enforcement failed: ${trace.reason}`);
    }
    if (rule.action === "warn") {
      trace.decision = "warn";
      trace.reason = rule.reason;
      log(`Policy warning: ${rule.reason ?? rule.condition}`);
    }
    if (rule.action === "confirm") confirmations.push(rule.reason ?? "a policy asks for the user's confirmation");
  });
  return confirmations;
}

/** Output rules see `{user, response}`; they may deny, or return a filtered or masked copy. */
export function enforceOutput(
  policies: PoliciesDef | undefined,
  response: unknown,
  user: PolicyUser,
  returnType: TypeDef | undefined,
  trace: PolicyTrace,
  log: (m: string) => void,
): unknown {
  let out = response;
  (policies?.output ?? []).forEach((rule: PolicyRule, i) => {
    trace.evaluated.push(`output[${i}]: ${rule.condition}`);
    if (!holds(rule.condition, { user, response: out })) return;
    switch (rule.action) {
      case "deny":
        trace.decision = "deny";
        trace.reason = rule.reason ?? "Access denied by policy";
        throw new PolicyError(`Output policy enforcement failed: ${trace.reason}`);
      case "warn":
        if (trace.decision === "allow") trace.decision = "warn";
        log(`Policy warning: ${rule.reason ?? rule.condition}`);
        return;
      case "filter_fields":
        out = eachRecord(out, (r) => withoutKeys(r, rule.fields ?? []));
        break;
      case "mask_fields":
        out = eachRecord(out, (r) => masked(r, rule.fields ?? []));
        break;
      case "filter_sensitive_fields":
        out = returnType ? dropSensitive(out, returnType) : out;
        break;
    }
    if (trace.decision === "allow") trace.decision = "warn";
    trace.reason ??= rule.reason;
  });
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Apply to a dict, or to each dict in a list (MXCP's top-level field actions). */
function eachRecord(v: unknown, f: (r: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(v)) return v.map((x) => (isRecord(x) ? f(x) : x));
  return isRecord(v) ? f(v) : v;
}

function withoutKeys(r: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k)));
}

function masked(r: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, keys.includes(k) ? "****" : v]));
}

/** Recursively drop properties the return type marks `sensitive` (what MXCP documents; its server has a bug here). */
export function dropSensitive(value: unknown, t: TypeDef): unknown {
  if (t.sensitive) return undefined;
  if (Array.isArray(value) && t.items) return value.map((x) => dropSensitive(x, t.items!));
  if (isRecord(value) && t.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const pt = Object.hasOwn(t.properties, k) ? t.properties[k] : undefined;
      if (pt?.sensitive) continue;
      setOwn(out, k, pt ? dropSensitive(v, pt) : v);
    }
    return out;
  }
  return value;
}

/** Replace values of parameters and properties marked `sensitive` with "[REDACTED]" (for the audit log). */
export function redactSensitive(value: unknown, t: TypeDef | undefined): unknown {
  if (!t) return value;
  if (t.sensitive) return "[REDACTED]";
  if (Array.isArray(value) && t.items) return value.map((x) => redactSensitive(x, t.items));
  if (isRecord(value) && t.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const pt = Object.hasOwn(t.properties, k) ? t.properties[k] : undefined;
      setOwn(out, k, redactSensitive(v, pt));
    }
    return out;
  }
  return value;
}
