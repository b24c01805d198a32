// Issue 21 item 11: a secret leaves in no form. A handler's own console.log, console.error and
// process.stderr.write reach stderr (which clients keep in log files) redacted; the base64 of a longer value that
// holds the secret at any byte alignment (`Bearer <token>`), and the secret upper- or lower-cased, are redacted
// in results too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { writeProject } from "../helpers.js";
import { stdioClient } from "../serve/servers.js";

const SECRET = "CNRYredact7f3a9Zq2Lm";
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("redaction of every way out", () => {
  let client: Client;
  let stderr: () => string;
  beforeAll(async () => {
    const root = writeProject({
      "mxcp-site.yml": "mxcp: 1\nproject: red\nprofile: d\nsecrets: [svc]\n",
      "user.yml": `mxcp: 1\nprojects:\n  red:\n    profiles:\n      d:\n        secrets:\n          - {name: svc, type: api, parameters: {api_key: ${SECRET}}}\n`,
      "tools/noisy.yml": "mxcp: 1\ntool:\n  name: noisy\n  description: Prints and returns the key in many forms\n  language: typescript\n  source: {file: ../handlers/noisy.ts}\n",
      "handlers/noisy.ts": `import { config } from "mxcp-gen/runtime";
export async function noisy() {
  const key = config.getSecret("svc")!.api_key as string;
  console.log("log:", key);
  console.error("error:", key.toUpperCase());
  process.stderr.write("raw:" + key + "\\n");
  const b = (s: string) => Buffer.from(s).toString("base64");
  return { bearer: b("Bearer " + key), one: b("a" + key + "z"), two: b("ab" + key), url: Buffer.from("x" + key).toString("base64url"), upper: key.toUpperCase(), lower: key.toLowerCase() };
}
`,
    });
    ({ client, stderr } = await stdioClient(root));
  }, 60_000);
  afterAll(async () => client?.close());

  it("the handler's own output reaches stderr without the secret", async () => {
    const r = (await client.callTool({ name: "noisy", arguments: {} })) as CallToolResult;
    expect(r.isError ?? false).toBe(false);
    await new Promise((res) => setTimeout(res, 200)); // stderr is a pipe: let it arrive
    const err = stderr();
    expect(err).toMatch(/log: \[REDACTED\]/);
    expect(err).toMatch(/raw:\[REDACTED\]/);
    expect(err.toLowerCase()).not.toContain(SECRET.toLowerCase());
  });

  it("base64 at every alignment and case-folded forms are redacted in the result", async () => {
    const r = (await client.callTool({ name: "noisy", arguments: {} })) as CallToolResult;
    const text = JSON.stringify(r);
    expect(text.toLowerCase()).not.toContain(SECRET.toLowerCase());
    for (const prefix of ["", "a", "ab", "Bearer "]) {
      // The characters that encode only the secret's bytes, for this alignment.
      const k = Buffer.byteLength(prefix) % 3;
      const whole = b64("\0".repeat(k) + SECRET);
      const inner = whole.slice(4 * Math.ceil(k / 3), 4 * Math.floor((k + SECRET.length) / 3));
      expect(text, prefix).not.toContain(inner);
      expect(text, prefix).not.toContain(b64(prefix + SECRET));
    }
    expect(text).toContain("[REDACTED]");
  });
});
