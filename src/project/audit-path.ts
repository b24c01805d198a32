// Where a profile's audit log is: the profile's `audit.path`, else `<paths.audit>/logs-<profile>.jsonl`.
import { isAbsolute, join } from "node:path";
import type { Project } from "./project.js";

export function auditLogPath(project: Project): string {
  const configured = project.siteProfile.audit.path;
  if (configured) return isAbsolute(configured) ? configured : join(project.root, configured);
  return join(project.root, project.site.paths.audit, `logs-${project.profile}.jsonl`);
}
