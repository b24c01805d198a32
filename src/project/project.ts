import { checkReplicaName, replicaFile } from "./replica.js";
import { settlePendingWrite, STATE_DIR } from "./file-set-journal.js";
import { isAbsolute, join, resolve } from "node:path";
import { loadEndpoints, type EndpointEntry } from "./endpoints.js";
import type { EndpointKind } from "./definitions.js";
import { ProjectError } from "./schema-errors.js";
import { findProjectRoot, loadSiteConfig, SITE_FILE, siteProfile, type SiteConfig, type SiteProfile } from "./site-config.js";
import { activeUserProfile, loadUserConfig, type UserConfig, type UserProfile } from "./user-config.js";

export interface LoadProjectOptions {
  /** Where to start looking for mxcp-site.yml; defaults to the current directory. */
  cwd?: string;
  /** `--profile`; wins over MXCP_PROFILE and the site's profile. */
  profile?: string;
  env?: NodeJS.ProcessEnv;
  /** Open DuckDB read-only whatever the profile says (`serve --readonly`). */
  readonly?: boolean;
  /** Validate only this endpoint in full; others (cached) are listed by name (`run`). */
  only?: { kind: EndpointKind; name: string };
  /** This process is one replica of several (`serve --replica`): its database and audit log are named for it. */
  replica?: string | undefined;
}

export interface Project {
  root: string;
  site: SiteConfig;
  profile: string;
  siteProfile: SiteProfile;
  userConfig: UserConfig;
  userProfile: UserProfile | undefined;
  endpoints: EndpointEntry[];
  duckdbPath: string;
  /** The replica this process is (`serve --replica`), if it is one. */
  replica?: string;
  duckdbReadonly: boolean;
  env: NodeJS.ProcessEnv;
}

export function loadProject(opts: LoadProjectOptions = {}): Project {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const env = opts.env ?? process.env;
  const root = findProjectRoot(cwd);
  if (!root) throw new ProjectError([{ file: SITE_FILE, path: "", message: `No ${SITE_FILE} found in ${cwd} or any folder above it` }]);
  // A regeneration that was killed half-way is finished (or its staging dropped) before anything reads the files.
  try {
    settlePendingWrite(root);
  } catch (e) {
    throw new ProjectError([{ file: STATE_DIR, path: "", message: (e as Error).message }]);
  }
  const site = loadSiteConfig(root);
  const profile = opts.profile ?? env.MXCP_PROFILE ?? site.profile;
  const sp = siteProfile(site, profile);
  const userConfig = loadUserConfig({ env, cwd, project: site.project, profile });
  const replica = opts.replica === undefined ? undefined : checkReplicaName(opts.replica);
  return {
    root,
    site,
    profile,
    siteProfile: sp,
    userConfig,
    userProfile: activeUserProfile(userConfig, site.project, profile),
    endpoints: loadEndpoints(root, site, opts.only),
    // Read-only replicas may share one file (DuckDB allows many readers); a writer has its own.
    duckdbPath: opts.readonly ? duckdbPath(root, site, profile, sp, env) : replicaFile(duckdbPath(root, site, profile, sp, env), replica),
    ...(replica ? { replica } : {}),
    duckdbReadonly: opts.readonly === true || sp.duckdb.readonly,
    env,
  };
}

/** MXCP_DUCKDB_PATH, else the profile's duckdb.path, else `<root>/data/db-<profile>.duckdb`. */
function duckdbPath(root: string, site: SiteConfig, profile: string, sp: SiteProfile, env: NodeJS.ProcessEnv): string {
  const configured = env.MXCP_DUCKDB_PATH ?? sp.duckdb.path;
  if (configured === ":memory:") {
    throw new ProjectError([{ file: SITE_FILE, path: `profiles.${profile}.duckdb.path`, message: "':memory:' is not supported; give a file path" }]);
  }
  if (configured) return isAbsolute(configured) ? configured : join(root, configured);
  return join(root, site.paths.data, `db-${profile}.duckdb`);
}
