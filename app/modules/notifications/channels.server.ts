import { sql } from "kysely";
import { now } from "../../lib/clock.server";
import { db } from "../../lib/db.server";

/**
 * Channels deliver notification rows (written by notify(), whoever wrote them). The inbox 站内信 is the row itself
 * and always on; outside channels (SMS, WeChat template messages) are switched on by ANXUN_CHANNELS and get one
 * `notification_delivery` row per notification with status, attempts and the last error. See decision 0020.
 */
export const CHANNEL_NAMES = ["inbox", "sms", "wechat"] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];
export type OutsideChannel = Exclude<ChannelName, "inbox">;

/** What an adapter gets: the notification and the recipient's address on its channel. */
export interface Outgoing {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  address: string;
}

export interface ChannelAdapter {
  name: OutsideChannel;
  /** The recipients' addresses on this channel, by person id (people without one are skipped). */
  addresses(personIds: number[]): Promise<Map<number, string>>;
  /** Throws (with a short reason) when the message was not accepted. */
  send(message: Outgoing): Promise<void>;
}

export class ChannelConfigError extends Error {}

export interface ChannelConfig {
  channels: OutsideChannel[];
  sms?: { endpoint: string; apiKey: string; sign: string; template: string };
  wechat?: { apiBase: string; appId: string; appSecret: string; templateId: string };
  publicUrl?: string;
}

type EnvLike = Record<string, string | undefined>;

const need = (e: EnvLike, name: string, channel: string) => {
  const v = e[name]?.trim();
  if (!v)
    throw new ChannelConfigError(
      `通知渠道 ${channel} 缺少配置 ${name} / notification channel "${channel}" needs ${name}`,
    );
  return v;
};

const httpUrl = (v: string, name: string) => {
  try {
    const u = new URL(v);
    if (u.protocol === "http:" || u.protocol === "https:") return v.replace(/\/+$/, "");
  } catch {
    /* below */
  }
  throw new ChannelConfigError(`${name} 不是有效的 http(s) 地址 / ${name} is not an http(s) URL: ${v}`);
};

/**
 * Read ANXUN_CHANNELS ("inbox,sms,wechat"; default "inbox") and the settings of each channel named. An unknown name or
 * a missing setting is refused with a message in Chinese and English; nothing is changed.
 */
export function channelConfig(e: EnvLike = process.env): ChannelConfig {
  const names = (e.ANXUN_CHANNELS ?? "inbox")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(CHANNEL_NAMES as readonly string[]).includes(n));
  if (unknown.length) {
    throw new ChannelConfigError(
      `未知的通知渠道：${unknown.join("、")}（可用：${CHANNEL_NAMES.join("、")}） / unknown notification channel in ANXUN_CHANNELS: ${unknown.join(", ")} (known: ${CHANNEL_NAMES.join(", ")})`,
    );
  }
  const config: ChannelConfig = { channels: [], publicUrl: e.PUBLIC_URL?.trim() || undefined };
  if (names.includes("sms")) {
    config.sms = {
      endpoint: httpUrl(need(e, "SMS_ENDPOINT", "sms"), "SMS_ENDPOINT"),
      apiKey: need(e, "SMS_API_KEY", "sms"),
      sign: need(e, "SMS_SIGN", "sms"),
      template: need(e, "SMS_TEMPLATE", "sms"),
    };
    config.channels.push("sms");
  }
  if (names.includes("wechat")) {
    config.wechat = {
      apiBase: httpUrl(e.WECHAT_API_BASE?.trim() || "https://api.weixin.qq.com", "WECHAT_API_BASE"),
      appId: need(e, "WECHAT_APP_ID", "wechat"),
      appSecret: need(e, "WECHAT_APP_SECRET", "wechat"),
      templateId: need(e, "WECHAT_TEMPLATE_ID", "wechat"),
    };
    config.channels.push("wechat");
  }
  return config;
}

const TIMEOUT_MS = 5_000;

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  return text;
}

const absolute = (link: string | null, base?: string) =>
  link && base ? `${base.replace(/\/+$/, "")}${link}` : (link ?? "");

