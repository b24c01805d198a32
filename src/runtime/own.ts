/**
 * Set an own, enumerable property, even for keys such as `__proto__`: data from a spec, an SDK or a
 * tool call can name any key, and plain assignment to `__proto__` would change an object's prototype.
 */
export function setOwn(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
