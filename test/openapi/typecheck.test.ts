import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { REPO_ROOT, tempDir } from "../helpers.js";

const run = promisify(execFile);
const SPECS = readdirSync(join(REPO_ROOT, "specs")).filter((f) => /\.(json|ya?ml)$/.test(f));

describe("generated projects type-check under tsc --strict --noEmit", () => {
  it.each(SPECS)("%s", async (spec) => {
    const out = tempDir("mxcp-gen-tsc-");
    const result = await generateOpenApiProject(join(REPO_ROOT, "specs", spec), { out });
    mkdirSync(join(out, "node_modules"));
    symlinkSync(REPO_ROOT, join(out, "node_modules", "mxcp-gen"));
    const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    const { stdout } = await run(process.execPath, [tsc, "-p", join(out, "tsconfig.json"), "--strict", "--noEmit", "--noUnusedLocals"], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (e: { stdout: string }) => ({ stdout: e.stdout }),
    );
    expect(stdout.split("\n").slice(0, 20).join("\n")).toBe("");
    const toolsDir = join(out, "tools", result.api);
    expect(result.tools).toBe(existsSync(toolsDir) ? readdirSync(toolsDir).length : 0);
  });
});
