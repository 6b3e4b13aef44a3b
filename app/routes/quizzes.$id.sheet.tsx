import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireActor } from "~/modules/auth/session.server";
import { authorizedQuiz } from "~/modules/inspections/access.server";
import { originOf, qrSvg } from "~/modules/inspections/qr.server";

export const meta: MetaFunction = () => [{ title: "逢查必考二维码 · 安训" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const quiz = await authorizedQuiz(actor, params.id, "inspect");
  const url = `${originOf(request)}/q/${quiz.token}`;
  return {
    enterprise: quiz.enterprise_name,
    code: quiz.join_code,
    qr: await qrSvg(url),
    base: `${originOf(request)}/q`,
    expires: quiz.expires_at.toISOString(),
    photo: Boolean(quiz.photo_at_join),
  };
}

/** A sheet to print and post on site. */
export default function Sheet() {
  const s = useLoaderData<typeof loader>();
  return (
    <div className="sheet">
      <h1>安全生产知识现场测验（逢查必考）</h1>
      <p>{s.enterprise}</p>
      <div className="qr" dangerouslySetInnerHTML={{ __html: s.qr }} />
      <p>手机扫码参加，或访问 {s.base} 输入测验码</p>
      <p className="join-code">{s.code}</p>
      {s.photo ? <p>加入时请用手机拍一张本人正面照片（供检查人员核对身份，不对外公开）。</p> : null}
      <p className="small">
        每人限答一次。有效期至{" "}
        {new Date(s.expires).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}
      </p>
    </div>
  );
}
