import type { DuckDBScalarFunction, DuckDBType } from "@duckdb/node-api";
import { duckdb } from "./duckdb-module.js";
import { runtimeState, type PluginInstance } from "./state.js";

export type SqlTypeName = "VARCHAR" | "INTEGER" | "BIGINT" | "DOUBLE" | "FLOAT" | "BOOLEAN" | "DATE" | "TIMESTAMP";

function sqlType(name: SqlTypeName): DuckDBType {
  const { VARCHAR, INTEGER, BIGINT, DOUBLE, FLOAT, BOOLEAN, DATE, TIMESTAMP } = duckdb();
  return { VARCHAR, INTEGER, BIGINT, DOUBLE, FLOAT, BOOLEAN, DATE, TIMESTAMP }[name];
}

export interface PluginFunction {
  parameters: SqlTypeName[];
  returns: SqlTypeName;
  /** Called once per row, synchronously; `null` inputs arrive as `null`. */
  run: (...args: never[]) => unknown;
}

export interface PluginDefinition {
  /** DuckDB scalar functions, registered as `<key>_<plugin name>` like MXCP's `@udf` methods. */
  functions?: Record<string, PluginFunction>;
  /** Runs once when the plugin loads, with its config from the user profile's `plugin.config`. */
  setup?: (config: Record<string, string>) => unknown;
}

/** Identity helper so a plugin module gets types: `export default definePlugin({...})`. */
export function definePlugin(def: PluginDefinition): PluginDefinition {
  return def;
}

/** Build the DuckDB function for one plugin function. */
export function scalarFunction(name: string, fn: PluginFunction): DuckDBScalarFunction {
  return duckdb().DuckDBScalarFunction.create({
    name,
    returnType: sqlType(fn.returns),
    parameterTypes: fn.parameters.map(sqlType),
    mainFunction: (info, input, output) => {
      try {
        const columns = fn.parameters.map((_, i) => input.getColumnVector(i));
        for (let row = 0; row < input.rowCount; row++) {
          const args = columns.map((c) => fromDuck(c.getItem(row)));
          output.setItem(row, toDuck(fn.run(...(args as never[])), fn.returns) as never);
        }
        output.flush();
      } catch (e) {
        info.setError(`${name}: ${(e as Error)?.message ?? String(e)}`);
      }
    },
  });
}

function fromDuck(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v !== null && typeof v === "object" && "toString" in v && !(v instanceof Date)) return String(v);
  return v;
}

function toDuck(v: unknown, type: SqlTypeName): unknown {
  if (v === null || v === undefined) return null;
  if (type === "BIGINT") return BigInt(Math.trunc(Number(v)));
  if (type === "VARCHAR") return String(v);
  return v;
}

/** The loaded plugins, as MXCP's `plugins` runtime object. */
export const plugins = {
  get(name: string): PluginInstance | undefined {
    return runtimeState().plugins.get(name);
  },
  list(): string[] {
    return [...runtimeState().plugins.keys()];
  },
};
