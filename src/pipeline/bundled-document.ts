// An OpenAPI document as one self-contained value (every file it refers to read in, no reference leaving it),
// for the tools that hand a document to another program (`test --mock` gives it to Prism). The pipeline is the
// one layer that drives the generators; the dev tools come through here.
import { confineRefs, loadDocument } from "../../generators/openapi/load.js";

/** The document at `path`, bundled, with every `$ref` confined to it. */
export async function bundledDocument(path: string): Promise<unknown> {
  const { document } = await loadDocument(path);
  confineRefs(document);
  return document;
}
