// Output limits are in bytes; text is cut on a character boundary, never inside a multi-byte character.

/** The longest prefix of `text` that is at most `maxBytes` bytes of UTF-8. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  return Buffer.from(text).subarray(0, maxBytes).toString("utf8").replace(/\uFFFD$/, "");
}
