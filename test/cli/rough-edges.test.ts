// Issue 24 item 9: the small things a new user trips on, each with the message that says what to do.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir } from "../helpers.js";
import { serveFixture, stdioClient } from "../serve/servers.js";

describe("a new user's small mistakes", () => {
  it("an unknown flag: the close match, without Node's advice about positionals", async () => {
    const dir = tempDir("mxcp-gen-flag-");
    const r = await runCli(["openapi", "spec.yaml", "--outt", "x"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("Error: Unknown option '--outt'. Did you mean '--out'?");
    expect(r.stderr).not.toContain("positional");
  });

  it("a mistyped document name: the close match in its folder", async () => {
    const dir = tempDir("mxcp-gen-typo-");
    copyFileSync(join(REPO_ROOT, "specs", "petstore3.yaml"), join(dir, "petstore3.yaml"));
    const r = await runCli(["openapi", "petstor3.yaml", "--out", "p"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`No such file: ${join(dir, "petstor3.yaml")}. Did you mean ${join(dir, "petstore3.yaml")}?`);
    const far = await runCli(["openapi", "nothing-like-it.json", "--out", "p"], { cwd: dir });
    expect(far.stderr).toContain("No such file:");
    expect(far.stderr).not.toContain("Did you mean");
  });

  it("a port already taken: which process holds it, and --port", async () => {
    const dir = tempDir("mxcp-gen-port-");
    expect((await runCli(["init", dir, "--project", "taken"], { cwd: dir })).code).toBe(0);
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", r));
    try {
      const port = (holder.address() as AddressInfo).port;
      writeFileSync(join(dir, "user.yml"), "mxcp: 1\n");
      const r = await runCli(["serve", "--port", String(port)], { cwd: dir, env: { MXCP_CONFIG: join(dir, "user.yml") } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(r.stderr).toContain("--port N (--port 0 picks a free one)");
      if (process.platform === "linux") expect(r.stderr).toContain(`by process ${process.pid} (`);
    } finally {
      holder.close();
    }
  }, 60_000);

  it("cache stats after cache clear, for an API generated with --cache: empty for now, not 'generate with --cache'", async () => {
    const dir = tempDir("mxcp-gen-cache-empty-");
    const gen = await runCli(["openapi", join(REPO_ROOT, "specs", "petstore3.yaml"), "--name", "pets", "--out", dir, "--cache", "10m"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect((await runCli(["cache", "clear"], { cwd: dir })).code).toBe(0);
    const stats = await runCli(["cache", "stats"], { cwd: dir });
    expect(stats.stdout.trim()).toBe("No cached reads yet: pets (10m) caches its reads as the tools are called");
    const plain = tempDir("mxcp-gen-cache-none-");
    await runCli(["openapi", join(REPO_ROOT, "specs", "petstore3.yaml"), "--name", "pets", "--out", plain], { cwd: plain });
    expect((await runCli(["cache", "stats"], { cwd: plain })).stdout).toContain("generate with mxcp-gen openapi … --cache DURATION");
  }, 120_000);
});

describe("a user config that is not where MXCP_CONFIG says", () => {
  it("is said at start, with the folder a relative path was read from; a config that is there is not", async () => {
    const root = serveFixture();
    const missing = await stdioClient(root, [], { MXCP_CONFIG: "conf/user.yml" });
    await missing.client.listTools();
    await missing.client.close();
    expect(missing.stderr()).toContain("[warning] MXCP_CONFIG names conf/user.yml, which does not exist (a relative path is read from ");
    expect(missing.stderr()).toContain("no secrets are loaded");
    const present = await stdioClient(root);
    await present.client.listTools();
    await present.client.close();
    expect(present.stderr()).not.toContain("MXCP_CONFIG names");
  });
});
