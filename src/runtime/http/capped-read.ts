// Reading a body whose size the sender decides: every byte up to a limit, and not one read past it.

/** All of a stream's bytes, or undefined as soon as they pass `max` (the rest is not read; the stream is closed). */
export async function readCapped(stream: AsyncIterable<Uint8Array>, max: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > max) return undefined; // leaving the loop closes the stream
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
