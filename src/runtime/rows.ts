import { DuckDBTypeId, type DuckDBResultReader, type DuckDBType, type Json } from "@duckdb/node-api";
import { setOwn } from "./own.js";

/**
 * Rows as plain JSON-safe objects. Starting from DuckDB's own JSON form:
 * BIGINT/HUGEINT family → number when it is a safe integer, else a decimal string;
 * DECIMAL → number; DATE → "YYYY-MM-DD"; TIMESTAMP → "YYYY-MM-DDTHH:MM:SS[.ffffff]";
 * TIMESTAMPTZ keeps its offset; LIST/ARRAY → arrays; STRUCT → objects; MAP with text keys → objects;
 * everything else (UUID, INTERVAL, BLOB, ...) as DuckDB renders it in JSON.
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

const BIG_INTS = new Set<DuckDBTypeId>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.BIGNUM]);
const TIMESTAMPS = new Set<DuckDBTypeId>([DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_NS]);

function convert(value: Json, type: DuckDBType): unknown {
  if (value === null) return null;
  const id = type.typeId;
  if (BIG_INTS.has(id) && typeof value === "string") {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (id === DuckDBTypeId.DECIMAL && typeof value === "string") return Number(value);
  if ((TIMESTAMPS.has(id) || id === DuckDBTypeId.TIMESTAMP_TZ) && typeof value === "string") return value.replace(" ", "T");
  if ((id === DuckDBTypeId.LIST || id === DuckDBTypeId.ARRAY) && Array.isArray(value)) {
    const child = (type as { valueType: DuckDBType }).valueType;
    return value.map((v) => convert(v, child));
  }
  if (id === DuckDBTypeId.STRUCT && typeof value === "object" && !Array.isArray(value)) {
    const st = type as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
    const out: Record<string, unknown> = {};
    st.entryNames.forEach((name, i) => {
      setOwn(out, name, convert((value as Record<string, Json>)[name] ?? null, st.entryTypes[i]!));
    });
    return out;
  }
  if (id === DuckDBTypeId.MAP && Array.isArray(value)) {
    const mt = type as unknown as { keyType: DuckDBType; valueType: DuckDBType };
    const entries = value as { key: Json; value: Json }[];
    if (mt.keyType.typeId === DuckDBTypeId.VARCHAR) {
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
