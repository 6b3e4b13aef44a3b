import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form, isRouteErrorResponse, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError, useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { setTimeZone, timeZone } from "./lib/calendar";
import { useNonce } from "./lib/nonce";
import { getActor } from "./modules/auth/session.server";
import { navFor } from "./modules/auth/navigation";
import { ROLE_LABELS } from "./modules/org/labels";
import styles from "./styles.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = () => [{ title: "安训 · 安全生产培训考试与演练" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await getActor(request);
  return {
    actor: actor && { displayName: actor.displayName, role: actor.role, roleLabel: ROLE_LABELS[actor.role] },
    nav: actor ? navFor(actor.role) : [],
    timeZone: timeZone(),
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  // Pages show days and times in the server's zone (calendar.ts), wherever the browser is.
  if (data?.timeZone) setTimeZone(data.timeZone);
  const nonce = useNonce();
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip" href="#main">跳到正文</a>
        <header className="topbar">
          <a className="brand" href="/">安训</a>
          <nav className="nav" aria-label="主导航">
            {data?.nav.map((item) => <NavLink key={item.to} to={item.to} end={item.to === "/"}>{item.label}</NavLink>)}
          </nav>
          {data?.actor ? (
            <div className="who">
              <span className="name">{data.actor.displayName}（{data.actor.roleLabel}）</span>
              <a href="/account/password">修改密码</a>
              <Form method="post" action="/logout"><button type="submit">退出</button></Form>
            </div>
          ) : null}
        </header>
        <main id="main">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  // Marks the document once React has hydrated it: end-to-end tests wait for it before their first click, since a
  // navigation started mid-hydration can abort React 18's hydration (error #345).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const message = typeof error.data === "object" && error.data && "message" in error.data ? String(error.data.message) : null;
    const titles: Record<number, string> = { 403: "无权访问", 404: "页面不存在", 429: "操作过于频繁", 413: "内容过大" };
    return (
      <div className="error-page">
        <div className="code">{error.status}</div>
        <h1>{titles[error.status] ?? "请求无法完成"}</h1>
        <p>{message ?? (error.status === 404 ? "您要找的页面不存在，请检查网址。" : "请求无法完成，请返回重试。")}</p>
        <p><a href="/">返回首页</a></p>
      </div>
    );
  }
  console.error(error);
  return (
    <div className="error-page">
      <div className="code">500</div>
      <h1>系统出了点问题</h1>
      <p>我们已记录此错误。请稍后重试，或返回首页。</p>
      <p><a href="/">返回首页</a></p>
    </div>
  );
}
