// A worker thread running a module that sits beside the caller's. Built, both are .js. Run from source (the
// tests), they are .ts: the worker then registers tsx's loader in its own thread before importing its module.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/** `new Worker` for `./<name>.js` (or `.ts`) beside the module whose `import.meta.url` is `beside`. */
export function moduleWorker(beside: string, name: string, options: WorkerOptions = {}): Worker {
  if (!beside.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, beside), options);
  const tsx = pathToFileURL(createRequire(beside).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const worker = new URL(`./${name}.ts`, beside).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
