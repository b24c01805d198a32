// Which operations become tools and which of their answers are kept (`--include`, `--cache-include`…), decided the same way for both generators.
import picomatch from "picomatch";

/** `10m` → 600. Throws a clear error, naming `flag`, for anything else. */
export function parseDuration(text: string, flag = "--cache"): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new Error(`${flag} takes a duration such as 30s, 10m, 1h or 1d, not '${text}'`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"];
}

/**
 * Whether a read is cached: `--cache-include` globs (when given) must match one of its names, and no
 * `--cache-exclude` glob may. Names are the tool name and the source's own (operationId, dotted SDK path).
 */
export function cacheSelector(include: string[] | undefined, exclude: string[] | undefined): (names: string[]) => boolean {
  const inc = nonEmpty(include)?.map((g) => picomatch(g, { nocase: true }));
  const exc = nonEmpty(exclude)?.map((g) => picomatch(g, { nocase: true }));
  return (names) => (!inc || names.some((n) => inc.some((m) => m(n)))) && !(exc && names.some((n) => exc.some((m) => m(n))));
}

/** A filter list, or undefined when it is absent or empty (an empty list selects nothing away). */
export function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
