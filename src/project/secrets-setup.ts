// What `mxcp-gen secrets check|add` needs: the secrets a project asks for (mxcp-site.yml, and the parameters
// each generated API's sample config names), what the user config has of them, and merging one in while
// keeping the file's comments, other projects and other secrets.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isSeq, parse, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import { namesCaller } from "../runtime/caller-token.js";
import { writePrivateFile } from "./private-files.js";
import type { Project } from "./project.js";

/** Begins the sample's comment line for a document that declares no credentials; the advice follows it. */
export const NO_CREDENTIALS_MARK = "No credentials:";

/** The sample's comment line for an API whose users sign in (its OAuth authorization code flow). */
export const LOGIN_MARK = "Sign in: mxcp-gen login";

/** Begins the sample's comment line for an API called with each caller's own token (`openapi --auth user`). */
export const PER_USER_MARK = "Per user: each call sends";

export interface NeededSecret {
  name: string;
  /** The document declares no credentials: what to regenerate with. */
  noCredentials?: string;
  /** The parameters the generated sample config names (empty when there is no sample). */
  parameters: string[];
  /** The sample's value per parameter: a `${VAR}` reference, or a fixed value such as a base URL. */
  samples: Record<string, string>;
  /** What each parameter is, from the sample's header comment (`#   token: Bearer token`). */
  descriptions: Record<string, string>;
  /** The user signs in (mxcp-gen login), which keeps a refresh_token in the secret. */
  login?: boolean;
  /** Each caller's own token is sent (the server signs users in); the secret keeps none. */
  perUser?: boolean;
}

export interface SecretStatus {
  name: string;
  state: "set" | "missing" | "unresolved" | "incomplete" | "login";
  /** The document declares no credentials: what to regenerate with. */
  noCredentials?: string;
  /** Each caller's own token is sent. */
  perUser?: boolean;
  /** Why it cannot be used (an unset variable), without any value. */
  problem?: string;
  parameters: { name: string; state: "set" | "missing"; /** The client cannot be created without it (or one of its choices). */ required?: boolean }[];
}

