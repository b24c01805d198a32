import { describe, expect, it } from "vitest";
import {
  formUrlEncoded,
  serializeCookie,
  serializeHeader,
  serializePath,
  serializeQuery,
} from "../../src/runtime/http/serialize.js";
import type { HttpParameter, ParameterLocation, ParameterStyle } from "../../src/runtime/http/types.js";

const blue = "blue";
const colors = ["blue", "black", "brown"];
const rgb = { R: 100, G: 200, B: 150 };

function param(location: ParameterLocation, style: ParameterStyle, explode: boolean): HttpParameter {
  return { arg: "color", name: "color", in: location, style, explode };
}

// The table of the OpenAPI Specification (3.0.3 §4.7.12.4, "Style Examples"), row by row.
type Row = [style: ParameterStyle, explode: boolean, location: ParameterLocation, primitive: string | null, array: string | null, object: string | null];
const table: Row[] = [
  ["matrix", false, "path", ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"],
  ["matrix", true, "path", ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"],
  ["label", false, "path", ".blue", ".blue,black,brown", ".R,100,G,200,B,150"],
  ["label", true, "path", ".blue", ".blue.black.brown", ".R=100.G=200.B=150"],
  ["simple", false, "path", "blue", "blue,black,brown", "R,100,G,200,B,150"],
  ["simple", true, "path", "blue", "blue,black,brown", "R=100,G=200,B=150"],
  ["form", false, "query", "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"],
  ["form", true, "query", "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"],
  ["spaceDelimited", false, "query", null, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"],
  ["pipeDelimited", false, "query", null, "color=blue|black|brown", "color=R|100|G|200|B|150"],
  ["deepObject", true, "query", null, null, "color[R]=100&color[G]=200&color[B]=150"],
  ["simple", false, "header", "blue", "blue,black,brown", "R,100,G,200,B,150"],
  ["simple", true, "header", "blue", "blue,black,brown", "R=100,G=200,B=150"],
  ["form", false, "cookie", "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"],
];

function serialize(p: HttpParameter, value: unknown): string {
  if (p.in === "path") return serializePath(p, value);
  if (p.in === "query") return serializeQuery(p, value).join("&");
  if (p.in === "header") return serializeHeader(p, value);
  return serializeCookie(p, value);
}

describe("parameter serialization: every style, explode and location of the OpenAPI table", () => {
  for (const [style, explode, location, primitive, array, object] of table) {
    const p = param(location, style, explode);
    if (primitive !== null) it(`${location} ${style} explode=${explode}: primitive`, () => expect(serialize(p, blue)).toBe(primitive));
    if (array !== null) it(`${location} ${style} explode=${explode}: array`, () => expect(serialize(p, colors)).toBe(array));
    if (object !== null) it(`${location} ${style} explode=${explode}: object`, () => expect(serialize(p, rgb)).toBe(object));
  }

  it("Swagger 2.0 collectionFormat tsv joins with tabs", () => {
    expect(serializeQuery({ ...param("query", "form", false), tabDelimited: true }, colors).join("&")).toBe("color=blue%09black%09brown");
  });

  it("deepObject: an array, and arrays and objects nested inside, take indexed brackets (not JSON)", () => {
    const expand = { arg: "expand", name: "expand", in: "query" as const, style: "deepObject" as const, explode: true };
    expect(serializeQuery(expand, ["data.source", "customer"]).join("&")).toBe("expand[0]=data.source&expand[1]=customer");
    const filter = { ...expand, arg: "filter", name: "filter" };
    expect(serializeQuery(filter, { tags: ["a", "b"], range: { gte: 1, lt: [2, 3] } }).join("&")).toBe("filter[tags][0]=a&filter[tags][1]=b&filter[range][gte]=1&filter[range][lt][0]=2&filter[range][lt][1]=3");
  });

  it("content: application/json parameters are sent as JSON text", () => {
    expect(serializeQuery({ ...param("query", "form", true), json: true }, { a: [1] }).join("&")).toBe("color=%7B%22a%22%3A%5B1%5D%7D");
  });
});

describe("hostile values are encoded or refused", () => {
  const path = param("path", "simple", false);
  it.each([".", "..", ""])("refuses the path value %j", (v) => {
    expect(() => serializePath(path, v)).toThrow(/would change the request path/);
  });
  it.each<[string, string]>([
    ["../admin", "..%2Fadmin"],
    ["%2e%2e", "%252e%252e"],
    ["//evil.example", "%2F%2Fevil.example"],
    ["https://evil.example/x", "https%3A%2F%2Fevil.example%2Fx"],
    ["a?b#c", "a%3Fb%23c"],
  ])("encodes the path value %j", (v, want) => {
    expect(serializePath(path, v)).toBe(want);
  });
  it("encodes & # = and + in query values", () => {
    expect(serializeQuery(param("query", "form", true), "a&b=c#d+e").join("&")).toBe("color=a%26b%3Dc%23d%2Be");
  });
  it("keeps reserved characters only with allowReserved", () => {
    expect(serializeQuery({ ...param("query", "form", true), allowReserved: true }, "a/b:c").join("&")).toBe("color=a/b:c");
    expect(serializeQuery({ ...param("query", "form", true), allowReserved: true }, "a&b").join("&")).toBe("color=a%26b");
  });
  it("refuses CR and LF in header values, naming the parameter", () => {
    expect(() => serializeHeader({ ...param("header", "simple", false), arg: "x_trace" }, "a\r\nSet-Cookie: x=1")).toThrow("Invalid value for header parameter 'x_trace'");
  });
  it("percent-encodes ; and , inside cookie values", () => {
    expect(serializeCookie(param("cookie", "form", true), "a;b=c")).toBe("color=a%3Bb%3Dc");
  });
});

describe("application/x-www-form-urlencoded bodies", () => {
  it("nests objects and arrays the way form APIs such as Stripe expect", () => {
    const body = { amount: 2000, currency: "usd", metadata: { order_id: "6735" }, items: [{ price: "p_1", quantity: 2 }], note: "a b&c" };
    expect(formUrlEncoded(body)).toBe("amount=2000&currency=usd&metadata[order_id]=6735&items[0][price]=p_1&items[0][quantity]=2&note=a+b%26c");
  });
  it("follows the document's encoding: deepObject arrays get indices, explode false joins with commas", () => {
    const body = { expand: ["customer", "invoice"], items: [{ price: "p_1", quantity: 2 }], tags: ["a", "b"] };
    const encoding = { expand: { style: "deepObject" as const, explode: true }, items: { style: "deepObject" as const, explode: true }, tags: { style: "form" as const, explode: false } };
    expect(formUrlEncoded(body, encoding)).toBe("expand[0]=customer&expand[1]=invoice&items[0][price]=p_1&items[0][quantity]=2&tags=a,b");
  });
  it("repeats keys for arrays by default (form, explode true) and skips nulls", () => {
    expect(formUrlEncoded({ Channels: ["sms", "call"], Empty: null, FriendlyName: "My Service" })).toBe("Channels=sms&Channels=call&FriendlyName=My+Service");
  });
  it("sends a property with a JSON content type as JSON text", () => {
    expect(formUrlEncoded({ meta: { a: 1 } }, { meta: { contentType: "application/json" } })).toBe("meta=%7B%22a%22%3A1%7D");
  });
});
