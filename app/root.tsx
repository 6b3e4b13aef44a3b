import { navigationOf, roleLabelOf } from "~/modules/auth/policy";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { setTimeZone, timeZone } from "./lib/calendar";
import { useNonce } from "./lib/nonce";
import { getActor } from "./modules/auth/session.server";
import { unreadBadge } from "./modules/notifications/inbox.server";
import styles from "./styles.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = () => [{ title: "安训 · 安全生产培训考试与演练" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await getActor(request);
  return {
    actor: actor && { displayName: actor.displayName, roleLabel: roleLabelOf(actor) },
    nav: actor ? navigationOf(actor) : { items: [], tabs: [] },
    // One bounded index read (at most 100 rows) for the 站内信 badge.
    unread: actor ? await unreadBadge({ userId: actor.userId, personId: actor.personId }) : 0,
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
        <a className="skip" href="#main">
          跳到正文
        </a>
        {data?.actor ? (
          <Shell actor={data.actor} nav={data.nav} unread={data.unread} />
        ) : (
          <header className="topbar">
            <a className="brand" href="/">
              安训
            </a>
          </header>
        )}
        <main id="main" className={data?.nav.tabs.length ? "with-tabbar" : undefined}>
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

type ShellProps = {
  actor: { displayName: string; roleLabel: string };
  nav: { items: { to: string; label: string }[]; tabs: { to: string; label: string }[] };
  unread: number;
};

const Bell = () => (
  <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
    />
  </svg>
);

const TAB_ICONS: Record<string, string> = {
  "/": "M3 11.5 12 4l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1v-8.5Z",
  "/courses": "M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 20.5v-15ZM6.5 18H20v3H6.5a1.5 1.5 0 0 1 0-3Z",
  "/exams": "M7 3h10a2 2 0 0 1 2 2v16l-3-2-2 2-2-2-2 2-2-2-3 2V5a2 2 0 0 1 2-2Zm1 5v2h8V8H8Zm0 4v2h6v-2H8Z",
  "/me": "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5Z",
};

/**
 * The phone-first shell: a one-row header (brand, the full navigation from 1100 px up, 站内信 with its unread badge,
 * a 菜单 drawer with every page and the account actions below that), and for workers a bottom tab bar on phones.
 */
function Shell({ actor, nav, unread }: ShellProps) {
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  // The drawer closes when a link in it navigates (client navigation keeps the document).
  useEffect(() => menu.current?.removeAttribute("open"), [location.key]);
  // No tab bar while answering a paper: nothing to tap away to, and nothing covering the last question.
  const answering = /^\/(attempts\/\d+\/?$|exams\/\d+\/start|practice\/question|q\/|r\/|c\/|s\/|callout\/)/.test(
    location.pathname,
  );
  const worker = nav.tabs.length > 0;
  return (
    <>
      <header className={`topbar${worker ? " topbar-worker" : ""}`}>
        <a className="brand" href="/">
          安训
        </a>
        <nav className="nav nav-wide" aria-label="主导航">
          {nav.items.map((item) => (
            <NavLink key={item.to} to={item.to} end={item.to === "/"}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="top-actions">
          <a
            className="inbox-link"
            href="/inbox"
            aria-label={unread ? `站内信，${unread >= 100 ? "99+" : unread} 条未读` : "站内信"}
            data-testid="inbox-link"
          >
            <Bell />
            {unread ? (
              <span className="count" data-testid="unread-count">
                {unread >= 100 ? "99+" : unread}
              </span>
            ) : null}
          </a>
          <details className="menu" ref={menu}>
            <summary aria-label="菜单">
              <span className="menu-icon" aria-hidden="true" />
              <span className="menu-name">{actor.displayName}</span>
            </summary>
            <div className="menu-panel">
              <p className="menu-who">
                <strong>{actor.displayName}</strong>
                <br />
                <span className="small">{actor.roleLabel}</span>
              </p>
              <nav className="menu-nav" aria-label="全部功能">
                {nav.items.map((item) => (
                  <NavLink key={item.to} to={item.to} end={item.to === "/"}>
                    {item.label}
                  </NavLink>
                ))}
                <NavLink to="/inbox">站内信{unread ? `（${unread >= 100 ? "99+" : unread}）` : ""}</NavLink>
              </nav>
              <div className="menu-account">
                <a href="/account/password">修改密码</a>
                <Form method="post" action="/logout">
                  <button type="submit" className="secondary">
                    退出
                  </button>
                </Form>
              </div>
            </div>
          </details>
        </div>
      </header>
      {worker && !answering ? (
        <nav className="tabbar" aria-label="底部导航">
          {nav.tabs.map((t) => (
            <NavLink key={t.to} to={t.to} end={t.to === "/"}>
              <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
                <path fill="currentColor" d={TAB_ICONS[t.to]} />
              </svg>
              <span>{t.label}</span>
            </NavLink>
          ))}
        </nav>
      ) : null}
    </>
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
    const message =
      typeof error.data === "object" && error.data && "message" in error.data ? String(error.data.message) : null;
    const titles: Record<number, string> = { 403: "无权访问", 404: "页面不存在", 429: "操作过于频繁", 413: "内容过大" };
    return (
      <div className="error-page">
        <div className="code">{error.status}</div>
        <h1>{titles[error.status] ?? "请求无法完成"}</h1>
        <p>{message ?? (error.status === 404 ? "您要找的页面不存在，请检查网址。" : "请求无法完成，请返回重试。")}</p>
        <p>
          <a href="/">返回首页</a>
        </p>
      </div>
    );
  }
  console.error(error);
  return (
    <div className="error-page">
      <div className="code">500</div>
      <h1>系统出了点问题</h1>
      <p>我们已记录此错误。请稍后重试，或返回首页。</p>
      <p>
        <a href="/">返回首页</a>
      </p>
    </div>
  );
}