/** The secrets the project names, with the parameters their samples list. */
export function neededSecrets(project: Project): NeededSecret[] {
  const names = new Set<string>(project.site.secrets ?? []);
  const samples = new Map<string, Record<string, string>>();
  const descriptions = new Map<string, Record<string, string>>();
  const noCredentials = new Map<string, string>();
  const login = new Set<string>();
  const perUser = new Set<string>();
  for (const file of readdirSync(project.root).filter((f) => /^config\..+\.sample\.yml$/.test(f)).sort()) {
    const text = readFileSync(join(project.root, file), "utf8");
    const described = Object.fromEntries([...text.matchAll(/^# {3}([A-Za-z_][\w-]*): (.+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const doc = parse(text) as { projects?: Record<string, { profiles?: Record<string, { secrets?: { name: string; parameters?: Record<string, unknown> }[] }> }> };
    for (const p of Object.values(doc?.projects ?? {})) {
      for (const profile of Object.values(p.profiles ?? {})) {
        for (const s of profile.secrets ?? []) {
          names.add(s.name);
          samples.set(s.name, Object.fromEntries(Object.entries(s.parameters ?? {}).map(([k, v]) => [k, String(v)])));
          descriptions.set(s.name, described);
          const advice = text.split("\n").find((line) => line.startsWith(`# ${NO_CREDENTIALS_MARK} `));
          if (advice) noCredentials.set(s.name, advice.slice(`# ${NO_CREDENTIALS_MARK} `.length));
          if (text.split("\n").some((line) => line.startsWith(`# ${LOGIN_MARK} `))) login.add(s.name);
          if (text.split("\n").some((line) => line.startsWith(`# ${PER_USER_MARK} `))) perUser.add(s.name);
        }
      }
    }
  }
  return [...names].sort().map((name) => ({
    name,
    parameters: Object.keys(samples.get(name) ?? {}),
    samples: samples.get(name) ?? {},
    descriptions: descriptions.get(name) ?? {},
    ...(noCredentials.has(name) ? { noCredentials: noCredentials.get(name)! } : {}),
    ...(login.has(name) ? { login: true } : {}),
    ...(perUser.has(name) ? { perUser: true } : {}),
  }));
}

/**
 * The required parameters a generated sample marks (`#   api_key: required; …`, `#   token: required, or one of
 * api_key; …`), each with the parameters any of which satisfies it.
 */
function requiredChoices(descriptions: Record<string, string>): Map<string, string[]> {
  const choices = new Map<string, string[]>();
  for (const [name, text] of Object.entries(descriptions)) {
    const m = /^required(?:, or one of ([\w, ]+))?;/.exec(text);
    if (m) choices.set(name, [name, ...(m[1]?.split(/,\s*/) ?? [])]);
  }
  return choices;
}

/** Which needed secrets the active profile has, and which of their parameters. No value is returned. */
export function secretStatus(project: Project): SecretStatus[] {
  return neededSecrets(project).map((need) => {
    // Per user when the API was generated so, or when the user config says a credential is the caller's own.
    const secret = (project.userProfile?.secrets ?? []).find((x) => x.name === need.name);
    const perUser = need.perUser || (secret && !secret.unresolved && namesCaller(secret.parameters));
    return { ...statusOf(project, need), ...(need.noCredentials ? { noCredentials: need.noCredentials } : {}), ...(perUser ? { perUser: true } : {}) };
  });
}

function statusOf(project: Project, need: NeededSecret): SecretStatus {
  const secret = (project.userProfile?.secrets ?? []).find((s) => s.name === need.name);
  if (!secret) return { name: need.name, state: "missing", parameters: need.parameters.map((p) => ({ name: p, state: "missing" })) };
  if (secret.unresolved) return { name: need.name, state: "unresolved", problem: secret.unresolved, parameters: need.parameters.map((p) => ({ name: p, state: "missing" })) };
  const given = (k: string) => secret.parameters[k] !== undefined && secret.parameters[k] !== null && secret.parameters[k] !== "";
  // A required parameter is missing unless it, or one of its choices, is set.
  const choices = requiredChoices(need.descriptions);
  const parameters = need.parameters.map((p) => {
    const needed = choices.get(p);
    const required = needed !== undefined && !needed.some(given);
    return { name: p, state: given(p) ? ("set" as const) : ("missing" as const), ...(required ? { required: true } : {}) };
  });
  if (parameters.some((p) => p.required)) return { name: need.name, state: "incomplete", parameters };
  // An API users sign in to needs the refresh token login keeps (or an access token given by hand).
  if (need.login && !given("refresh_token") && !given("token") && !given("access_token")) return { name: need.name, state: "login", parameters };
  return { name: need.name, state: "set", parameters };
}

/**
 * Set one parameter of a secret in the user config, keeping the others as written (`${VAR}` references stay
 * references); the secret is made when missing. The file stays the owner's alone (0600).
 */
export function setSecretParameter(path: string, project: string, profile: string, name: string, key: string, value: string): void {
  const doc = existsSync(path) ? parseDocument(readFileSync(path, "utf8")) : parseDocument("mxcp: 1\n");
  if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
  if (!isMap(doc.contents)) throw new Error(`${path}: not a YAML mapping`);
  const secrets = secretsOf(doc.contents as YAMLMap, project, profile);
  let secret = secrets.items.find((item) => isMap(item) && item.get("name") === name) as YAMLMap | undefined;
  if (!secret) {
    secret = doc.createNode({ name, type: "api", parameters: {} }) as YAMLMap;
    secrets.items.push(secret);
  }
  const parameters = child(secret, "parameters", () => new YAMLMap()) as YAMLMap;
  parameters.set(key, value);
  writePrivateFile(path, doc.toString());
}

/** The profile's `secrets` list in a user config document, made where missing. */
function secretsOf(root: YAMLMap, project: string, profile: string): YAMLSeq {
  if (!root.has("mxcp")) root.set("mxcp", 1);
  const projects = child(root, "projects", () => new YAMLMap()) as YAMLMap;
  const proj = child(projects, project, () => new YAMLMap()) as YAMLMap;
  const profiles = child(proj, "profiles", () => new YAMLMap()) as YAMLMap;
  const prof = child(profiles, profile, () => new YAMLMap()) as YAMLMap;
  return child(prof, "secrets", () => new YAMLSeq()) as YAMLSeq;
}

function child(map: YAMLMap, key: string, make: () => YAMLMap | YAMLSeq): YAMLMap | YAMLSeq {
  const existing = map.get(key, true);
  if (isMap(existing) || isSeq(existing)) return existing;
  const made = make();
  map.set(key, made);
  return made;
}

/**
 * Put one secret into the user config file (created, with its folder, when missing) for this project and
 * profile: an entry of the same name is replaced; comments, other projects and other secrets stay.
 */
export function mergeSecret(path: string, project: string, profile: string, secret: { name: string; type: string; parameters: Record<string, string> }): "created" | "added" | "replaced" {
  const existed = existsSync(path);
  const doc = existed ? parseDocument(readFileSync(path, "utf8")) : parseDocument("mxcp: 1\n");
  if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
  if (!isMap(doc.contents)) throw new Error(`${path}: not a YAML mapping`);
  const secrets = secretsOf(doc.contents as YAMLMap, project, profile);
  const node = doc.createNode(secret);
  const index = secrets.items.findIndex((item) => isMap(item) && item.get("name") === secret.name);
  if (index >= 0) secrets.items[index] = node;
  else secrets.items.push(node);
  writePrivateFile(path, doc.toString());
  return !existed ? "created" : index >= 0 ? "replaced" : "added";
}
