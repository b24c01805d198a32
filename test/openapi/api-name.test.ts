// Issue 16 item 11: the default API name is short and readable: the server host's own name, else the
// title's first meaningful word, kept whole, at most 16 characters.
import { describe, expect, it } from "vitest";
import { defaultApiName } from "../../generators/openapi/index.js";

const rows: [string, string | undefined, string, string][] = [
  ["GitHub's official OpenAPI spec + Octokit extension", "https://api.github.com", "github", "host"],
  ["GitHub's official OpenAPI spec + Octokit extension", undefined, "github", "title"],
  ["Box Platform API", "https://api.box.com/2.0", "box", "host"],
  ["Blockfrost.io ~ API Documentation", "https://cardano-mainnet.blockfrost.io/api/v0", "blockfrost", "host"],
  ["Twilio - Verify", "https://verify.twilio.com", "twilio", "host"],
  ["The Jira Cloud platform REST API", "https://your-domain.atlassian.net", "atlassian", "host"],
  ["The Jira Cloud platform REST API", "https://api.example.com/v1", "jira", "title"],
  ["Swagger Petstore - OpenAPI 3.0", "/api/v3", "petstore", "title"],
  ["A Remarkably Longwinded Servicename", "http://localhost:8080", "remarkably", "title"],
  ["Supercalifragilisticexpialidocious", undefined, "supercalifragili", "title"],
  ["API", undefined, "api", "none"],
];

describe("default API names", () => {
  it.each(rows)("%s (%s)", (title, server, name, from) => {
    expect(defaultApiName(title, server)).toEqual({ name, from });
  });
});
