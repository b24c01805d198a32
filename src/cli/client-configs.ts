// The entry an MCP client needs to start this project's server, in each client's own format. Clients such
// as Claude Desktop do not inherit the shell's variables, so the variables the project's secrets read are
// put in the entry's `env` (placeholders unless their values are asked for).
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { homedir, platform } from "node:os";
import { join } from "node:path";
import { copyPrivateFile, writePrivateFile } from "../project/private-files.js";
import { parse } from "yaml";
import { commandLine } from "../pipeline/command-line.js";
import { PACKAGE_ROOT } from "../package-info.js";
import type { Project } from "../project/project.js";
import { userConfigPath } from "../project/user-config.js";
import { placeholderFor } from "../project/interpolate.js";

export const CLIENTS = ["claude", "cursor", "vscode", "claude-code"] as const;
export type ClientName = (typeof CLIENTS)[number];

interface ServerEntry {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The `${VAR}` names the active profile's secrets read, from the user config as written. */
export function secretVariables(project: Project, env: NodeJS.ProcessEnv): string[] {
  const path = userConfigPath(env);
  if (!existsSync(path)) return [];
  const raw = parse(readFileSync(path, "utf8")) as { projects?: Record<string, { profiles?: Record<string, { secrets?: unknown }> }> } | null;
  const secrets = raw?.projects?.[project.site.project]?.profiles?.[project.profile]?.secrets;
  return [...new Set([...JSON.stringify(secrets ?? []).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))].sort();
}

export function serverEntry(project: Project, opts: { profile?: string | undefined; expose?: string | undefined; withValues: boolean; env: NodeJS.ProcessEnv }): ServerEntry {
  const cli = realpathSync(join(PACKAGE_ROOT, "bin", "mxcp-gen.js"));
  const args = [cli, "serve", "--transport", "stdio", "--dir", project.root, ...(opts.profile ? ["--profile", opts.profile] : []), ...(opts.expose ? ["--expose", opts.expose] : [])];
  const env: Record<string, string> = {};
  // A user config somewhere else than ~/.mxcp must be named, or the client's server would not find it.
  if (opts.env.MXCP_CONFIG) env.MXCP_CONFIG = opts.env.MXCP_CONFIG;
  for (const name of secretVariables(project, opts.env)) env[name] = opts.withValues && opts.env[name] !== undefined ? opts.env[name]! : placeholderFor(name);
  return { name: project.site.project, command: process.execPath, args, env };
}

/** The entry as the client reads it: a JSON document, or (Claude Code) the command that adds it. */
export function clientConfig(client: ClientName, entry: ServerEntry): string {
  const server = { command: entry.command, args: entry.args, ...(Object.keys(entry.env).length > 0 ? { env: entry.env } : {}) };
  switch (client) {
    case "claude":
    case "cursor":
      return JSON.stringify({ mcpServers: { [entry.name]: server } }, null, 2);
    case "vscode":
      return JSON.stringify({ servers: { [entry.name]: { type: "stdio", ...server } } }, null, 2);
    case "claude-code":
      return commandLine(["claude", "mcp", "add", entry.name, ...Object.entries(entry.env).flatMap(([k, v]) => ["-e", `${k}=${v}`]), "--", entry.command, ...entry.args]);
  }
}

/** Claude Desktop's config file for this platform (`$MXCP_GEN_CLAUDE_CONFIG` overrides it). */
export function claudeDesktopConfigPath(env: NodeJS.ProcessEnv): string {
  if (env.MXCP_GEN_CLAUDE_CONFIG) return env.MXCP_GEN_CLAUDE_CONFIG;
  if (platform() === "darwin") return join(homedir(), "Library", "Application Support", "Claude", "claude_desktop_config.json");
  if (platform() === "win32") return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "Claude", "claude_desktop_config.json");
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "Claude", "claude_desktop_config.json");
}

/**
 * Merge the entry into Claude Desktop's config: a backup of the file first, other servers and settings kept,
 * an entry of the same name replaced. Returns the file and its backup (none when the file was new).
 */
export function installClaudeDesktop(entry: ServerEntry, path: string): { path: string; backup?: string; replaced: boolean } {
  let config: Record<string, unknown> = {};
  let backup: string | undefined;
  if (existsSync(path)) {
    const text = readFileSync(path, "utf8");
    try {
      config = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch (e) {
      throw new Error(`${path} is not valid JSON (${(e as Error).message}); fix it or move it away first`);
    }
    if (!config || typeof config !== "object" || Array.isArray(config)) throw new Error(`${path} does not hold a JSON object`);
    backup = `${path}.${new Date().toISOString().replace(/[:.]/g, "-")}.bak`;
    copyPrivateFile(path, backup);
  }
  const servers = (config.mcpServers && typeof config.mcpServers === "object" ? config.mcpServers : {}) as Record<string, unknown>;
  const replaced = Object.hasOwn(servers, entry.name);
  config.mcpServers = { ...servers, [entry.name]: { command: entry.command, args: entry.args, ...(Object.keys(entry.env).length > 0 ? { env: entry.env } : {}) } };
  // Its env may hold secret values (--with-env-values): owner-only, like the user config.
  writePrivateFile(path, JSON.stringify(config, null, 2) + "\n");
  return { path, ...(backup ? { backup } : {}), replaced };
}
