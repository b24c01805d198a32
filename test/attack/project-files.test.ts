// Issue 21 items 14 and 15: what a hostile project file can make the loader run or accept. A plugin module
// outside the project (by path or by link) is never loaded; a regeneration that died half-way is finished or
// refused by every loader, and two generations into one folder do not interleave.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProjectHost } from "../../src/server/host.js";
import { tempDir, writeProject } from "../helpers.js";

describe("item 14: plugin modules stay inside the project", () => {
  it("a ../ module and a link that leads outside are refused, and neither runs", async () => {
    const outside = tempDir();
    const marker = join(outside, "ran.txt");
    const evil = `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker)}, "ran");\nexport default { functions: {} };\n`;
    writeFileSync(join(outside, "evilplugin.ts"), evil);
    mkdirSync(join(outside, "linked"));
    writeFileSync(join(outside, "linked", "index.ts"), evil);
    const root = writeProject({
      "mxcp-site.yml": `mxcp: 1\nproject: plug\nprofile: d\nplugin:\n  - {name: up, module: ${JSON.stringify(join("..".repeat(1), "..", "..", "..", "..", "..", "..", outside, "evilplugin"))}}\n  - {name: link, module: linked}\n`,
      "user.yml": "mxcp: 1\n",
      "plugins/.keep": "",
    });
    symlinkSync(join(outside, "linked"), join(root, "plugins", "linked"));
    const logs: string[] = [];
    const host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: (_l, m) => logs.push(m) });
    await host.start();
    await host.shutdown();
    expect(existsSync(marker)).toBe(false);
    expect(logs.filter((l) => /outside the project; it is not loaded/.test(l))).toHaveLength(2);
  });
});