/** An SMS gateway taking JSON: { phone, sign, template, params: { title, body, link } } with a bearer key. */
export function smsAdapter(c: NonNullable<ChannelConfig["sms"]>, publicUrl?: string): ChannelAdapter {
  return {
    name: "sms",
    async addresses(personIds) {
      if (!personIds.length) return new Map();
      const rows = await db
        .selectFrom("person")
        .select(["id", "phone"])
        .where("id", "in", personIds)
        .where("phone", "is not", null)
        .execute();
      return new Map(rows.filter((r) => r.phone && /^1\d{10}$/.test(r.phone)).map((r) => [r.id, r.phone!]));
    },
    async send(m) {
      const text = await postJson(
        c.endpoint,
        {
          phone: m.address,
          sign: c.sign,
          template: c.template,
          params: { title: m.title, body: m.body.slice(0, 60), link: absolute(m.link, publicUrl) },
        },
        { authorization: `Bearer ${c.apiKey}` },
      );
      // Gateways answer 200 with a code; anything other than ok/0 is a refusal.
      let parsed: { code?: unknown; message?: unknown } = {};
      try {
        parsed = JSON.parse(text);
      } catch {
        /* a plain 200 is acceptance */
      }
      if (parsed.code !== undefined && parsed.code !== 0 && parsed.code !== "0" && parsed.code !== "OK") {
        throw new Error(`SMS gateway refused: ${String(parsed.code)} ${String(parsed.message ?? "")}`.slice(0, 300));
      }
    },
  };
}

/**
 * WeChat official-account template messages: an access token from /cgi-bin/token (cached until shortly before it
 * expires), then /cgi-bin/message/template/send with the person's openid.
 */
