import type { DuckDBResultReader, DuckDBType, DuckDBTypeId, Json } from "@duckdb/node-api";
import { duckdb } from "./duckdb-module.js";
import { setOwn } from "./own.js";

/**
 * Rows as plain JSON-safe objects. Starting from DuckDB's own JSON form:
 * BIGINT/HUGEINT family → number when it is a safe integer, else a decimal string;
 * DECIMAL → number when a double holds it exactly (15 significant digits or fewer), else the exact decimal
 * string; INTERVAL → an ISO 8601 duration ("P1M2DT3H4M5.5S"); DATE → "YYYY-MM-DD"; TIMESTAMP →
 * "YYYY-MM-DDTHH:MM:SS[.ffffff]"; TIMESTAMPTZ keeps its offset; LIST/ARRAY → arrays; STRUCT → objects; MAP
 * with text keys → objects; everything else (UUID, BLOB, ...) as DuckDB renders it in JSON.
 */
export function readRows(reader: DuckDBResultReader): Record<string, unknown>[] {
  const types = reader.columnTypes();
  const names = reader.columnNames();
  return reader.getRowsJson().map((row) => {
    const obj: Record<string, unknown> = {};
    row.forEach((value, i) => {
      setOwn(obj, names[i]!, convert(value, types[i]!));
    });
    return obj;
  });
}

let kinds: { BIG_INTS: Set<DuckDBTypeId>; TIMESTAMPS: Set<DuckDBTypeId> } | undefined;

function convert(value: Json, type: DuckDBType): unknown {
  if (value === null) return null;
  const T = duckdb().DuckDBTypeId;
  kinds ??= {
    BIG_INTS: new Set<DuckDBTypeId>([T.BIGINT, T.UBIGINT, T.HUGEINT, T.UHUGEINT, T.BIGNUM]),
    TIMESTAMPS: new Set<DuckDBTypeId>([T.TIMESTAMP, T.TIMESTAMP_S, T.TIMESTAMP_MS, T.TIMESTAMP_NS]),
  };
  const { BIG_INTS, TIMESTAMPS } = kinds;
  const id = type.typeId;
  if (BIG_INTS.has(id) && typeof value === "string") {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (id === T.DECIMAL && typeof value === "string") return exactNumber(value);
  if (id === T.INTERVAL && typeof value === "object" && !Array.isArray(value)) return isoDuration(value as Record<string, Json>);
  if ((TIMESTAMPS.has(id) || id === T.TIMESTAMP_TZ) && typeof value === "string") return value.replace(" ", "T");
  if ((id === T.LIST || id === T.ARRAY) && Array.isArray(value)) {
    const child = (type as { valueType: DuckDBType }).valueType;
    return value.map((v) => convert(v, child));
  }
  if (id === T.STRUCT && typeof value === "object" && !Array.isArray(value)) {
    const st = type as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
    const out: Record<string, unknown> = {};
    st.entryNames.forEach((name, i) => {
      setOwn(out, name, convert((value as Record<string, Json>)[name] ?? null, st.entryTypes[i]!));
    });
    return out;
  }
  if (id === T.MAP && Array.isArray(value)) {
    const mt = type as unknown as { keyType: DuckDBType; valueType: DuckDBType };
    const entries = value as { key: Json; value: Json }[];
    if (mt.keyType.typeId === T.VARCHAR) {
      const out: Record<string, unknown> = {};
      for (const e of entries) {
        setOwn(out, String(e.key), convert(e.value, mt.valueType));
      }
      return out;
    }
    return entries.map((e) => ({ key: convert(e.key, mt.keyType), value: convert(e.value, mt.valueType) }));
  }
  return value;
}

/** A decimal as a number when no digit is lost (a double holds 15 significant digits), else as its text. */
export function exactNumber(text: string): number | string {
  const digits = text.replace(/^[+-]/, "").replace(".", "").replace(/^0+/, "");
  const significant = digits.replace(/0+$/, "");
  return significant.length <= 15 ? Number(text) : text;
}

/** DuckDB's `{months, days, micros}` as an ISO 8601 duration, which MXCP's `duration` format reads. */
export function isoDuration(v: Record<string, Json>): string {
  const months = Number(v.months ?? 0);
  const days = Number(v.days ?? 0);
  let micros = BigInt(String(v.micros ?? 0));
  const negative = micros < 0n;
  if (negative) micros = -micros;
  const hours = micros / 3_600_000_000n;
  const minutes = (micros % 3_600_000_000n) / 60_000_000n;
  const rest = micros % 60_000_000n;
  const seconds = rest % 1_000_000n === 0n ? String(rest / 1_000_000n) : (Number(rest) / 1e6).toString();
  const sign = negative ? "-" : "";
  const date = `${months / 12 >= 1 || months / 12 <= -1 ? `${Math.trunc(months / 12)}Y` : ""}${months % 12 ? `${months % 12}M` : ""}${days ? `${days}D` : ""}`;
  const time = `${hours ? `${sign}${hours}H` : ""}${minutes ? `${sign}${minutes}M` : ""}${rest ? `${sign}${seconds}S` : ""}`;
  if (!date && !time) return "PT0S";
  return `P${date}${time ? `T${time}` : ""}`;
}
