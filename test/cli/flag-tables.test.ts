// Each command's flags are declared once (src/cli/command-flags.ts, src/pipeline/generation-flags.ts): parsing,
// --help, the README and the regenerate command all come from that declaration, so they cannot disagree.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/main.js";
import { COMMON_FLAGS, commandHelp, parseCommandLine } from "../../src/cli/flags.js";
import { flagWords, pickOptions } from "../../src/pipeline/flag-table.js";
import { OPENAPI_FLAGS, WRAP_FLAGS } from "../../src/pipeline/generation-flags.js";
import { REPO_ROOT } from "../helpers.js";

// The README and its reference pages in docs/ together.
const readme = [join(REPO_ROOT, "README.md"), ...readdirSync(join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => join(REPO_ROOT, "docs", f))].map((f) => readFileSync(f, "utf8")).join("\n");

describe("flag tables", () => {
  it.each(Object.keys(COMMANDS))("every flag of `%s` is in its --help and in the README or docs/", (name) => {
    const spec = COMMANDS[name]!;
    const help = commandHelp(name, spec);
    expect(readme, `README documents \`mxcp-gen ${name}\``).toContain(`mxcp-gen ${name}`);
    for (const flag of [...Object.keys(spec.flags), ...Object.keys(COMMON_FLAGS)]) {
      expect(help).toContain(`--${flag}`);
      const short = (spec.flags[flag] ?? {}).short;
      if (flag !== "help") expect(readme.includes(`--${flag}`) || (short !== undefined && readme.includes(`-${short} `)), `README documents ${name} --${flag}`).toBe(true);
    }
  });

  it("parses into typed values named by option: repeatable, list, short and renamed flags", () => {
    const { values, positionals } = parseCommandLine(COMMANDS.openapi!.flags, ["spec.yaml", "--tag", "a", "--tag", "b", "--methods", "get, post", "-o", "out", "--read-only", "--json-output"]);
    expect(positionals).toEqual(["spec.yaml"]);
    expect(values).toMatchObject({ tags: ["a", "b"], methods: ["get", "post"], out: "out", readOnly: true, json: true, include: [], cache: undefined });
  });

  it("turns options back into the flags that set them, globs quoted by the command line, in declaration order", () => {
    const options = { name: "pets", tags: ["a b"], methods: ["get", "post"], readOnly: true, include: [], cache: "10m", out: "somewhere", force: true };
    expect(flagWords(OPENAPI_FLAGS, options)).toEqual(["--name", "pets", "--tag", "a b", "--methods", "get,post", "--read-only", "--cache", "10m"]);
    // The lock file records the generation options only.
    expect(pickOptions(OPENAPI_FLAGS, options)).toEqual({ name: "pets", tags: ["a b"], methods: ["get", "post"], readOnly: true, cache: "10m" });
    expect(flagWords(WRAP_FLAGS, { include: ["customers.*"], maxDepth: 3, sync: false, cacheExclude: ["x"] })).toEqual(["--include", "customers.*", "--max-depth", "3", "--cache-exclude", "x"]);
  });

  it("every option a generation flag sets survives a parse of its own regenerate words", () => {
    for (const [table, cli] of [[OPENAPI_FLAGS, COMMANDS.openapi!], [WRAP_FLAGS, COMMANDS.wrap!]] as const) {
      const sample: Record<string, unknown> = {};
      for (const [flag, spec] of Object.entries(table)) {
        const key = "option" in spec && spec.option ? spec.option : flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
        sample[key] = spec.kind === "boolean" ? true : spec.kind === "string" ? `v-${flag}` : ["x", "y"];
      }
      const { values } = parseCommandLine(cli.flags, flagWords(table, sample));
      expect(pickOptions(table, values)).toEqual(sample);
    }
  });
});
