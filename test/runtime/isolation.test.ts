import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Database } from "../../src/runtime/database.js";
import { REPO_ROOT, tempDir } from "../helpers.js";

describe("the runtime stays small", () => {
  it("imports only Node built-ins, DuckDB and its own modules (no generator code)", () => {
    const dir = join(REPO_ROOT, "src", "runtime");
    const external = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(join(dir, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      for (const m of text.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']|import\(["']([^"']+)["']\)/g)) {
        const spec = m[1] ?? m[2]!;
        if (!spec.startsWith("./")) external.add(spec);
      }
    }
    expect([...external].sort()).toEqual(["@duckdb/node-api", "node:async_hooks", "node:crypto", "node:fs", "node:module", "node:path"]);
  });
});

describe("a database file locked by another process", () => {
  it("fails to open with an error naming the file, the process that holds it, and the remedies", async () => {
    const path = join(tempDir(), "locked.duckdb");
    const holder = spawn(
      process.execPath,
      ["--input-type=module", "-e", `import { DuckDBInstance } from "@duckdb/node-api"; const i = await DuckDBInstance.create(${JSON.stringify(path)}); console.log("held"); setInterval(() => {}, 1000);`],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on("data", (d: Buffer) => d.toString().includes("held") && resolve());
        holder.on("exit", (code) => reject(new Error(`holder exited ${code}`)));
      });
      const db = new Database({ path });
      await expect(db.open()).rejects.toThrow(new RegExp(`The DuckDB database ${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is in use by .*\\(PID ${holder.pid}\\).*--readonly`));
    } finally {
      holder.kill();
    }
  });
});
