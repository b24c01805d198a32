// Issue 24 item 6, names: an operationId that only restates method and path (Stripe's `PostCustomers`, Box's
// `get_folders_id_items`) names the tool by what the method means on the path; the operationId stays in the
// metadata; the rule is recorded in the lock file, and a project generated before keeps its names.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { restatesRoute, routeName } from "../../generators/openapi/route-names.js";
import { tempDir } from "../helpers.js";

const ok = { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } } };
const item = [{ name: "customer", in: "path", required: true, schema: { type: "string" } }];
// Stripe's trait, in a document of our own.
const spec = {
  openapi: "3.0.3",
  info: { title: "Shop", version: "1" },
  servers: [{ url: "https://api.shop.invalid" }],
  components: { securitySchemes: { key: { type: "http", scheme: "bearer" } } },
  security: [{ key: [] }],
  paths: {
    "/v1/customers": { get: { operationId: "GetCustomers", responses: ok }, post: { operationId: "PostCustomers", responses: ok } },
    "/v1/customers/{customer}": {
      get: { operationId: "GetCustomersCustomer", parameters: item, responses: ok },
      post: { operationId: "PostCustomersCustomer", parameters: item, responses: ok },
      delete: { operationId: "DeleteCustomersCustomer", parameters: item, responses: ok },
    },
    "/v1/subscriptions/{subscription}/cancel": { post: { operationId: "PostSubscriptionsSubscriptionCancel", parameters: [{ name: "subscription", in: "path", required: true, schema: { type: "string" } }], responses: ok } },
    "/v1/invoices/{invoice}/lines": { get: { parameters: [{ name: "invoice", in: "path", required: true, schema: { type: "string" } }], responses: ok } },
    "/v1/store/inventory": { get: { operationId: "getInventory", responses: ok } },
    // Box's trait: a POST on an item beside its PUT is not the update; its summary names it.
    "/files/{file_id}": {
      post: { operationId: "post_files_id", summary: "Restore file", parameters: [{ name: "file_id", in: "path", required: true, schema: { type: "string" } }], responses: ok },
      put: { operationId: "put_files_id", summary: "Update file", parameters: [{ name: "file_id", in: "path", required: true, schema: { type: "string" } }], responses: ok },
    },
  },
};

const toolNames = (root: string) => readdirSync(join(root, "tools", "shop")).map((f) => f.replace(/\.yml$/, "")).sort();

describe("names from what the method means on the path", () => {
  it("tells a restated operationId from a chosen one", () => {
    expect(restatesRoute("GetCustomersCustomer", "get", "/v1/customers/{customer}")).toBe(true);
    expect(restatesRoute("get_folders_id_items", "get", "/folders/{folder_id}/items")).toBe(true);
    expect(restatesRoute("getInventory", "get", "/store/inventory")).toBe(false);
    expect(restatesRoute("listCustomers", "get", "/v1/customers")).toBe(false);
    expect(routeName("get", "/folders/{folder_id}/items")).toBe("list_folder_items");
    expect(routeName("get", "/files/{file_id}/versions/{file_version_id}")).toBe("get_file_version");
    expect(routeName("post", "/files/{file_id}/copy")).toBe("copy_file");
    expect(routeName("post", "/files/{file_id}", "restore")).toBe("restore_file");
  });

  it("names a new API's tools create/list/get/update/delete, keeps the operationId in the metadata and the rule in the lock", async () => {
    const root = tempDir("mxcp-gen-route-names-");
    writeFileSync(join(root, "shop.json"), JSON.stringify(spec));
    await generateOpenApiProject(join(root, "shop.json"), { out: root, name: "shop" });
    expect(toolNames(root)).toEqual([
      "shop_cancel_subscription",
      "shop_create_customer",
      "shop_delete_customer",
      "shop_get_customer",
      "shop_get_inventory",
      "shop_list_customers",
      "shop_list_invoice_lines",
      "shop_restore_file",
      "shop_update_customer",
      "shop_update_file",
    ]);
    expect(readFileSync(join(root, "tools", "shop", "shop_create_customer.yml"), "utf8")).toContain("operationId: PostCustomers");
    const lock = JSON.parse(readFileSync(join(root, "mxcp-gen.lock.json"), "utf8"));
    expect(lock.apis.shop.options.naming).toBe("route");
  });

  it("a project generated before the rule was recorded keeps its names when regenerated", async () => {
    const root = tempDir("mxcp-gen-route-names-old-");
    writeFileSync(join(root, "shop.json"), JSON.stringify(spec));
    await generateOpenApiProject(join(root, "shop.json"), { out: root, name: "shop", naming: "operation-id" });
    const before = toolNames(root);
    expect(before).toContain("shop_post_customers");
    // As an mxcp-gen from before this rule wrote it: no `naming` among the options.
    const lockPath = join(root, "mxcp-gen.lock.json");
    const lock = JSON.parse(readFileSync(lockPath, "utf8"));
    delete lock.apis.shop.options.naming;
    writeFileSync(lockPath, JSON.stringify(lock, null, 2));
    const again = await generateOpenApiProject(join(root, "shop.json"), { out: root, name: "shop" });
    expect(toolNames(root)).toEqual(before);
    // The same names, the same files; the lock file (not counted among them) learns the rule.
    expect(again.added).toEqual([]);
    expect(again.deleted).toEqual([]);
    expect(again.changed).toEqual([]);
    expect(JSON.parse(readFileSync(lockPath, "utf8")).apis.shop.options.naming).toBe("operation-id");
  });
});
