import type { ErrorObject } from "../errors.js";

/** A failure that already is the error object the tool returns (thrown inside the client, caught at its edge). */
export class CallFailure extends Error {
  constructor(readonly object: ErrorObject) {
    super(object.message);
  }
}
