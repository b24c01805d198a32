// Where a profile's audit log is: the profile's `audit.path`, else `<paths.audit>/logs-<profile>.jsonl`; a replica's
// named for it (`logs-<profile>-<replica>.jsonl`).
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join } from "node:path";
import type { Project } from "./project.js";
import { REPLICA_NAME, replicaFile } from "./replica.js";

export function auditLogPath(project: Project): string {
  const configured = project.siteProfile.audit.path;
  // Each replica has its own log: the records of one file form one hash chain.
  if (configured) return replicaFile(isAbsolute(configured) ? configured : join(project.root, configured), project.replica);
  return replicaFile(join(project.root, project.site.paths.audit, `logs-${project.profile}.jsonl`), project.replica);
}

/** The profile's audit log and every replica's beside it (`logs-<profile>-r1.jsonl`, …), those that exist. */
export function auditLogFiles(project: Project): string[] {
  const main = auditLogPath({ ...project, replica: undefined } as Project);
  const folder = dirname(main);
  const ext = extname(main);
  const stem = basename(main, ext);
  const replicas = existsSync(folder)
    ? readdirSync(folder)
        .filter((f) => f.startsWith(`${stem}-`) && f.endsWith(ext) && REPLICA_NAME.test(f.slice(stem.length + 1, f.length - ext.length)))
        .sort()
        .map((f) => join(folder, f))
    : [];
  return [main, ...replicas].filter((f) => existsSync(f));
}
