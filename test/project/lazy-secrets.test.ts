// Issue 16 item 6: one unset variable in a secret stops nothing but the tools that need that secret. `list`,
// `validate` and other tools work; the tool that needs it says which variable to set.
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir } from "../helpers.js";

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
