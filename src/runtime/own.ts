/**
 * Set an own, enumerable property, even for keys such as `__proto__`: data from a spec, an SDK or a
 * tool call can name any key, and plain assignment to `__proto__` would change an object's prototype.
 */
export function setOwn(obj: object, key: string, value: unknown): void {
  // A key the object does not reach yet is assigned: that keeps the object in V8's fast mode (defining every key
  // made each tool call slower). A key it reaches (`__proto__`, `constructor`, one set before) is defined, so an
  // inherited setter or read-only property never decides what happens.
  if (key in obj) Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else (obj as Record<string, unknown>)[key] = value;
}
