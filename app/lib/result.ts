import type { FieldErrors } from "./validation";

export type RefusalStatus = 400 | 403 | 404 | 409 | 410 | 413 | 422 | 429;

/**
 * A module operation that did not happen, and why, in words for the person. Modules return it and never build HTTP
 * responses; a route turns it into one with `refused()` (forms) or sends `status` and `message` (fetchers).
 * `field` names the one input the message is about; `fieldErrors` carries several.
 */
export type Refusal = { ok: false; status: RefusalStatus; message: string; field?: string; fieldErrors?: FieldErrors };

/** What a module operation returns: `{ ok: true, …what it made }` or a refusal. */
export type Result<T extends object = object> = ({ ok: true } & T) | Refusal;

/** The banner over a form whose inputs carry their own messages. */
export const CORRECT_MARKED = "请更正标出的内容后再提交。";

export function refuse(status: RefusalStatus, message: string, field?: string): Refusal {
  return field === undefined ? { ok: false, status, message } : { ok: false, status, message, field };
}

/**
 * Several inputs wrong at once, each with its message: a 422 under the CORRECT_MARKED banner, unless the refusal is
 * another (a 409 because of the state of things) or its banner says more than "correct the marked inputs".
 */
export function refuseFields(fieldErrors: FieldErrors, status: RefusalStatus = 422, message = CORRECT_MARKED): Refusal {
  return { ok: false, status, message, fieldErrors };
}
