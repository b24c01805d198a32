// What a handler, a plugin or a library prints (console.log, console.error, process.stderr.write) goes to the
// process's own streams, which MCP clients keep in their log files. Once project code can run, every text
// written there leaves without secrets, in every form redactText knows. (The JSON-RPC channel of a stdio server
// is a stream of its own, taken before this, and carries results that are already redacted.)
import { redactText } from "../runtime/redact.js";

let installed = false;

export function redactOutputStreams(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === "string") return write(redactText(chunk), ...rest);
      if (chunk instanceof Uint8Array) {
        const text = Buffer.from(chunk).toString("utf8");
        const clean = redactText(text);
        return write(clean === text ? chunk : Buffer.from(clean), ...rest);
      }
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
