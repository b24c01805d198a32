import { runtimeState } from "./state.js";

export const config = {
  /**
   * The secret's `parameters` (`{}` when it has none), or `null` when the user config has no such secret.
   * Throws, saying what to set, when a reference in it could not be resolved (an unset `${VAR}`).
   */
  getSecret(name: string): Record<string, unknown> | null {
    const s = runtimeState().secrets.find((x) => x.name === name);
    if (s?.unresolved) throw new Error(`The '${name}' secret cannot be used: ${s.unresolved}`);
    return s ? { ...s.parameters } : null;
  },
  /** A value from mxcp-site.yml by dotted path (`profiles.dev.duckdb.path`), or `defaultValue`. */
  getSetting<T = unknown>(key: string, defaultValue?: T): T | undefined {
    let cur: unknown = runtimeState().siteConfig;
    for (const part of key.split(".")) {
      if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, part)) return defaultValue;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur as T;
  },
  get userConfig(): Record<string, unknown> {
    return runtimeState().userConfig;
  },
  get siteConfig(): Record<string, unknown> {
    return runtimeState().siteConfig;
  },
};
