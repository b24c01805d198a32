// Issue 14: run_code's sandbox is a security boundary. Each attack the issue lists, refused.
import { describe, expect, it } from "vitest";
import { runCode, type SandboxOutcome } from "../../src/server/surfaces/sandbox.js";
import { DEFAULT_SANDBOX_LIMITS } from "../../src/server/surfaces/sandbox-limits.js";

const received: { name: string; args: unknown }[] = [];
const bindings = {
  callTool: async (name: string, args: unknown) => {
    received.push({ name, args });
    if (name === "boom") throw new Error("tool failed");
    return { name, args, nested: { list: [1, 2] } };
  },
  sql: async () => [{ n: 1 }],
};

async function run(code: string, limits = {}): Promise<SandboxOutcome> {
  return runCode(code, bindings, { ...DEFAULT_SANDBOX_LIMITS, ...limits });
}

const value = (o: SandboxOutcome) => (o.ok ? o.value : `ERROR ${o.error}`);

describe("nothing of the host is reachable", () => {
  it("process, require, import() and the host's globals", async () => {
    expect(value(await run("[typeof process, typeof require, typeof module, typeof Buffer, typeof setTimeout, typeof fetch]"))).toEqual(Array(6).fill("undefined"));
    expect(value(await run("await import('node:fs')"))).toMatch(/^ERROR .*(could not load module|not supported|import)/i);
    expect(value(await run("require('fs')"))).toMatch(/^ERROR ReferenceError/);
  });

  it("constructor chains, Function and eval reach only the sandbox's own globals", async () => {
    const probes = [
      "globalThis.constructor.constructor('return typeof process')()",
      "Function('return typeof process')()",
      "eval('typeof process')",
      "(() => {}).constructor('return typeof require')()",
      "(async () => {}).constructor('return typeof process')().then(x => x)",
      "tools.constructor.constructor('return typeof process')()",
      "Object.getPrototypeOf(tools.anything).constructor('return typeof process')()",
    ];
    for (const p of probes) expect(value(await run(p)), p).toBe("undefined");
  });

  it("a binding's function exposes no host internals", async () => {
    expect(value(await run("String(tools.x).includes('native') || String(tools.x).length < 200"))).toBe(true);
    expect(value(await run("typeof __host"))).toBe("undefined");
  });
});

describe("values crossing the boundary are plain JSON both ways", () => {
  it("__proto__ and constructor in arguments do not pollute the host", async () => {
    received.length = 0;
    await run(`await tools.t(JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}}'))`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(received[0]!.args)).toBe(Object.prototype);
    expect(Object.keys(received[0]!.args as object).sort()).toEqual(["__proto__", "constructor"]);
  });

  it("hostile arguments to a binding (functions, cycles, symbols, BigInt, huge) fail inside the sandbox", async () => {
    for (const code of ["await tools.t(() => 1)", "const a = {}; a.a = a; await tools.t(a)", "await tools.t(10n)", "await sql(Symbol('x'))"]) {
      const o = await run(code);
      expect(o.ok ? JSON.stringify(o.value) : o.error, code).not.toMatch(/host|node:/i);
    }
    const big = await run("await tools.t({ s: 'x'.repeat(20000000) })", { memoryBytes: 16 * 1024 * 1024 });
    expect(big.ok).toBe(false);
  });

  it("results from the host cannot change the sandbox's prototypes", async () => {
    expect(value(await run("const r = await tools.t({}); [typeof r.__proto__.polluted, ({}).polluted === undefined]"))).toEqual(["undefined", true]);
  });
});

describe("limits", () => {
  it("while(true) stops at the time limit", async () => {
    const o = await run("while (true) {}", { timeMs: 300 });
    expect(o).toMatchObject({ ok: false, error: expect.stringMatching(/Limit reached: .*300 ms/) });
  });

  it("a memory bomb and a 100 MB string stop at the memory limit", async () => {
    expect(await run("const a = []; for (;;) a.push([a.length, { n: a.length }])")).toMatchObject({ ok: false, error: expect.stringMatching(/out of memory|memory/i) });
    expect(await run("'x'.repeat(100 * 1024 * 1024).length")).toMatchObject({ ok: false, error: expect.stringMatching(/out of memory|too long|memory/i) });
  });

  it("deep recursion is a stack overflow, and the next run still works", async () => {
    expect(await run("function f(n) { return f(n + 1) + 1; } f(0)")).toMatchObject({ ok: false, error: expect.stringMatching(/stack overflow/i) });
    expect(await run("const o = {}; let c = o; for (let i = 0; i < 100000; i++) { c.n = {}; c = c.n; } JSON.stringify(o).length")).toMatchObject({ ok: false });
    expect(value(await run("1 + 1"))).toBe(2);
  });

  it("10,000 pending binding calls: only the first 50 reach the host", async () => {
    received.length = 0;
    const o = await run("const r = await Promise.allSettled(Array.from({ length: 10000 }, (_, i) => tools.t({ i }))); r.filter((x) => x.status === 'rejected').length");
    expect(value(o)).toBe(9950);
    expect(received).toHaveLength(50);
  });

  it("output over the limit is cut with a note", async () => {
    const o = await run("'y'.repeat(200000)", { maxOutputBytes: 1000 });
    expect(o.ok && o.notice).toMatch(/Output cut to 1000 bytes/);
  });

  it("a promise nothing resolves ends the run instead of hanging", async () => {
    expect(await run("await new Promise(() => {})")).toMatchObject({ ok: false, error: expect.stringMatching(/never happens/) });
  });
});

describe("each run is fresh", () => {
  it("globals set by one run are gone in the next", async () => {
    await run("globalThis.leftover = 'secret from run 1'; Object.prototype.polluted = 1; tools.extra = 1");
    expect(value(await run("[typeof leftover, typeof ({}).polluted]"))).toEqual(["undefined", "undefined"]);
  });

  it("the process survives many runs, failing ones included", async () => {
    for (let i = 0; i < 30; i++) {
      const code = i % 3 === 0 ? "function f(){return f()} f()" : i % 3 === 1 ? "throw new Error('x')" : `${i} * 2`;
      const o = await run(code);
      if (i % 3 === 2) expect(value(o)).toBe(i * 2);
      else expect(o.ok).toBe(false);
    }
  });
});

describe("errors from code", () => {
  it("a syntax error and a thrown error say where, in the code's own lines (TypeScript included)", async () => {
    expect(await run("const a: number = 1;\nconst b = ;")).toMatchObject({ ok: false, error: expect.stringMatching(/SyntaxError/), line: 2 });
    expect(await run("interface X { a: number }\nconst x: X = { a: 1 };\n\nthrow new Error('at four')")).toMatchObject({ ok: false, error: "Error: at four", line: 4 });
  });

  it("a tool's failure is an error the code can catch", async () => {
    expect(value(await run("try { await tools.boom({}) } catch (e) { return 'caught: ' + e.message }"))).toBe("caught: tool failed");
  });
});
