// The conformance suite's fixture resources: text, bytes, a template's variable, and one that changes.
import { readFileSync } from "node:fs";
import { onInit, onShutdown, resources } from "mxcp-gen/runtime";

export function static_text(): string {
  return "This is the content of the static text resource.";
}

export function static_binary(): Uint8Array {
  return readFileSync(new URL("../assets/red-pixel.png", import.meta.url));
}

export function template_data(args: { id: string }) {
  return { id: args.id, templateTest: true, data: `Data for ID: ${args.id}` };
}

let updates = 0;

export function watched_resource(): string {
  return `Watched resource content (update ${updates})`;
}

// The watched resource changes every 3 seconds; sessions that subscribed to it are told.
let timer: NodeJS.Timeout | undefined;
onInit(() => {
  timer = setInterval(() => {
    updates++;
    resources.changed("test://watched-resource");
  }, 3000);
  timer.unref();
});
onShutdown(() => clearInterval(timer));
