import { notFound } from "~/lib/http";

export function loader() {
  notFound("您要找的页面不存在，请检查网址。");
}

export function action() {
  notFound("您要找的页面不存在，请检查网址。");
}

export default function NotFound() {
  return null;
}
