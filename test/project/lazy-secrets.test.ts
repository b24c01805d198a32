// Issue 16 item 6: one unset variable in a secret stops nothing but the tools that need that secret. `list`,
// `validate` and other tools work; the tool that needs it says which variable to set.
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir } from "../helpers.js";
import { stdioClient } from "../serve/servers.js";

describe("a secret whose variable is unset", () => {
  it("is only an error for the tools that use it", async () => {
    const dir = tempDir("mxcp-gen-lazy-secret-");
    expect((await runCli(["init", dir, "--project", "lazy"], { cwd: dir })).code).toBe(0);
    const gen = await runCli(["openapi", join(REPO_ROOT, "specs", "petstore3.yaml"), "--name", "pets", "--out", dir], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    writeFileSync(
      join(dir, "user.yml"),
      "mxcp: 1\nprojects:\n  lazy:\n    profiles:\n      default:\n        secrets:\n          - name: pets\n            type: api\n            parameters:\n              api_key: ${PETS_KEY_NOT_SET}\n              base_url: http://127.0.0.1:9\n",
    );
    const env = { MXCP_CONFIG: join(dir, "user.yml") };
    const list = await runCli(["list"], { cwd: dir, env });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("pets_get_pet_by_id");
    const validate = await runCli(["validate"], { cwd: dir, env });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).not.toContain("✗");
    const hello = await runCli(["run", "tool", "hello", "-p", "name=World"], { cwd: dir, env });
    expect(hello.code, hello.stderr).toBe(0);
    const pet = await runCli(["run", "tool", "pets_get_pet_by_id", "-p", "petId=1", "--json-output"], { cwd: dir, env });
    expect(pet.code).toBe(1);
    const out = JSON.parse(pet.stdout) as { error_object: Record<string, string> };
    expect(out.error_object.error).toBe("Secret not set");
    expect(out.error_object.message).toContain("Environment variable PETS_KEY_NOT_SET is not set");
    expect(out.error_object.fix).toContain("mxcp-gen secrets check");
    // Plain output carries the fix too, not only the JSON envelope.
    const plain = await runCli(["run", "tool", "pets_get_pet_by_id", "-p", "petId=1"], { cwd: dir, env });
    expect(plain.stderr).toContain("Environment variable PETS_KEY_NOT_SET is not set");
    expect(plain.stderr).toContain("Fix: Set it, then restart the server; `mxcp-gen secrets check`");
  }, 120_000);
});

// Issue 24 item 3: a client entry pasted without filling in its `<set VAR>` placeholder. The placeholder is
// "not set": the API never receives it, the tool names the variable, and the server says so once at start.
describe("a variable that still holds its client-entry placeholder", () => {
  it("is not set: nothing is sent upstream, the tool and the server's start say which variable to fill", async () => {
    const seen: string[] = [];
    const api = createServer((req, res) => {
      seen.push(`${req.url} ${JSON.stringify(req.headers)}`);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: 1, name: "rex", photoUrls: [] }));
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
    try {
      const dir = tempDir("mxcp-gen-placeholder-");
      const gen = await runCli(["openapi", join(REPO_ROOT, "specs", "petstore3.yaml"), "--name", "pets", "--out", dir], { cwd: dir });
      expect(gen.code, gen.stderr).toBe(0);
      const project = /^project: (.*)$/m.exec(readFileSync(join(dir, "mxcp-site.yml"), "utf8"))![1]!;
      const port = (api.address() as AddressInfo).port;
      writeFileSync(
        join(dir, "user.yml"),
        `mxcp: 1\nprojects:\n  ${project}:\n    profiles:\n      default:\n        secrets:\n          - name: pets\n            type: api\n            parameters:\n              api_key: \${PETS_API_KEY}\n              base_url: http://127.0.0.1:${port}/api/v3\n`,
      );
      // What `serve --print-config` writes into the entry's env when the value was not asked for.
      const env = { PETS_API_KEY: "<set PETS_API_KEY>" };
      const pet = await runCli(["run", "tool", "pets_get_pet_by_id", "-p", "petId=1", "--json-output"], { cwd: dir, env: { ...env, MXCP_CONFIG: join(dir, "user.yml") } });
      expect(pet.code).toBe(1);
      const out = JSON.parse(pet.stdout) as { error_object: Record<string, string> };
      expect(out.error_object.error).toBe("Secret not set");
      expect(out.error_object.message).toContain("Environment variable PETS_API_KEY is not set: it still holds the placeholder '<set PETS_API_KEY>'");

      const { client, stderr } = await stdioClient(dir, [], env);
      try {
        const called = await client.callTool({ name: "pets_get_pet_by_id", arguments: { petId: 1 } });
        expect(called.isError).toBe(true);
        expect(JSON.stringify(called.content)).toContain("PETS_API_KEY");
        const warnings = stderr().split("\n").filter((line) => line.includes("[warning] the 'pets' secret cannot be used"));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain("PETS_API_KEY");
      } finally {
        await client.close();
      }
      expect(seen).toEqual([]);
      // Filled in, the same entry reaches the API with the key.
      const filled = await runCli(["run", "tool", "pets_get_pet_by_id", "-p", "petId=1", "--json-output"], { cwd: dir, env: { PETS_API_KEY: "real-key", MXCP_CONFIG: join(dir, "user.yml") } });
      expect(filled.code, filled.stdout).toBe(0);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain('"api_key":"real-key"');
      // The placeholder written into the user config itself is not a credential either.
      writeFileSync(join(dir, "user.yml"), readFileSync(join(dir, "user.yml"), "utf8").replace("${PETS_API_KEY}", "'<set PETS_API_KEY>'"));
      const literal = await runCli(["run", "tool", "pets_get_pet_by_id", "-p", "petId=1", "--json-output"], { cwd: dir, env: { MXCP_CONFIG: join(dir, "user.yml") } });
      expect((JSON.parse(literal.stdout) as { error_object: Record<string, string> }).error_object.message).toContain("still the placeholder '<set PETS_API_KEY>'");
      expect(seen).toHaveLength(1);
    } finally {
      api.close();
    }
  }, 120_000);
});
