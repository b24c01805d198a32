import { defineConfig } from "vitest/config";
import { shared } from "./vitest.shared.js";

// The full suite runs the CLI from dist/: it is rebuilt first when the sources are newer (test/setup/fresh-dist.ts).
export default defineConfig({ ...shared, test: { ...shared.test, include: ["test/**/*.test.ts"], globalSetup: ["test/setup/fresh-dist.ts"] } });
