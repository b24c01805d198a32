import { describe, expect, it } from "vitest";
import type { TestDef } from "../../src/project/definitions.js";
import { checkAssertions } from "../../src/devtools/test-runner.js";

const t = (extra: Partial<TestDef>): TestDef => ({ name: "t", arguments: [], ...extra });

// One row per assertion kind, passing and failing, with MXCP's semantics.
const cases: [string, Partial<TestDef>, unknown, string | undefined][] = [
  ["result: equal as sorted-key JSON", { result: { b: 1, a: [1, 2] } }, { a: [1, 2], b: 1 }, undefined],
  ["result: 1 is not 1.5", { result: { a: 1 } }, { a: 1.5 }, 'Expected result {"a":1}, got {"a":1.5}'],
  ["result: null means no check", { result: null }, "anything", undefined],
  ["result_contains: dict keys present and equal", { result_contains: { a: 1 } }, { a: 1, b: 2 }, undefined],
  ["result_contains: dict key missing", { result_contains: { c: 1 } }, { a: 1 }, "Expected field 'c' not found in result"],
  ["result_contains: dict key differs", { result_contains: { a: 2 } }, { a: 1 }, "Expected field 'a' to be 2, got 1"],
  ["result_contains: a list item is a superset", { result_contains: { id: 2 } }, [{ id: 1 }, { id: 2, x: 1 }], undefined],
  ["result_contains: a scalar in a list", { result_contains: "b" }, ["a", "b"], undefined],
  ["result_contains: not in the list", { result_contains: { id: 3 } }, [{ id: 1 }], 'Expected result to contain {"id":3}'],
  ["result_contains: a scalar result fails", { result_contains: { a: 1 } }, "text", 'result_contains needs an object or array result, got "text"'],
  ["result_not_contains: keys absent", { result_not_contains: ["password"] }, { user: "x" }, undefined],
  ["result_not_contains: key present", { result_not_contains: ["password"] }, { password: "x" }, "Result should not contain field 'password'"],
  ["result_contains_item: equal or superset item", { result_contains_item: { id: 1 } }, [{ id: 1, name: "a" }], undefined],
  ["result_contains_item: missing", { result_contains_item: { id: 9 } }, [{ id: 1 }], 'Expected result to contain item {"id":9}'],
  ["result_contains_all: every item found", { result_contains_all: [{ id: 1 }, { id: 2 }] }, [{ id: 2 }, { id: 1 }], undefined],
  ["result_contains_all: one missing", { result_contains_all: [{ id: 1 }, { id: 3 }] }, [{ id: 1 }], 'Expected result to contain item {"id":3}'],
  ["result_length: matches", { result_length: 2 }, [1, 2], undefined],
  ["result_length: differs", { result_length: 3 }, [1, 2], "Expected 3 items, got 2"],
  ["result_contains_text: substring of a string", { result_contains_text: "lo, W" }, "Hello, World!", undefined],
  ["result_contains_text: substring of JSON", { result_contains_text: '"id":1' }, { id: 1 }, undefined],
  ["result_contains_text: absent", { result_contains_text: "bye" }, "Hello", "Expected result to contain text 'bye'"],
  ["no assertions: passes", {}, { anything: true }, undefined],
  ["the first failure wins", { result_length: 5, result_contains_text: "zzz" }, [1], "Expected 5 items, got 1"],
];

describe("test assertions", () => {
  it.each(cases)("%s", (_n, test, result, want) => {
    expect(checkAssertions(t(test), result)).toBe(want);
  });
});
