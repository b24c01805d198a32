import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { interpolate } from "./interpolate.js";
import { ProjectError, zodProblems } from "./schema-errors.js";
import { readYamlFile } from "./yaml-file.js";

const secretSchema = z.strictObject({
  name: z.string(),
  type: z.string(),
  parameters: z.record(z.string(), z.unknown()).default({}),
});

const userProfileSchema = z.strictObject({
  secrets: z.array(secretSchema).default([]),
  plugin: z.strictObject({ config: z.record(z.string(), z.record(z.string(), z.string())).default({}) }).optional(),
  auth: z.record(z.string(), z.unknown()).optional(),
  telemetry: z.record(z.string(), z.unknown()).optional(),
});

const userConfigSchema = z.strictObject({
  mxcp: z.union([z.literal(1), z.literal("1")]).default(1),
  projects: z.record(z.string(), z.strictObject({ profiles: z.record(z.string(), userProfileSchema).default({}) })).default({}),
  vault: z.record(z.string(), z.unknown()).optional(),
  onepassword: z.record(z.string(), z.unknown()).optional(),
  transport: z
    .strictObject({
      provider: z.enum(["streamable-http", "sse", "stdio"]).optional(),
      http: z
        .strictObject({
          port: z.number().int().optional(),
          host: z.string().optional(),
          stateless: z.boolean().optional(),
          /** mxcp-gen's addition: the bearer token `serve` requires over streamable HTTP. */
          token: z.string().optional(),
          /** The server's public base URL (MXCP's): its MCP endpoint is `<base_url>/mcp`, the resource tokens name. */
          base_url: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  models: z.record(z.string(), z.unknown()).optional(),
  logging: z.record(z.string(), z.unknown()).optional(),
});

export type UserConfig = z.infer<typeof userConfigSchema>;
export type UserProfile = Omit<z.infer<typeof userProfileSchema>, "secrets"> & { secrets: Secret[] };
/** A secret as loaded: `unresolved` says why its parameters could not be read (an unset variable, a missing file). */
export type Secret = z.infer<typeof secretSchema> & { unresolved?: string };

export function userConfigPath(env: NodeJS.ProcessEnv): string {
  return env.MXCP_CONFIG ?? join(homedir(), ".mxcp", "config.yml");
}

/**
 * Read the user config and resolve references in the top-level keys and the active project/profile only,
 * as MXCP's first load does. A missing file is an empty config.
 */
export function loadUserConfig(opts: { env: NodeJS.ProcessEnv; cwd: string; project: string; profile: string }): UserConfig {
  const path = userConfigPath(opts.env);
  if (!existsSync(path)) return userConfigSchema.parse({});
  const yaml = readYamlFile(path);
  const parsed = userConfigSchema.safeParse(yaml.value ?? {});
  if (!parsed.success) throw new ProjectError(zodProblems(path, parsed.error).map(yaml.locate));
  const config = parsed.data;
  const ctx = { env: opts.env, cwd: opts.cwd, file: path };
  const resolved: UserConfig = { ...config, projects: { ...config.projects } };
  for (const key of ["vault", "onepassword", "transport", "models", "logging"] as const) {
    if (config[key] !== undefined) (resolved as Record<string, unknown>)[key] = interpolate(config[key], [key], ctx);
  }
  const project = config.projects[opts.project];
  const profile = project?.profiles[opts.profile];
  if (project && profile) {
    const path = ["projects", opts.project, "profiles", opts.profile];
    const { secrets, ...rest } = profile;
    // A secret is resolved when it is used, not here: one unset variable must not stop `list`, `validate` or a
    // tool that needs another secret. What could not be resolved is kept with the secret, to be said then.
    const secretsResolved = secrets.map((secret, i) => {
      try {
        return { ...secret, parameters: interpolate(secret.parameters, [...path, "secrets", i, "parameters"], ctx) };
      } catch (e) {
        if (!(e instanceof ProjectError)) throw e;
        return { ...secret, parameters: {}, unresolved: e.message };
      }
    });
    resolved.projects[opts.project] = { profiles: { ...project.profiles, [opts.profile]: { ...interpolate(rest, path, ctx), secrets: secretsResolved } } };
  }
  return resolved;
}

export function activeUserProfile(config: UserConfig, project: string, profile: string): UserProfile | undefined {
  // Loaded by loadUserConfig, whose secrets may say they are unresolved.
  return config.projects[project]?.profiles[profile] as UserProfile | undefined;
}
