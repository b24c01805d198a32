// One of several processes serving the same project (`serve --replica NAME`): each keeps its own DuckDB file and
// audit log, named for it, so replicas on one machine never share a database lock or an audit hash chain.
import { extname } from "node:path";
import { ProjectError } from "./schema-errors.js";

export const REPLICA_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A replica's name: lower-case letters, digits and inner dashes, at most 63 (a DNS label, as a pod's name is). */
export function checkReplicaName(name: string): string {
  if (!REPLICA_NAME.test(name)) throw new ProjectError([{ file: "", path: "--replica", message: `'${name}' is not a replica name: use lower-case letters, digits and inner dashes, at most 63 (such as r1, or the pod's name)` }]);
  return name;
}

/** `data/db-default.duckdb` → `data/db-default-r1.duckdb`. */
export function replicaFile(path: string, replica: string | undefined): string {
  if (!replica) return path;
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}-${replica}${ext}`;
}
