// Where an input comes from: a document or reference given as an http(s) URL is fetched, anything else is a file.

export function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}
