// Reading a body whose size the sender decides: every byte up to a limit, and not one read past it.
import type { Readable } from "node:stream";

/**
 * All of a stream's bytes, or undefined as soon as they pass `max` (the stream is destroyed: nothing more is read).
 * A stream cut before its end (the sender died, a time limit) is an error, never a short body. Events rather than
 * `for await`: the async iterator costs a promise per chunk, on every tool call's answer.
 */
export function readCapped(stream: Readable, max: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > max) {
        stream.destroy();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    stream.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    stream.on("error", reject);
    stream.on("close", () => {
      if (!stream.readableEnded && size <= max) reject(new Error("The stream closed before it ended"));
    });
  });
}
