// Where a profile's audit log is: the profile's `audit.path`, else `<paths.audit>/logs-<profile>.jsonl`; a replica's
// named for it (`logs-<profile>-<replica>.jsonl`).
import { isAbsolute, join } from "node:path";
import type { Project } from "./project.js";
import { replicaFile } from "./replica.js";

export function auditLogPath(project: Project): string {
  const configured = project.siteProfile.audit.path;
  // Each replica has its own log: the records of one file form one hash chain.
  if (configured) return replicaFile(isAbsolute(configured) ? configured : join(project.root, configured), project.replica);
  return replicaFile(join(project.root, project.site.paths.audit, `logs-${project.profile}.jsonl`), project.replica);
}
