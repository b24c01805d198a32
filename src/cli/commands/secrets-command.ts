import { loadProject } from "../../project/project.js";
import { mergeSecret, neededSecrets, secretStatus } from "../../project/secrets-setup.js";
import { userConfigPath } from "../../project/user-config.js";
import type { SecretsValues } from "../command-flags.js";
import { CliError, printOk } from "../output.js";
import { askHidden, canAsk } from "../hidden-input.js";
import { AuthSettingsError, authSettings } from "../../server/auth/auth-settings.js";

/**
 * `mxcp-gen secrets check`: which secrets the project needs, which are set, which are missing (no value is
 * ever printed). `mxcp-gen secrets add <api> [--set key=value]…`: merge one into the user config.
 */
export async function secretsCommand(positionals: string[], flags: SecretsValues): Promise<number> {
  const [action, api] = positionals;
  const env = { ...process.env };
  const project = loadProject({ cwd: flags.dir, profile: flags.profile, env });
  if (action === "check") {
    const status = secretStatus(project);
    const auth = authStatus(project.userProfile?.auth);
    printOk({ config: userConfigPath(env), secrets: status.map((s) => (s.state === "set" ? s : { ...s, fix: secretFix(s.name, s.state) })), ...(auth ? { auth } : {}) }, flags, () =>
      status.length === 0 && !auth
        ? "This project uses no secrets."
        : [
            `User config: ${userConfigPath(env)} (project ${project.site.project}, profile ${project.profile})`,
            ...(auth ? [authLine(auth)] : []),
            ...status.map((s) => {
              const head = `${s.state === "set" ? "✓" : "✗"} ${s.name}: ${s.state === "set" ? "set" : s.state === "missing" ? "missing" : s.state === "incomplete" ? "incomplete" : s.state === "login" ? "sign-in needed" : `cannot be used (${s.problem})`}`;
              const params =
                s.state === "set" || s.state === "incomplete" || s.state === "login"
                  ? s.parameters.map((p) => `    ${p.state === "set" ? "✓" : p.required ? "✗" : "·"} ${p.name}${p.state === "set" ? "" : p.required ? " (not set; the client cannot be created without it)" : " (not set; only needed if your account uses it)"}`)
                  : [];
              const undeclared = s.noCredentials ? [`    ! the API's document declares no credentials, so its tools send none: ${s.noCredentials}`] : [];
              const perUser = s.perUser ? [signsUsersIn(auth) ? `    ✓ each call sends the caller's own token from their sign-in (auth: ${auth!.state === "set" ? auth!.provider : ""})` : `    ✗ each call sends the caller's own token, and this profile's auth signs nobody in to an API: ${PER_USER_FIX}`] : [];
              return [head, ...params, ...undeclared, ...perUser, ...(s.state === "set" ? [] : [`    Fix: ${secretFix(s.name, s.state)}`])].join("\n");
            }),
          ].join("\n"),
    );
    return status.some((s) => s.state !== "set" || (s.perUser && !signsUsersIn(auth))) || auth?.state === "unusable" ? 1 : 0;
  }
  if (action === "add") {
    if (!api) throw new CliError("usage: mxcp-gen secrets add <name> [--set key=value]…", 2);
    const need = neededSecrets(project).find((s) => s.name === api);
    const given: Record<string, string> = {};
    for (const pair of flags.set) {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new CliError(`--set takes key=value, got '${pair.slice(0, 40)}'`, 2);
      given[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    // At a terminal with nothing given, the user is asked for each credential (typed values are not shown).
    if (flags.set.length === 0 && canAsk()) Object.assign(given, await askCredentials(api, need?.samples ?? {}, need?.descriptions ?? {}, env));
    const parameters: Record<string, string> = { ...chosenSamples(api, need?.samples ?? {}, given, env), ...given };
    if (Object.keys(parameters).length === 0) throw new CliError(`No sample config names '${api}' and no --set was given: pass --set key=value for each parameter`, 2);
    const path = userConfigPath(env);
    const how = mergeSecret(path, project.site.project, project.profile, { name: api, type: "api", parameters });
    const fromEnv = Object.entries(parameters).flatMap(([k, v]) => (referenced(v) ? [`${k} from $${referenced(v)}`] : []));
    printOk({ config: path, secret: api, result: how, parameters: Object.keys(parameters).sort() }, flags, () =>
      [`${how === "created" ? "Created" : how === "replaced" ? "Updated" : "Added to"} ${path}: secret '${api}' for project ${project.site.project}, profile ${project.profile}.`, ...(fromEnv.length ? [`Read when a tool runs: ${fromEnv.join(", ")}.`] : [])].join("\n"),
    );
    return 0;
  }
  throw new CliError("usage: mxcp-gen secrets check | mxcp-gen secrets add <name> [--set key=value]…", 2);
}

type AuthStatus =
  | { state: "set"; mode: "resource-server"; provider: string; issuer: string; introspection: boolean }
  | { state: "set"; mode: "proxy"; provider: string; signs_in_at: string; client_id: string; callback_path: string; persistence: string | null }
  | { state: "unusable"; problem: string };

/** The profile's sign-in (`auth:`) as serve will read it: what it trusts, or why it cannot start. The secret is never shown. */
function authStatus(profileAuth: Record<string, unknown> | undefined): AuthStatus | undefined {
  try {
    const settings = authSettings(profileAuth);
    if (!settings) return undefined;
    if (settings.mode === "proxy") {
      return { state: "set", mode: "proxy", provider: settings.provider, signs_in_at: settings.issuer ?? settings.authUrl ?? "", client_id: settings.clientId, callback_path: settings.callbackPath, persistence: settings.persistencePath ?? null };
    }
    return { state: "set", mode: "resource-server", provider: settings.provider, issuer: settings.issuer, introspection: !!settings.clientId && !!settings.clientSecret };
  } catch (e) {
    if (e instanceof AuthSettingsError) return { state: "unusable", problem: e.message };
    throw e;
  }
}

const PER_USER_FIX = "set auth.provider to github, google, atlassian or salesforce (or oidc with mode: proxy) in the user config's profile, with your team's app, and serve over HTTP (docs/serving.md, Each user acts as themselves)";

/** Whether the server signs users in through a provider whose tokens reach the APIs (an OAuth proxy). */
function signsUsersIn(auth: AuthStatus | undefined): boolean {
  return auth?.state === "set" && auth.mode === "proxy";
}

function authLine(auth: AuthStatus): string {
  if (auth.state === "unusable") return `✗ auth: ${auth.problem}`;
  if (auth.mode === "proxy") {
    return `✓ auth: ${auth.provider} through this server (OAuth proxy): users sign in at ${auth.signs_in_at} with app ${auth.client_id}, which must list <public base>${auth.callback_path} as its callback${auth.persistence ? `; sign-ins kept in ${auth.persistence}` : "; sign-ins last until the server stops"}`;
  }
  return `✓ auth: ${auth.provider}, issuer ${auth.issuer}${auth.introspection ? ", with this server's credentials for opaque tokens" : ""}`;
}

/** The variable a whole-value `${VAR}` reference reads, else undefined. */
function referenced(value: string): string | undefined {
  return /^\$\{([A-Za-z_]\w*)\}$/.exec(value)?.[1];
}

/** The sample's credentials: the parameters it reads from a variable (its fixed values are not). */
function credentialsOf(samples: Record<string, string>): [key: string, reference: string][] {
  return Object.entries(samples).filter(([, v]) => referenced(v));
}

/**
 * The sample's values a new secret keeps. Fixed ones (the API's base URL) stay. Its `${VAR}` references are the
 * credentials the API accepts, usually alternatives (a token or an API key), and every reference kept must be set
 * when a tool runs: so `--set` for any of them keeps only what was set; otherwise the ones whose variable is set
 * now are kept, a lone reference is kept as it is, and a choice nobody made is refused with the choices.
 */
function chosenSamples(api: string, samples: Record<string, string>, given: Record<string, string>, env: NodeJS.ProcessEnv): Record<string, string> {
  const fixed = Object.entries(samples).filter(([, v]) => !referenced(v));
  const references = credentialsOf(samples);
  const keep = (chosen: [string, string][]) => Object.fromEntries([...fixed, ...chosen]);
  if (references.some(([k]) => Object.hasOwn(given, k))) return keep([]);
  if (references.length <= 1) return keep(references);
  const set = references.filter(([, v]) => env[referenced(v)!]);
  if (set.length > 0) return keep(set);
  const choices = references.map(([k, v]) => `${k} ($${referenced(v)})`).join(", ");
  throw new CliError(`The '${api}' API takes one of several credentials, ${choices}, and none of their variables is set`, 2, {
    fix: `Set the variable of the credential your account uses and run this again, or name it: mxcp-gen secrets add ${api} --set ${references[0]![0]}=VALUE (or --set '${references[0]![0]}=\${${referenced(references[0]![1])}}' to read it from the environment when a tool runs)`,
  });
}

function secretFix(name: string, state: "missing" | "unresolved" | "incomplete" | "login"): string {
  if (state === "missing") return `mxcp-gen secrets add ${name} [--set key=value]…`;
  if (state === "login") return `mxcp-gen login ${name} (signs you in at the API and keeps a refresh token in this secret)`;
  if (state === "incomplete") return `set the parameters marked ✗ (mxcp-gen secrets add ${name} --set key=value, or edit the user config)`;
  return `set the variables named above where the server runs (an MCP client passes its own env: mxcp-gen serve --print-config), remove the credentials your account does not use from the user config, or store values with mxcp-gen secrets add ${name} --set key=value`;
}

/** Each credential of the sample, asked for in turn; Enter skips one (its variable is read instead, when set). */
async function askCredentials(api: string, samples: Record<string, string>, descriptions: Record<string, string>, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const references = credentialsOf(samples);
  if (references.length === 0) return {};
  process.stderr.write(`The '${api}' secret: type the credentials your account uses (input is not shown); Enter skips one.\n`);
  const typed: Record<string, string> = {};
  for (const [key, value] of references) {
    const variable = referenced(value)!;
    const about = descriptions[key] ? ` — ${descriptions[key]}` : "";
    const fallback = env[variable] ? `, Enter reads $${variable}` : "";
    let answer: string;
    try {
      answer = await askHidden(`  ${key}${about}${fallback}: `);
    } catch {
      throw new CliError("Cancelled: the user config was not changed", 1);
    }
    if (answer.trim()) typed[key] = answer.trim();
    else if (env[variable]) typed[key] = value;
  }
  return typed;
}
