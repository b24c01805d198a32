import { Writable } from "node:stream";

/**
 * Keep stdout for JSON-RPC only: from now on anything written to process.stdout (console.log in a
 * handler, a library's logging) goes to stderr. Returns the one stream that still reaches fd 1.
 */
export function reserveStdout(): Writable {
  const realWrite = process.stdout.write.bind(process.stdout) as (chunk: unknown, cb: (err?: Error | null) => void) => boolean;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  return new Writable({
    write(chunk, _encoding, callback) {
      realWrite(chunk, callback);
    },
  });
}
