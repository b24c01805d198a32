// The small API the call benchmarks use: GET /items/{id} answered by a local server, and a project generated
// from its document (`bench_get_item`).
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function itemApi(cli: string, dir: string): Promise<{ base: string; server: Server }> {
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ id: Number(req.url!.split("/").pop()), name: "item" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    join(dir, "spec.json"),
    JSON.stringify({
      openapi: "3.0.3",
      info: { title: "Bench", version: "1" },
      servers: [{ url: base }],
      paths: { "/items/{id}": { get: { operationId: "getItem", parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }], responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { id: { type: "integer" }, name: { type: "string" } } } } } } } } } },
    }),
  );
  await run(process.execPath, [cli, "openapi", "spec.json", "--name", "bench"], { cwd: dir });
  return { base, server };
}
