// Issue 22, proven on real SDKs from npm that no test or built-in profile was written for: eleven packages from
// eleven makers, each wrapped with no flags into one project that validates and compiles under tsc --strict; the
// main call of seven reaches a local stand-in through `mxcp-gen run tool` with the key from the user config.
// The table of these SDKs in docs/wrap.md is read here, so its tool counts are the ones this run generated.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, type CliResult } from "../helpers.js";
import { project, recordingServer, typeCheckOutput, type RecordedRequest } from "./sdk-project.js";

interface RealSdk {
  package: string;
  /** The tool prefix and secret name wrap chose. */
  prefix: string;
  /** The SDK's main call, as a tool. */
  main: string;
}

const SDKS: RealSdk[] = [
  { package: "resend", prefix: "resend", main: "resend_emails_send" },
  { package: "postmark", prefix: "postmark", main: "postmark_send_email" },
  { package: "@slack/web-api", prefix: "slack", main: "slack_chat_post_message" },
  { package: "@notionhq/client", prefix: "notion", main: "notion_search" },
  { package: "replicate", prefix: "replicate", main: "replicate_run" },
  { package: "@qdrant/js-client-rest", prefix: "qdrant", main: "qdrant_search" },
  { package: "meilisearch", prefix: "meilisearch", main: "meilisearch_index_search" },
  { package: "@clerk/backend", prefix: "clerk", main: "clerk_users_get_user_list" },
  { package: "algoliasearch", prefix: "algoliasearch", main: "algoliasearch_search_single_index" },
  { package: "@upstash/redis", prefix: "redis", main: "redis_get" },
  { package: "@supabase/supabase-js", prefix: "supabase", main: "supabase_rpc" },
];

/** docs/wrap.md's rows: package → tools. */
function readmeCounts(): Map<string, number> {
  const readme = readFileSync(join(REPO_ROOT, "docs", "wrap.md"), "utf8");
  const rows = [...readme.matchAll(/^\| `([^`]+)` \| [^|]+ \| (\d+) \|/gm)];
  return new Map(rows.map((m) => [m[1]!, Number(m[2])]));
}

describe("real SDKs from npm, wrapped with no flags", () => {
  let dir: string;
  const generated = new Map<string, CliResult>();
  let server: Awaited<ReturnType<typeof recordingServer>>;

  beforeAll(async () => {
    dir = project(...SDKS.map((s) => s.package));
    // Each answer fits the SDK that asks (Upstash pipelines its commands; Slack wants ok: true).
    server = await recordingServer((r: RecordedRequest) =>
      r.url === "/pipeline" ? [{ result: "v1" }] : r.url.startsWith("/chat.postMessage") ? { ok: true, channel: "C1", ts: "1.0" } : { id: "x1", object: "list", results: [], hits: [], data: [] },
    );
    for (const sdk of SDKS) generated.set(sdk.package, await runCli(["wrap", sdk.package], { cwd: dir }));
  }, 600_000);

  afterAll(() => server?.close());

  it("each generates its main call; the project validates and compiles; docs/wrap.md lists each with this run's tool count", async () => {
    const counts = readmeCounts();
    for (const sdk of SDKS) {
      const gen = generated.get(sdk.package)!;
      expect(gen.code, `${sdk.package}: ${gen.stderr}`).toBe(0);
      const tools = Number(/: (\d+) tools in/.exec(gen.stdout)?.[1]);
      expect(counts.get(sdk.package), `docs/wrap.md row for ${sdk.package}`).toBe(tools);
      expect(readFileSync(join(dir, "tools", sdk.prefix, `${sdk.main}.yml`), "utf8"), sdk.package).toContain(`name: ${sdk.main}`);
    }
    // The database client's main API is a builder chain: said, not silently missing.
    expect(generated.get("@supabase/supabase-js")!.stderr).toContain("from(…) starts a builder chain");
    const validate = await runCli(["validate"], { cwd: dir });
    expect(validate.stdout).not.toContain("✗");
    expect(validate.stdout).toMatch(/(\d+) of \1 endpoints valid/);
    expect(await typeCheckOutput(dir)).toBe("");
  }, 300_000);

  it("the main calls reach a local stand-in through mxcp-gen run tool, with the key from the user config", async () => {
    const secrets = SDKS.map((s) => `          - name: ${s.prefix}\n            type: api\n            parameters:\n              api_key: "key-${s.prefix}-canary"\n              base_url: "${server.base}"\n`).join("");
    const project = /^project: (.*)$/m.exec(readFileSync(join(dir, "mxcp-site.yml"), "utf8"))![1]!;
    writeFileSync(join(dir, "user.yml"), `mxcp: 1\nprojects:\n  ${project}:\n    profiles:\n      default:\n        secrets:\n${secrets}`);
    writeFileSync(join(dir, "email.json"), JSON.stringify({ from: "a@example.com", to: "b@example.com", subject: "Hi", text: "hello" }));
    writeFileSync(join(dir, "message.json"), JSON.stringify({ channel: "C1", text: "hello" }));
    const env = { MXCP_CONFIG: join(dir, "user.yml") };
    const calls: { tool: string; params: string[]; expect: Partial<RecordedRequest>; key: (r: RecordedRequest) => string | undefined }[] = [
      { tool: "resend_emails_send", params: ["payload=@email.json"], expect: { method: "POST", url: "/emails" }, key: (r) => r.auth },
      { tool: "postmark_send_email", params: ["From=a@example.com", "To=b@example.com", "Subject=Hi"], expect: { method: "POST", url: "/email" }, key: (r) => String(r.headers["x-postmark-server-token"]) },
      { tool: "slack_chat_post_message", params: ["options=@message.json"], expect: { method: "POST", url: "/chat.postMessage" }, key: (r) => r.auth },
      { tool: "notion_search", params: ["query=roadmap"], expect: { method: "POST", url: "/v1/search" }, key: (r) => r.auth },
      { tool: "meilisearch_index_search", params: ["indexUid=movies", "query=star"], expect: { method: "POST", url: "/indexes/movies/search" }, key: (r) => r.auth },
      { tool: "clerk_users_get_user_list", params: [], expect: { method: "GET", url: "/v1/users" }, key: (r) => r.auth },
      { tool: "redis_get", params: ["key=k1"], expect: { method: "POST", url: "/pipeline" }, key: (r) => r.auth },
    ];
    for (const call of calls) {
      const before = server.seen.length;
      const r = await runCli(["run", "tool", call.tool, ...call.params.flatMap((p) => ["-p", p])], { cwd: dir, env });
      expect(r.code, `${call.tool}: ${r.stdout}${r.stderr}`).toBe(0);
      const sent = server.seen.slice(before).find((s) => s.url === call.expect.url);
      expect(sent, `${call.tool} reached ${call.expect.url}; saw ${server.seen.slice(before).map((s) => s.url).join(", ")}`).toMatchObject(call.expect);
      const prefix = call.tool.split("_")[0]!;
      expect(call.key(sent!), call.tool).toContain(`key-${prefix}-canary`);
    }
  }, 300_000);
});
