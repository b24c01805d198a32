// Issue 23 item 12: the fast tier (`npm run test:fast`) is what it says: every listed file exists, and none
// starts a process, builds, runs Prism or installs packages (the things that make the full suite slow).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FAST_TESTS } from "../../vitest.fast.config.js";
import { REPO_ROOT } from "../helpers.js";

const SLOW = /runCli|stdioClient|startHttpServer|httpClient|\bspawn|execFile|[Pp]rism|npm install|wrapPackageProject|generateOpenApiProject|\bCLI\b/;

describe("the fast tier", () => {
  it.each(FAST_TESTS)("%s exists and starts no process", (file) => {
    const path = join(REPO_ROOT, file);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, "utf8")).not.toMatch(SLOW);
  });
});
