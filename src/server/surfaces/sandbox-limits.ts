// run_code's limits, apart from the sandbox itself so that serving without the code surface never loads
// QuickJS, esbuild or the TypeScript parser.

export interface SandboxLimits {
  /** Wall time for the whole run, bindings included. */
  timeMs: number;
  memoryBytes: number;
  stackBytes: number;
  /** Binding calls (tools and sql) per run. */
  maxCalls: number;
  /** Bytes of result and log text returned. */
  maxOutputBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  timeMs: 30_000,
  memoryBytes: 64 * 1024 * 1024,
  // QuickJS runs on the host's own stack: deeper than this, V8 overflows before QuickJS can say so.
  stackBytes: 48 * 1024,
  maxCalls: 50,
  maxOutputBytes: 100 * 1024,
};
