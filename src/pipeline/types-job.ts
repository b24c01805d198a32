// The types of a generation, made in a worker thread beside the main one. The worker starts first, so loading
// openapi-typescript and TypeScript (about half a second) overlaps reading the document; the document is posted
// (a structured clone: the main thread pays only its serialization) as soon as it is read, and the main thread
// builds the model and renders the rest meanwhile. Where a worker cannot start or fails, the same step runs here.
import type { OpenAPI3 } from "openapi-typescript";
import type { Worker } from "node:worker_threads";
import { moduleWorker } from "../module-worker.js";
import type { TypesResult } from "../emit/checked-types.js";

export interface TypesJob {
  /** Hand the document over as soon as it is read: the worker gets a copy of it as it is now. */
  post(document: OpenAPI3): void;
  /**
   * The checked types for the posted document; where there was no worker, or it failed, they are made here from
   * `final` (the generator's finished, confined document, which is consumed).
   */
  result(final: OpenAPI3): Promise<TypesResult>;
  /** Stop the worker when the generation ends without it (a broken document). */
  cancel(): void;
}

export function startTypesJob(): TypesJob {
  let worker: Worker | undefined;
  let answer: Promise<TypesResult | undefined> | undefined;
  try {
    worker = moduleWorker(import.meta.url, "types-worker");
    // An error before `post` (a worker that cannot load) is seen by `result`, which falls back.
    worker.on("error", () => {});
  } catch {
    worker = undefined;
  }
  return {
    post(document) {
      const w = worker;
      if (!w) return;
      answer = new Promise((resolve) => {
        w.once("message", (m: { ok: true; result: TypesResult } | { ok: false; message: string }) => resolve(m.ok ? m.result : undefined));
        w.once("error", () => resolve(undefined));
        w.once("exit", () => resolve(undefined));
      });
      w.postMessage(document);
    },
    async result(final) {
      const result = answer ? await answer : undefined;
      void worker?.terminate();
      if (result) return result;
      const { checkedTypes } = await import("../emit/checked-types.js");
      return checkedTypes(final);
    },
    cancel() {
      void worker?.terminate();
    },
  };
}
