import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ProjectError, zodProblems } from "./schema-errors.js";
import { readYamlFile } from "./yaml-file.js";

export const SITE_FILE = "mxcp-site.yml";

const pathsSchema = z.strictObject({
  tools: z.string().default("tools"),
  resources: z.string().default("resources"),
  prompts: z.string().default("prompts"),
  evals: z.string().default("evals"),
  python: z.string().default("python"),
  plugins: z.string().default("plugins"),
  sql: z.string().default("sql"),
  drift: z.string().default("drift"),
  audit: z.string().default("audit"),
  data: z.string().default("data"),
});

const profileSchema = z.strictObject({
  duckdb: z.strictObject({ path: z.string().optional(), readonly: z.boolean().default(false) }).default({ readonly: false }),
  drift: z.strictObject({ path: z.string().optional() }).default({}),
  audit: z
    .strictObject({
      enabled: z.boolean().default(false),
      path: z.string().optional(),
      max_file_size: z.number().int().default(52_428_800),
    })
    .default({ enabled: false, max_file_size: 52_428_800 }),
});

const extensionSchema = z.union([
  z.string(),
  z.strictObject({ name: z.string(), repo: z.enum(["community", "core_nightly"]).optional() }),
]);

const sqlToolSchema = z.strictObject({ description: z.string().optional() });

const siteSchema = z.strictObject({
  mxcp: z.literal(1, { error: "MIGRATION REQUIRED: 'mxcp' must be the integer 1" }),
  project: z.string(),
  profile: z.string(),
  secrets: z
    .union([z.array(z.string()), z.string()])
    .transform((s) => (typeof s === "string" ? [s] : s))
    .default([]),
  plugin: z.array(z.strictObject({ name: z.string(), module: z.string(), config: z.string().optional() })).default([]),
  extensions: z.array(extensionSchema).default([]),
  dbt: z
    .strictObject({
      enabled: z.boolean().default(true),
      model_paths: z.array(z.string()).default(["models"]),
      analysis_paths: z.array(z.string()).default(["analyses"]),
      test_paths: z.array(z.string()).default(["tests"]),
      seed_paths: z.array(z.string()).default(["seeds"]),
      macro_paths: z.array(z.string()).default(["macros"]),
      snapshot_paths: z.array(z.string()).default(["snapshots"]),
      target_path: z.string().default("target"),
      clean_targets: z.array(z.string()).default(["target", "dbt_packages"]),
    })
    .optional(),
  sql_tools: z
    .strictObject({
      enabled: z.boolean().default(false),
      execute_sql_query: sqlToolSchema.optional(),
      list_tables: sqlToolSchema.optional(),
      get_table_schema: sqlToolSchema.optional(),
    })
    .optional(),
  paths: pathsSchema.default(pathsSchema.parse({})),
  profiles: z.record(z.string(), profileSchema).default({}),
});

export type SiteConfig = z.infer<typeof siteSchema>;
export type SiteProfile = z.infer<typeof profileSchema>;

/** The project root: the nearest folder, from `start` upwards, that holds mxcp-site.yml. */
export function findProjectRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, SITE_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Read and check mxcp-site.yml (never interpolated, as in MXCP). */
export function loadSiteConfig(root: string): SiteConfig {
  const yaml = readYamlFile(join(root, SITE_FILE), SITE_FILE);
  const parsed = siteSchema.safeParse(yaml.value ?? {});
  if (!parsed.success) throw new ProjectError(zodProblems(SITE_FILE, parsed.error).map(yaml.locate));
  return parsed.data;
}

/** The site's settings for one profile, with MXCP's defaults filled in. */
export function siteProfile(site: SiteConfig, profile: string): SiteProfile {
  return site.profiles[profile] ?? profileSchema.parse({});
}
