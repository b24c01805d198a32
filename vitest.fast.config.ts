// The fast tier (`npm run test:fast`): unit tests that need no build, no child process, no Prism and no npm
// install, for the edit-test loop. `npm test` runs everything, these included; test/architecture/fast-tier.test.ts
// keeps this list honest (every file exists and starts no process).
import { defineConfig } from "vitest/config";
import { shared } from "./vitest.shared.js";

export const FAST_TESTS = [
  "test/attack/documents.test.ts",
  "test/attack/lint.test.ts",
  "test/attack/requests.test.ts",
  "test/cli/flag-tables.test.ts",
  "test/emit/type-vocabulary.test.ts",
  "test/hardening/upstream-faults.test.ts",
  "test/model/naming.test.ts",
  "test/model/shared-rules.test.ts",
  "test/model/text-rules.test.ts",
  "test/model/verbs.test.ts",
  "test/openapi/api-name.test.ts",
  "test/openapi/schema-rules.test.ts",
  "test/openapi/types-check.test.ts",
  "test/project/engines.test.ts",
  "test/project/loading.test.ts",
  "test/quality/assertions.test.ts",
  "test/quality/policies.test.ts",
  "test/runtime/content.test.ts",
  "test/runtime/host.test.ts",
  "test/runtime/http-client.test.ts",
  "test/runtime/http-exchange.test.ts",
  "test/runtime/http-serialize.test.ts",
  "test/serve/auth-settings.test.ts",
  "test/serve/proxy-store.test.ts",
  "test/serve/client-metadata.test.ts",
  "test/serve/in-process.test.ts",
  "test/serve/listing-budget.test.ts",
  "test/surfaces/sandbox.test.ts",
  "test/surfaces/search-verbs.test.ts",
  "test/types/validate-output.test.ts",
  "test/wrap/prefix.test.ts",
  "test/wrap/type-rules.test.ts",
];

export default defineConfig({ ...shared, test: { ...shared.test, include: FAST_TESTS } });
