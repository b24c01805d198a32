// One row per rule in src/model/text.ts: what a document's or a .d.ts's words become in a tool's description.
import { describe, expect, it } from "vitest";
import { cleanDescription, escapeHidden, hasHidden, joinSummary, stripHidden } from "../../src/model/text.js";

const clean: [string, { given: string | undefined; max?: number; want: string }][] = [
  ["nothing stays nothing", { given: undefined, want: "" }],
  ["block HTML tags become line breaks, others go", { given: "<p>One</p><p>Two <b>bold</b></p>", want: "One\nTwo bold" }],
  ["list items become dashes", { given: "<ul><li>a</li><li>b</li></ul>", want: "- a\n- b" }],
  ["entities are decoded: named, decimal and hex", { given: "a &amp; b &lt;c&gt; &#65;&#x42;", want: "a & b <c> AB" }],
  ["a markdown link keeps its text, not its target", { given: "See [the docs](https://example.com/very/long/path).", want: "See the docs." }],
  ["zero-width and bidi characters are removed", { given: "pay\u200Bment \u202Eevil\u202C", want: "payment evil" }],
  ["control characters are removed, line breaks and tabs kept", { given: "a\u0007b\n\tc", want: "ab\n\tc" }],
  ["CRLF becomes LF, trailing spaces and runs of blank lines go", { given: "a  \r\n\r\n\r\n\r\nb  ", want: "a\n\nb" }],
  ["longer than max: cut at a word with an ellipsis", { given: "one two three four five six", max: 15, want: "one two three…" }],
  ["a word longer than the cut is cut inside", { given: "abcdefghijklmnopqrstuvwxyz", max: 10, want: "abcdefghi…" }],
  ["the limit counts characters, not UTF-16 units", { given: "😀😀😀😀😀", max: 5, want: "😀😀😀😀😀" }],
];

const join: [string, { given: [string | undefined, string | undefined]; want: string }][] = [
  ["summary and description are joined by a blank line, the summary ending with a full stop", { given: ["List pets", "All the pets."], want: "List pets.\n\nAll the pets." }],
  ["a description that starts with the summary is not repeated", { given: ["List pets", "List pets in the store."], want: "List pets in the store." }],
  ["only a summary", { given: ["List pets", undefined], want: "List pets" }],
  ["only a description", { given: [undefined, "All the pets."], want: "All the pets." }],
];

const hidden: [string, { given: string; want: { has: boolean; stripped: string; escaped: string } }][] = [
  ["plain text has none", { given: "plain", want: { has: false, stripped: "plain", escaped: "plain" } }],
  ["a right-to-left override is found, stripped, or written as its escape", { given: "a\u202Eb", want: { has: true, stripped: "ab", escaped: "a\\u202eb" } }],
  ["a tag character (a surrogate pair) is escaped as both halves", { given: "x\uDB40\uDC41", want: { has: true, stripped: "x", escaped: "x\\udb40\\udc41" } }],
];

describe("text rules (src/model/text.ts)", () => {
  it.each(clean)("cleanDescription: %s", (_name, { given, max, want }) => {
    expect(cleanDescription(given, max)).toBe(want);
  });
  it.each(join)("joinSummary: %s", (_name, { given, want }) => {
    expect(joinSummary(given[0], given[1])).toBe(want);
  });
  it.each(hidden)("hidden characters: %s", (_name, { given, want }) => {
    expect({ has: hasHidden(given), stripped: stripHidden(given), escaped: escapeHidden(given) }).toEqual(want);
  });
});
