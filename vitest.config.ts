import { defineConfig } from "vitest/config";
import { shared } from "./vitest.shared.js";

// The full suite runs the CLI from dist/: it is rebuilt first when the sources are newer (test/setup/fresh-dist.ts).
// Two test files at a time (vitest's default on two cores is one): most of a file's time is spent in the processes
// it starts, so two files share the cores well (860 s serially, 640 s so, on the 2-core development machine).
export default defineConfig({ ...shared, test: { ...shared.test, include: ["test/**/*.test.ts"], globalSetup: ["test/setup/fresh-dist.ts"], maxWorkers: 2 } });
