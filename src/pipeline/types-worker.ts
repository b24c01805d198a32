// The worker side of the types job: the document's references confined (as the generator confines its own copy),
// then openapi-typescript's types for it and their in-memory type check. It runs in a thread of its own so that
// the generator's own work (the model, rendering) goes on beside it.
import { parentPort } from "node:worker_threads";
import type { OpenAPI3 } from "openapi-typescript";
import { confineRefs } from "../../generators/openapi/load.js";
import { checkedTypes, type TypesResult } from "../emit/checked-types.js";

parentPort!.once("message", (document: OpenAPI3) => {
  // openapi-typescript's resolver follows every `$ref` it meets: only local ones are left for it.
  confineRefs(document);
  void checkedTypes(document).then(
    (result: TypesResult) => parentPort!.postMessage({ ok: true, result }),
    (e: unknown) => parentPort!.postMessage({ ok: false, message: (e as Error)?.message ?? String(e) }),
  );
});
