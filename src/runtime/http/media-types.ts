// How a media type is read: the runtime decodes responses by these rules, and the generators type
// results by the same ones.

export function isJsonMediaType(type: string): boolean {
  return /^application\/(.+\+)?json|^text\/json/i.test(type);
}

export function isTextMediaType(type: string): boolean {
  return /^text\/|^application\/(xml|.+\+xml|javascript|x-yaml|yaml)/i.test(type);
}
