// What both test configs share: the full suite (vitest.config.ts) and the fast tier (vitest.fast.config.ts).
import { fileURLToPath } from "node:url";

export const shared = {
  resolve: {
    // In-process tests load handler modules through Vite; point them at the same runtime source the test imports.
    alias: { "mxcp-gen/runtime": fileURLToPath(new URL("./src/runtime/index.ts", import.meta.url)) },
  },
  test: { testTimeout: 60_000, hookTimeout: 60_000, pool: "forks" as const },
};
