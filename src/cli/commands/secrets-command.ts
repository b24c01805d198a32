import { loadProject } from "../../project/project.js";
import { mergeSecret, neededSecrets, secretStatus } from "../../project/secrets-setup.js";
import { userConfigPath } from "../../project/user-config.js";
import type { SecretsValues } from "../command-flags.js";
import { CliError, printOk } from "../output.js";

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
    const problems = status.filter((s) => s.state !== "set" || s.parameters.some((p) => p.state === "missing"));
    printOk({ config: userConfigPath(env), secrets: status }, flags, () =>
      status.length === 0
        ? "This project uses no secrets."
        : [
            `User config: ${userConfigPath(env)} (project ${project.site.project}, profile ${project.profile})`,
            ...status.map((s) => {
              const head = `${s.state === "set" ? "✓" : "✗"} ${s.name}: ${s.state === "set" ? "set" : s.state === "missing" ? "missing" : `cannot be used (${s.problem})`}`;
              const params = s.state === "set" ? s.parameters.map((p) => `    ${p.state === "set" ? "✓" : "·"} ${p.name}${p.state === "set" ? "" : " (not set; only needed if your account uses it)"}`) : [];
              return [head, ...params].join("\n");
            }),
            ...(problems.some((s) => s.state !== "set") ? ["", "Add one with: mxcp-gen secrets add <name> [--set key=value]…"] : []),
          ].join("\n"),
    );
    return status.some((s) => s.state !== "set") ? 1 : 0;
  }
  if (action === "add") {
    const need = neededSecrets(project).find((s) => s.name === api);
    if (!api) throw new CliError("usage: mxcp-gen secrets add <name> [--set key=value]…", 2);
    const given: Record<string, string> = {};
    for (const pair of flags.set) {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new CliError(`--set takes key=value, got '${pair.slice(0, 40)}'`, 2);
      given[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    // A parameter not given keeps the sample's value: a `${VAR}` reference (read from the environment when a
    // tool runs) or a fixed one such as the API's own base URL.
    const parameters: Record<string, string> = { ...(need?.samples ?? {}), ...given };
    if (Object.keys(parameters).length === 0) throw new CliError(`No sample config names '${api}' and no --set was given: pass --set key=value for each parameter`, 2);
    const path = userConfigPath(env);
    const how = mergeSecret(path, project.site.project, project.profile, { name: api, type: "api", parameters });
    const fromEnv = Object.entries(parameters).filter(([, v]) => /^\$\{[A-Za-z_]\w*\}$/.test(v)).map(([k, v]) => `${k} from $${v.slice(2, -1)}`);
    printOk({ config: path, secret: api, result: how, parameters: Object.keys(parameters).sort() }, flags, () =>
      [`${how === "created" ? "Created" : how === "replaced" ? "Updated" : "Added to"} ${path}: secret '${api}' for project ${project.site.project}, profile ${project.profile}.`, ...(fromEnv.length ? [`Read when a tool runs: ${fromEnv.join(", ")}.`] : [])].join("\n"),
    );
    return 0;
  }
  throw new CliError("usage: mxcp-gen secrets check | mxcp-gen secrets add <name> [--set key=value]…", 2);
}
