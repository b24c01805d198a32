import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseDuration } from "../../model/selection.js";
import { auditLogFiles, auditLogPath } from "../../project/audit-path.js";
import { loadProject } from "../../project/project.js";
import { Database } from "../../runtime/database.js";
import type { LogValues } from "../command-flags.js";
import { CliError, printOk } from "../output.js";

interface AuditRecord {
  timestamp: string;
  operation_type: string;
  operation_name: string;
  operation_status: string;
  duration_ms: number;
  caller_type: string;
  user_id: string | null;
  error: string | null;
  policy_decision: string;
  [key: string]: unknown;
}

/** `10m`, `2h`, `1d`, `30s`, or an ISO time: the earliest timestamp shown. */
function sinceTime(text: string): number {
  if (/^\d+\s*[smhd]$/.test(text.trim())) return Date.now() - parseDuration(text, "--since") * 1000;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new CliError(`--since takes a duration (30s, 10m, 2h, 1d) or an ISO time, not '${text}'`, 2);
  return t;
}

/** `mxcp-gen log`: MXCP's audit log query, newest first. */
export async function logCommand(flags: LogValues): Promise<number> {
  const project = loadProject({ cwd: flags.dir, profile: flags.profile });
  const path = auditLogPath(project);
  // Replicas (`serve --replica`) each keep their own log beside the profile's: they are read together.
  const files = auditLogFiles(project);
  const limit = flags.limit === undefined ? 100 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliError("--limit must be a whole number of 1 or more", 2);
  if (flags.status !== undefined && !["success", "error"].includes(flags.status)) throw new CliError("--status takes success or error", 2);
  if (flags.type !== undefined && !["tool", "resource", "prompt"].includes(flags.type)) throw new CliError("--type takes tool, resource or prompt", 2);
  const since = flags.since === undefined ? undefined : sinceTime(flags.since);
  if (files.length === 0) {
    throw new CliError(`No audit log at ${path}: turn it on with profiles.${project.profile}.audit.enabled: true in mxcp-site.yml (or MXCP_AUDIT_ENABLED=1) and serve`, 1);
  }
  const records: AuditRecord[] = [];
  for (const file of files) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as AuditRecord);
      } catch {
        // a line cut short by a crash: the rest of the log still reads
      }
    }
  }
  if (files.length > 1) records.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const matching = records
    .filter((r) => (flags.tool === undefined || r.operation_name === flags.tool) && (flags.type === undefined || r.operation_type === flags.type))
    .filter((r) => flags.status === undefined || r.operation_status === flags.status)
    .filter((r) => since === undefined || Date.parse(r.timestamp) >= since)
    .reverse();
  if (flags.exportDuckdb !== undefined) {
    const file = resolve(flags.exportDuckdb);
    // DuckDB's JSON reader types the columns; every matching record goes, not only the first --limit.
    const staging = join(tmpdir(), `mxcp-gen-log-${process.pid}.json`);
    writeFileSync(staging, JSON.stringify(matching));
    const db = new Database({ path: file });
    try {
      await db.execute("CREATE OR REPLACE TABLE logs AS SELECT * FROM read_json_auto($staging)", { staging });
    } finally {
      await db.close();
    }
    printOk({ exported: matching.length, file, table: "logs" }, flags, () => `Exported ${matching.length} audit records to ${file} (table logs).`);
    return 0;
  }
  const shown = matching.slice(0, limit);
  printOk(shown, flags, () =>
    shown.length === 0
      ? "No audit records match."
      : [
          "time                      type      name                                 status   ms     caller  user",
          ...shown.map((r) =>
            [r.timestamp.padEnd(25), r.operation_type.padEnd(9), r.operation_name.padEnd(36), r.operation_status.padEnd(8), String(r.duration_ms).padEnd(6), r.caller_type.padEnd(7), r.user_id ?? "-"].join(" ") +
            (r.error ? `\n    ${r.error.slice(0, 300)}` : ""),
          ),
          ...(matching.length > shown.length ? [`(${matching.length - shown.length} older records not shown: --limit)`] : []),
        ].join("\n"),
  );
  return 0;
}
