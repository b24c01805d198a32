// What a prompt message is, by its `type`: MXCP leaves `type` a free string; mxcp-gen reads text, image, audio and
// resource from it, and takes any other value as text (as MXCP renders every message).
import { extname } from "node:path";
import type { PromptMessageDef } from "./definitions.js";

export type PromptMessageKind = "text" | "image" | "audio" | "resource";

export function messageKind(m: PromptMessageDef): PromptMessageKind {
  const t = m.type?.toLowerCase();
  return t === "image" || t === "audio" || t === "resource" ? t : "text";
}

const BY_EXTENSION: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".wav": "audio/wav",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".flac": "audio/flac",
  ".m4a": "audio/mp4",
};

/** The media type of an image or audio message: its `mime_type`, or the one its file's extension names. */
export function messageMediaType(m: PromptMessageDef): string | undefined {
  return m.mime_type ?? (m.file ? BY_EXTENSION[extname(m.file).toLowerCase()] : undefined);
}

/** The fields each kind takes; another field on the message is a mistake the loader names. */
export const MESSAGE_FIELDS: Record<PromptMessageKind, { required: (keyof PromptMessageDef)[]; allowed: (keyof PromptMessageDef)[] }> = {
  text: { required: ["prompt"], allowed: ["prompt", "role", "type"] },
  image: { required: ["file"], allowed: ["file", "mime_type", "role", "type"] },
  audio: { required: ["file"], allowed: ["file", "mime_type", "role", "type"] },
  resource: { required: ["uri"], allowed: ["uri", "prompt", "mime_type", "role", "type"] },
};
