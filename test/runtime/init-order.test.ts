// Issue 13 item 16: init hooks registered by a handler module that loads on first use (as under `serve`)
// run one after another, in registration order, each awaited, before the call that loaded them, exactly as
// the same hooks do at start-up under `run`.
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { CLI, runCli, writeProject } from "../helpers.js";

const handler = `import { onInit } from "mxcp-gen/runtime";

const order: string[] = [];
onInit(() => {
  order.push("sync1");
});
onInit(async () => {
  await new Promise((r) => setTimeout(r, 200));
  order.push("async2");
});
onInit(() => {
  order.push("sync3");
});
onInit(async () => {
  order.push("sync4");
});

export async function hook_order(): Promise<{ order: string[] }> {
  return { order };
}
`;

function project(): string {
  const root = writeProject({
    "mxcp-site.yml": "mxcp: 1\nproject: hooks\nprofile: default\n",
    "tools/hook_order.yml": "mxcp: 1\ntool:\n  name: hook_order\n  description: The order the init hooks ran in.\n  language: typescript\n  source:\n    file: ../handlers/hooks.ts\n  return:\n    type: object\n    properties:\n      order: {type: array, items: {type: string}}\n",
    "handlers/hooks.ts": handler,
    "package.json": JSON.stringify({ private: true, type: "module" }),
  });
  return root;
}

describe("init hooks of a module loaded on first use", () => {
  it("run in registration order, each awaited, under serve as under run", async () => {
    const root = project();
    const ran = await runCli(["run", "tool", "hook_order", "--json-output"], { cwd: root });
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout).result).toEqual({ order: ["sync1", "async2", "sync3", "sync4"] });

    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve", "--transport", "stdio"], cwd: root, env: { PATH: process.env.PATH ?? "", HOME: root, MXCP_CONFIG: join(root, "none.yml") }, stderr: "pipe" });
    const client = new Client({ name: "t", version: "1" });
    await client.connect(transport);
    try {
      const served = await client.callTool({ name: "hook_order", arguments: {} });
      expect(served.structuredContent).toEqual({ order: ["sync1", "async2", "sync3", "sync4"] });
    } finally {
      await client.close();
    }
  }, 60_000);
});
