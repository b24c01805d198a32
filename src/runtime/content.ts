// What a handler returns when its answer is more than one value: images, audio, embedded resources, several
// blocks. Each block carries a brand no JSON can hold (a symbol), so an API's answer shaped like a block stays
// data: only handler code, calling these functions, makes content.

/** MCP's content blocks, as they go on the wire (the server checks them against the SDK's schema). */
export type ContentBlock =
  | { type: "text"; text: string }
  | { type: "image"; data: string; mimeType: string }
  | { type: "audio"; data: string; mimeType: string }
  | { type: "resource"; resource: { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string } }
  | { type: "resource_link"; uri: string; name: string; mimeType?: string; description?: string };

/** Bytes, or a string that already holds them base64-encoded. */
export type Bytes = Uint8Array | ArrayBuffer | string;

const BLOCK = Symbol.for("mxcp-gen.content.block");
const RESULT = Symbol.for("mxcp-gen.content.result");
const BINARY = Symbol.for("mxcp-gen.content.binary");

/** A handler's answer with content: the blocks, and the typed value beside them when the tool declares `return`. */
export interface ContentResult {
  readonly blocks: ContentBlock[];
  readonly value?: unknown;
}

function branded<T extends object>(value: T, brand: symbol): T {
  Object.defineProperty(value, brand, { value: true, enumerable: false });
  return value;
}

function has(value: unknown, brand: symbol): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

function base64(data: Bytes): string {
  if (typeof data === "string") return data;
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString("base64");
}

function mediaType(value: string, what: string): string {
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(value)) throw new TypeError(`${what}: "${value}" is not a media type (type/subtype, such as image/png)`);
  return value;
}

/**
 * Make content blocks; return one, an array of them, or `content.with(value, …blocks)` from a handler:
 *
 *   return content.image(png, "image/png");
 *   return [content.text("The chart:"), content.image(png, "image/png")];
 *   return content.with({ id, rows }, content.resource("app://report/7", { text: csv, mimeType: "text/csv" }));
 */
export const content = {
  text(text: string): ContentBlock {
    return branded({ type: "text", text: String(text) }, BLOCK);
  },
  image(data: Bytes, mimeType: string): ContentBlock {
    return branded({ type: "image", data: base64(data), mimeType: mediaType(mimeType, "content.image") }, BLOCK);
  },
  audio(data: Bytes, mimeType: string): ContentBlock {
    return branded({ type: "audio", data: base64(data), mimeType: mediaType(mimeType, "content.audio") }, BLOCK);
  },
  /** An embedded resource: its text, or its bytes (`blob`: bytes or base64). */
  resource(uri: string, body: { text: string; mimeType?: string } | { blob: Bytes; mimeType?: string }): ContentBlock {
    const mime = body.mimeType === undefined ? {} : { mimeType: mediaType(body.mimeType, "content.resource") };
    const resource = "text" in body ? { uri: String(uri), ...mime, text: String(body.text) } : { uri: String(uri), ...mime, blob: base64(body.blob) };
    return branded({ type: "resource", resource }, BLOCK);
  },
  /** A link to a resource the client may read (resources/read), without its content. */
  link(uri: string, about: { name: string; mimeType?: string; description?: string }): ContentBlock {
    return branded({ type: "resource_link", uri: String(uri), name: String(about.name), ...(about.mimeType ? { mimeType: mediaType(about.mimeType, "content.link") } : {}), ...(about.description ? { description: String(about.description) } : {}) }, BLOCK);
  },
  /** The tool's typed value (checked against its `return`, sent as structured content and as text), then `blocks`. */
  with(value: unknown, ...blocks: ContentBlock[]): ContentResult {
    return branded({ blocks, value }, RESULT);
  },
};

/** A binary answer of an API ({content_type, size, content_base64}), marked as bytes the client can be shown. */
export function markBinary<T extends object>(result: T): T {
  return branded(result, BINARY);
}

/** What a handler's return value holds as content; undefined when it is a plain value. */
export interface ContentReturn {
  blocks: ContentBlock[];
  /** Whether the handler gave a typed value beside the blocks (`content.with`), or an API gave binary. */
  hasValue: boolean;
  value: unknown;
  /** Binary from an API: its value is sent without the bytes, which travel once, in the block. */
  binary: boolean;
}

/**
 * Read content out of what a handler returned: a block, an array of blocks only, `content.with(…)`, or an API's
 * marked binary answer. A block that was not made by `content` (a JSON answer shaped like one) is a plain value.
 */
export function contentReturn(value: unknown): ContentReturn | undefined {
  if (has(value, BLOCK)) return { blocks: [strip(value as ContentBlock)], hasValue: false, value: undefined, binary: false };
  if (Array.isArray(value) && value.length > 0 && value.every((v) => has(v, BLOCK))) {
    return { blocks: value.map((v) => strip(v as ContentBlock)), hasValue: false, value: undefined, binary: false };
  }
  if (has(value, RESULT)) {
    const r = value as ContentResult;
    const blocks = Array.isArray(r.blocks) ? r.blocks : [];
    const foreign = blocks.findIndex((b) => !has(b, BLOCK));
    if (foreign >= 0) throw new TypeError(`content.with: block ${foreign + 1} was not made by content.text/image/audio/resource/link`);
    return { blocks: blocks.map(strip), hasValue: true, value: r.value, binary: false };
  }
  if (has(value, BINARY)) {
    const b = value as { content_type?: unknown; content_base64?: unknown; size?: unknown };
    const type = typeof b.content_type === "string" ? b.content_type.split(";")[0]!.trim().toLowerCase() : "application/octet-stream";
    const data = typeof b.content_base64 === "string" ? b.content_base64 : "";
    const block: ContentBlock = /^image\/(png|jpeg|gif|webp)$/.test(type)
      ? { type: "image", data, mimeType: type }
      : /^audio\//.test(type)
        ? { type: "audio", data, mimeType: type }
        : { type: "resource", resource: { uri: `mxcp-gen:binary-result`, mimeType: type, blob: data } };
    return { blocks: [block], hasValue: true, value: { ...b }, binary: true };
  }
  return undefined;
}

/** A plain copy: what leaves the process carries no brand, and nothing a handler hung on the object. */
function strip(block: ContentBlock): ContentBlock {
  return JSON.parse(JSON.stringify(block)) as ContentBlock;
}
