// Issue 22 item 12: tools and the secret are named for the product, not the package's path.
import { describe, expect, it } from "vitest";
import { vendorPrefix } from "../../generators/npm/index.js";

describe("vendorPrefix", () => {
  it.each([
    ["@aws-sdk/client-s3", "s3"],
    ["@hubspot/api-client", "hubspot"],
    ["@qdrant/js-client-rest", "qdrant"],
    ["@gitbeaker/rest", "gitbeaker"],
    ["@supabase/supabase-js", "supabase"],
    ["@clerk/backend", "clerk"],
    ["@pinecone-database/pinecone", "pinecone"],
    ["firebase-admin", "firebase"],
    ["algoliasearch", "algoliasearch"],
    ["acme-sdk", "acme"],
    ["postmark", "postmark"],
    ["api-client", "api_client"],
  ])("%s → %s", (pkg, prefix) => {
    expect(vendorPrefix(pkg)).toBe(prefix);
  });
});