export function wechatAdapter(c: NonNullable<ChannelConfig["wechat"]>, publicUrl?: string): ChannelAdapter {
  let token: { value: string; until: number } | null = null;
  const accessToken = async () => {
    if (token && token.until > Date.now()) return token.value;
    const url = `${c.apiBase}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(c.appId)}&secret=${encodeURIComponent(c.appSecret)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      errcode?: number;
      errmsg?: string;
    };
    if (!body.access_token)
      throw new Error(`WeChat token refused: ${body.errcode ?? res.status} ${body.errmsg ?? ""}`.slice(0, 300));
    token = { value: body.access_token, until: Date.now() + Math.max(60, (body.expires_in ?? 7200) - 300) * 1000 };
    return token.value;
  };
  return {
    name: "wechat",
    async addresses(personIds) {
      if (!personIds.length) return new Map();
      const rows = await db
        .selectFrom("person_wechat")
        .select(["person_id", "openid"])
        .where("person_id", "in", personIds)
        .execute();
      return new Map(rows.map((r) => [r.person_id, r.openid]));
    },
    async send(m) {
      const text = await postJson(
        `${c.apiBase}/cgi-bin/message/template/send?access_token=${encodeURIComponent(await accessToken())}`,
        {
          touser: m.address,
          template_id: c.templateId,
          url: absolute(m.link, publicUrl) || undefined,
          data: {
            first: { value: m.title },
            keyword1: { value: m.title },
            keyword2: { value: m.body.slice(0, 100) || "—" },
            remark: { value: "安训 · 站内信" },
          },
        },
      );
      const parsed = JSON.parse(text) as { errcode?: number; errmsg?: string };
      if (parsed.errcode) {
        if (parsed.errcode === 40001 || parsed.errcode === 42001) token = null; // token expired: fetch anew next time
        throw new Error(`WeChat refused: ${parsed.errcode} ${parsed.errmsg ?? ""}`.slice(0, 300));
      }
    },
  };
}

export function adaptersFor(config: ChannelConfig): ChannelAdapter[] {
  const out: ChannelAdapter[] = [];
  if (config.sms) out.push(smsAdapter(config.sms, config.publicUrl));
  if (config.wechat) out.push(wechatAdapter(config.wechat, config.publicUrl));
  return out;
}

export const MAX_ATTEMPTS = 5;
const BATCH = 200;
/** Retry after 1, 4, 9, 16 minutes. */
const backoffMs = (attempts: number) => attempts * attempts * 60_000;

/**
 * Queue new notifications for each outside channel (keyset over notification ids from the channel's cursor; a
 * channel switched on later starts from the newest id, it does not send the past), then send what is due. Safe in
 * several processes at once: deliveries are unique per notification and channel, and each is claimed by a
 * compare-and-set on (status, next_at) before it is sent. Returns counts for tests and logs.
 */
export async function dispatchNotifications(adapters: ChannelAdapter[]) {
  const counts = { queued: 0, sent: 0, failed: 0, skipped: 0, retry: 0 };
  for (const adapter of adapters) {
    await db
      .insertInto("notification_cursor")
      .ignore()
      .values({
        channel: adapter.name,
        last_id: sql<number>`(SELECT COALESCE(MAX(id), 0) FROM notification)`,
      })
      .execute();
    const cursor = await db
      .selectFrom("notification_cursor")
      .select("last_id")
      .where("channel", "=", adapter.name)
      .executeTakeFirstOrThrow();
    const fresh = await db
      .selectFrom("notification")
      .select("id")
      .where("id", ">", Number(cursor.last_id))
      .orderBy("id")
      .limit(500)
      .execute();
    if (fresh.length) {
      const last = fresh[fresh.length - 1].id;
      const res = await db
        .insertInto("notification_delivery")
        .ignore()
        .values(fresh.map((n) => ({ notification_id: n.id, channel: adapter.name })))
        .executeTakeFirst();
      counts.queued += Number(res.numInsertedOrUpdatedRows ?? 0);
      await db
        .updateTable("notification_cursor")
        .set({ last_id: sql<number>`GREATEST(last_id, ${last})` })
        .where("channel", "=", adapter.name)
        .execute();
    }
    const due = await db
      .selectFrom("notification_delivery")
      .innerJoin("notification", "notification.id", "notification_delivery.notification_id")
      .select([
        "notification_delivery.id",
        "notification_delivery.attempts",
        "notification_delivery.next_at",
        "notification.id as notification_id",
        "notification.person_id",
        "notification.kind",
        "notification.title",
        "notification.body",
        "notification.link",
      ])
      .where("notification_delivery.status", "=", "pending")
      .where("notification_delivery.channel", "=", adapter.name)
      .where("notification_delivery.next_at", "<=", now())
      .orderBy("notification_delivery.next_at")
      .limit(BATCH)
      .execute();
    const addresses = await adapter.addresses([
      ...new Set(due.map((d) => d.person_id).filter((p): p is number => p !== null)),
    ]);
    for (const d of due) {
      const address = d.person_id === null ? undefined : addresses.get(d.person_id);
      if (!address) {
        await db
          .updateTable("notification_delivery")
          .set({ status: "skipped", last_error: "收件人没有该渠道的地址 / no address on this channel" })
          .where("id", "=", d.id)
          .where("status", "=", "pending")
          .execute();
        counts.skipped++;
        continue;
      }
      // Claim: only the process that moves next_at on sends it.
      const at = now();
      const claimed = await db
        .updateTable("notification_delivery")
        .set({ attempts: d.attempts + 1, next_at: new Date(at.getTime() + backoffMs(d.attempts + 1)) })
        .where("id", "=", d.id)
        .where("status", "=", "pending")
        .where("attempts", "=", d.attempts)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      try {
        await adapter.send({
          id: d.notification_id,
          kind: d.kind,
          title: d.title,
          body: d.body,
          link: d.link,
          address,
        });
        await db
          .updateTable("notification_delivery")
          .set({ status: "sent", sent_at: now(), last_error: null })
          .where("id", "=", d.id)
          .execute();
        counts.sent++;
      } catch (e) {
        const message = (e instanceof Error ? e.message : String(e)).slice(0, 500);
        const failed = d.attempts + 1 >= MAX_ATTEMPTS;
        await db
          .updateTable("notification_delivery")
          .set({ status: failed ? "failed" : "pending", last_error: message })
          .where("id", "=", d.id)
          .execute();
        if (failed) counts.failed++;
        else counts.retry++;
      }
    }
  }
  return counts;
}

/** Deliveries of one notification, for its page and tests. */
export async function deliveriesOf(notificationId: number) {
  return db
    .selectFrom("notification_delivery")
    .select(["channel", "status", "attempts", "last_error", "sent_at"])
    .where("notification_id", "=", notificationId)
    .orderBy("channel")
    .execute();
}
