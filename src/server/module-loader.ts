import { register as registerHooks } from "node:module";
import { extname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// Handlers are `.ts` files loaded as they are (no build step for the user), always as ES modules, and their
// `import ... from "mxcp-gen/runtime"` must reach this process's runtime even when the project
// has no node_modules. Both are Node module hooks, installed once per process.
const ALIAS_HOOKS = `
let runtimeUrl;
export async function initialize(data) { runtimeUrl = data.runtimeUrl; }
export async function resolve(specifier, context, next) {
  if (specifier === "mxcp-gen/runtime") return { url: runtimeUrl, shortCircuit: true };
  const resolved = await next(specifier, context);
  // Handlers are ES modules even in a project without "type": "module" (an MXCP project has no package.json).
  if (resolved.url.startsWith("file:") && resolved.url.endsWith(".ts") && !resolved.url.includes("/node_modules/")) return { ...resolved, format: "module" };
  return resolved;
}
`;

let installed: Promise<void> | undefined;

function runtimeUrl(): string {
  const ext = extname(fileURLToPath(import.meta.url));
  return new URL(`../runtime/index${ext}`, import.meta.url).href;
}

function installHooks(): Promise<void> {
  // tsx is loaded here, when the first handler is, not at start: loading and registering it takes about 0.2 s.
  return (installed ??= import("tsx/esm/api").then(({ register }) => {
    register();
    registerHooks(`data:text/javascript,${encodeURIComponent(ALIAS_HOOKS)}`, { data: { runtimeUrl: runtimeUrl() } });
  }));
}

const cache = new Map<string, Promise<Record<string, unknown>>>();

/** Import a handler or plugin module once; later calls share the first import. */
export function loadModule(file: string): Promise<Record<string, unknown>> {
  let p = cache.get(file);
  if (!p) {
    p = installHooks().then(() => import(pathToFileURL(file).href) as Promise<Record<string, unknown>>);
    cache.set(file, p);
  }
  return p;
}
