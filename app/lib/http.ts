import { data } from "@remix-run/node";

/** Thrown by loaders and actions for an expected refusal; the error boundary shows `message` in Chinese. */
export function httpError(status: 400 | 403 | 404 | 409 | 410 | 413 | 422 | 429, message: string): never {
  throw data({ message }, { status });
}

export function forbidden(message = "您没有权限查看或操作此内容。"): never {
  httpError(403, message);
}

export function notFound(message = "您要找的内容不存在或已被删除。"): never {
  httpError(404, message);
}
