// Issue 22 item 14: one verb rule for what an operation's name says it does. The names the attack found
// unmarked are reads; destructive words count anywhere; an SDK's ending verbs are destructive.
import { describe, expect, it } from "vitest";
import { DESTRUCTIVE_WORD, verbScope } from "../../src/model/verbs.js";

describe("verbScope", () => {
  it.each([
    ["doSearch", "read"],
    ["all", "read"],
    ["search", "read"],
    ["query", "read"],
    ["count", "read"],
    ["lookup", "read"],
    ["fetch", "read"],
    ["retrieve", "read"],
    ["getPage", "read"],
    ["listAll", "read"],
    ["create", "write"],
    ["upsert", "write"],
    ["sendEmail", "write"],
    ["del", "destructive"],
    ["flushall", "destructive"],
    ["deleteMany", "destructive"],
    ["closeSession", "destructive"],
    ["archive", "destructive"],
    ["bulkDelete", "destructive"],
    ["complete", "other"],
    ["run", "other"],
    ["delta", "other"],
    ["getDeletedItems", "read"],
  ])("%s is %s", (name, scope) => {
    expect(verbScope(name)).toBe(scope);
  });

  it("the openapi rule (a destructive word anywhere in a snake_case name) is the same list", () => {
    expect(DESTRUCTIVE_WORD.test("post_sessions_terminate")).toBe(true);
    expect(DESTRUCTIVE_WORD.test("remove_shared_link")).toBe(true);
    expect(DESTRUCTIVE_WORD.test("list_cancelled_orders")).toBe(false);
  });
});
