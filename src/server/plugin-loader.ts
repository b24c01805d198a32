// Loading a project's plugins (mxcp-site.yml `plugin:`): TypeScript modules that define DuckDB functions.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { insideProject } from "../project/endpoints.js";
import type { Project } from "../project/project.js";
import type { Database } from "../runtime/database.js";
import { scalarFunction, type PluginDefinition } from "../runtime/plugins.js";
import { runtimeState } from "../runtime/state.js";
import { loadModule } from "./module-loader.js";

/** The site's plugins: each module's setup run with its config, its functions registered in DuckDB as `<name>_<plugin>`. */
export async function loadPlugins(project: Project, database: Database): Promise<void> {
  const state = runtimeState();
  const dir = join(project.root, project.site.paths.plugins);
  for (const p of project.site.plugin) {
    const file = [`${p.module}.ts`, `${p.module}/index.ts`, p.module].map((f) => join(dir, f)).find((f) => existsSync(f));
    if (!file) {
      state.log("error", `Plugin ${p.name}: module ${p.module} not found under ${project.site.paths.plugins}/`);
      continue;
    }
    // The same containment as a tool's source.file: by path and by link, nothing outside the project runs.
    if (!insideProject(project.root, file)) {
      state.log("error", `Plugin ${p.name}: module ${p.module} is outside the project; it is not loaded`);
      continue;
    }
    try {
      const mod = await loadModule(file);
      const def = (mod.default ?? mod.plugin) as PluginDefinition | undefined;
      if (!def || typeof def !== "object") throw new Error("the module has no default export from definePlugin()");
      const config = (p.config ? project.userProfile?.plugin?.config[p.config] : undefined) ?? {};
      const value = await def.setup?.(config);
      const functions: string[] = [];
      for (const [fname, fn] of Object.entries(def.functions ?? {})) {
        const sqlName = `${fname}_${p.name}`;
        await database.addFunction(() => scalarFunction(sqlName, fn));
        functions.push(sqlName);
      }
      state.plugins.set(p.name, { name: p.name, module: p.module, config, functions, value });
    } catch (e) {
      state.log("error", `Plugin ${p.name} failed to load: ${(e as Error).message}`);
    }
  }
}
