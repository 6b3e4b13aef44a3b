import { z } from "../../lib/validation";

/**
 * What a lesson page may post (start, heartbeat signals, check-ins, resume, complete, self-checks). Kept in a
 * `.server` module so the lesson page's browser bundle does not carry zod.
 */
const Session = z.coerce.number({ error: "学习记录无效" }).int().positive("学习记录无效");
export const LessonIntent = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("start") }),
    z.object({
      intent: z.literal("signal"),
      sessionId: Session,
      signal: z.enum(["beat", "hidden", "visible"], { error: "未知的信号" }),
    }),
    z.object({
      intent: z.literal("checkin"),
      sessionId: Session,
      nonce: z.string().regex(/^[0-9a-f]{16}$/, "签到无效，请刷新页面"),
    }),
    z.object({ intent: z.literal("resume"), sessionId: Session }),
    z.object({ intent: z.literal("complete") }),
    z.object({
      intent: z.literal("selfcheck"),
      checkId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "自测题编号无效"),
      answer: z.preprocess(
        (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]),
        z.array(z.string().regex(/^([A-H]|true|false)$/, "答案无效")).min(1, "请先选择答案"),
      ),
    }),
  ],
  { error: "未知的操作" },
);
