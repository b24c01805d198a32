// Issue 24 item 6: the verb in a query decides between operations on the same resource. A document of our own
// with Stripe's trait (operationIds that only restate method and path, POST on an item to update) ranks
// create → POST on the collection, list → GET on it, get → GET on an item, update → POST/PUT/PATCH on the item,
// delete → DELETE, and a path's own verb (`/cancel`) → that action.
import { describe, expect, it } from "vitest";
import { queryIntent, ToolIndex, type IndexedTool } from "../../src/server/surfaces/tool-index.js";
import { routeAction } from "../../src/model/verbs.js";

const OPS: [method: string, path: string, title: string][] = [
  ["GET", "/v1/customers", "List all customers"],
  ["POST", "/v1/customers", "Create a customer"],
  ["GET", "/v1/customers/{customer}", "Retrieve a customer"],
  ["POST", "/v1/customers/{customer}", "Update a customer"],
  ["DELETE", "/v1/customers/{customer}", "Delete a customer"],
  ["GET", "/v1/invoices", "List all invoices"],
  ["POST", "/v1/invoices", "Create an invoice"],
  ["POST", "/v1/invoices/create_preview", "Create a preview invoice"],
  ["GET", "/v1/invoices/{invoice}", "Retrieve an invoice"],
  ["POST", "/v1/invoices/{invoice}", "Update an invoice"],
  ["POST", "/v1/subscriptions/{subscription}/cancel", "Cancel a subscription"],
  ["GET", "/v1/subscriptions/{subscription}", "Retrieve a subscription"],
  ["GET", "/v1/products", "List all products"],
  ["POST", "/v1/products", "Create a product"],
];

const name = (method: string, path: string) => `shop_${method.toLowerCase()}_${path.replace(/[{}]/g, "").split("/").filter(Boolean).slice(1).join("_")}`;
const tools: IndexedTool[] = OPS.map(([method, path, title]) => ({
  name: name(method, path),
  title,
  description: `${title}.`,
  tags: [],
  route: `${method} ${path}`,
  operation: { method, path },
  parameters: "",
  readOnly: method === "GET",
  destructive: method === "DELETE",
  group: "shop",
}));
const index = new ToolIndex(tools);
const first = (query: string) => index.query(query, 5)[0]!.name;

describe("ranking by what the query's verb means on a path", () => {
  it.each([
    ["create customer", "shop_post_customers"],
    ["list customers", "shop_get_customers"],
    ["get customer", "shop_get_customers_customer"],
    ["update customer", "shop_post_customers_customer"],
    ["delete customer", "shop_delete_customers_customer"],
    ["create invoice", "shop_post_invoices"],
    ["list invoices", "shop_get_invoices"],
    ["create product", "shop_post_products"],
    ["cancel subscription", "shop_post_subscriptions_subscription_cancel"],
    ["please show me the customer", "shop_get_customers_customer"],
    ["get rid of this customer", "shop_delete_customers_customer"],
  ])("%s → %s", (query, expected) => {
    expect(first(query)).toBe(expected);
  });

  it("reads the intent from the first verb after filler; a question asks to read", () => {
    expect(queryIntent("I want to create a product").actions).toEqual(["create"]);
    expect(queryIntent("which invoices are open").actions).toEqual(["read"]);
    expect(queryIntent("notify my server when files change").actions).toEqual([]);
  });

  it("knows what a method means on a path", () => {
    expect(routeAction("GET", "/v1/customers")).toEqual({ action: "list" });
    expect(routeAction("GET", "/v1/customers/{customer}")).toEqual({ action: "get" });
    expect(routeAction("GET", "/user")).toEqual({ action: "get" });
    expect(routeAction("POST", "/v1/customers")).toEqual({ action: "create" });
    expect(routeAction("POST", "/v1/customers/{customer}")).toEqual({ action: "update" });
    expect(routeAction("PATCH", "/repos/{owner}/{repo}")).toEqual({ action: "update" });
    expect(routeAction("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge")).toEqual({ action: "action", verb: "merge" });
    expect(routeAction("DELETE", "/v1/customers/{customer}")).toEqual({ action: "delete" });
  });
});
