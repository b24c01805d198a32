// MXCP's audit log (schema mxcp.endpoints v2): one JSONL record per call, chained by hashes.
// Secrets and `sensitive` parameters never reach the file.
import { redactText } from "../runtime/redact.js";
import { createHash, randomUUID } from "node:crypto";
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

export interface AuditRecordInput {
  operationType: "tool" | "resource" | "prompt";
  operationName: string;
  status: "success" | "error";
  durationMs: number;
  callerType: "stdio" | "http" | "cli";
  userId: string | null;
  sessionId: string | null;
  input: unknown;
  output: unknown;
  error: string | null;
  policiesEvaluated: string[];
  policyDecision: string;
  policyReason: string | null;
  /** What else happened during the call (a cached read: `{cache: "hit", cache_age_seconds}`). */
  businessContext?: Record<string, unknown>;
}

export class AuditLog {
  private prevHash: string | null = null;

  constructor(
    readonly path: string,
    /** Values that must never be written (every secret parameter). */
    private readonly secrets: string[],
  ) {
    // Inputs and outputs of every call: owner-only, whatever an earlier version left.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (existsSync(path)) chmodSync(path, 0o600);
    if (existsSync(path)) {
      const last = readFileSync(path, "utf8").trimEnd().split("\n").pop();
      try {
        this.prevHash = last ? ((JSON.parse(last) as { record_hash?: string }).record_hash ?? null) : null;
      } catch {
        this.prevHash = null;
      }
    }
  }

  write(r: AuditRecordInput): void {
    const record: Record<string, unknown> = {
      schema_name: "mxcp.endpoints",
      schema_version: 2,
      record_id: randomUUID(),
      timestamp: new Date().toISOString(),
      operation_type: r.operationType,
      operation_name: r.operationName,
      operation_status: r.status,
      duration_ms: Math.round(r.durationMs),
      caller_type: r.callerType,
      user_id: r.userId,
      session_id: r.sessionId,
      trace_id: null,
      input_data: r.input,
      output_data: r.output,
      error: r.error,
      policies_evaluated: r.policiesEvaluated,
      policy_decision: r.policyDecision,
      policy_reason: r.policyReason,
      business_context: r.businessContext ?? {},
      execution_events: [],
      prev_hash: this.prevHash,
    };
    const body = this.redact(JSON.stringify(record));
    const hash = createHash("sha256").update(body).digest("hex");
    const line = `${body.slice(0, -1)},"record_hash":${JSON.stringify(hash)},"signature":null}\n`;
    appendFileSync(this.path, line, { mode: 0o600 });
    this.prevHash = hash;
  }

  private redact(text: string): string {
    return redactText(text, this.secrets.map((s) => JSON.stringify(s).slice(1, -1)));
  }
}
