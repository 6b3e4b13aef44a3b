import { useEffect, useState } from "react";

export interface BoardData {
  people: {
    id: number;
    rank: number;
    name: string;
    ident: string;
    score: number;
    ms: number;
    enterprise: string | null;
    region: string | null;
    flagged: boolean;
    entries: number;
  }[];
  enterprises: { rank: number; id: number; name: string; members: number; average: number }[];
  regions: { rank: number; id: number; name: string; members: number; average: number }[];
  me?: { rank: number | null; score: number | null } | null;
}

/** The three leaderboards, refreshed every 3 s from a JSON endpoint (any app process answers it). */
export function LiveBoards({ url, initial, wide = false }: { url: string; initial: BoardData; wide?: boolean }) {
  const [board, setBoard] = useState(initial);
  const [tab, setTab] = useState<"people" | "enterprises" | "regions">("people");
  const [updated, setUpdated] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    const load = async () => {
      try {
        const res = await fetch(url, { headers: { accept: "application/json" } });
        if (res.ok && !stop) {
          setBoard(await res.json());
          setUpdated(new Date().toLocaleTimeString("zh-CN", { hour12: false }));
        }
      } catch {
        /* offline: keep the last board */
      }
    };
    const timer = setInterval(load, 3000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [url]);
  const tabs = [
    ["people", "个人榜"],
    ["enterprises", "单位榜"],
    ["regions", "区县榜"],
  ] as const;
  const people = (
    <ol className="contest-board" aria-label="个人排行榜">
      {board.people.length === 0 ? (
        <li className="muted">还没有人完成答题</li>
      ) : (
        board.people.map((p) => (
          <li key={p.id} className={p.rank <= 3 ? `top top${p.rank}` : undefined}>
            <span className="rank">{p.rank}</span>
            <span className="cb-who">
              <b>{p.name}</b>
              <small>
                {p.enterprise ?? p.region ?? p.ident}
                {wide && p.flagged ? " · 速度异常" : ""}
              </small>
            </span>
            <span className="pts">
              {p.score}
              <small>分 · {(p.ms / 1000).toFixed(1)}秒</small>
            </span>
          </li>
        ))
      )}
    </ol>
  );
  const groups = (rows: BoardData["regions"], label: string) => (
    <ol className="contest-board" aria-label={label}>
      {rows.length === 0 ? (
        <li className="muted">暂无数据</li>
      ) : (
        rows.map((g) => (
          <li key={g.id} className={g.rank <= 3 ? `top top${g.rank}` : undefined}>
            <span className="rank">{g.rank}</span>
            <span className="cb-who">
              <b>{g.name}</b>
              <small>{g.members} 人参赛</small>
            </span>
            <span className="pts">
              {g.average}
              <small>平均分</small>
            </span>
          </li>
        ))
      )}
    </ol>
  );
  if (wide) {
    return (
      <div className="contest-boards-wide">
        <section className="card">
          <h2>个人榜</h2>
          {people}
        </section>
        <section className="card">
          <h2>单位榜</h2>
          {groups(board.enterprises, "单位排行榜")}
        </section>
        <section className="card">
          <h2>区县榜</h2>
          {groups(board.regions, "区县排行榜")}
        </section>
        {updated ? <p className="small muted">实时更新 · {updated}</p> : null}
      </div>
    );
  }
  return (
    <section className="card contest-boards">
      <div className="contest-tabs" role="tablist">
        {tabs.map(([k, l]) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? "on" : ""}
            onClick={() => setTab(k)}
          >
            {l}
          </button>
        ))}
      </div>
      {tab === "people"
        ? people
        : tab === "enterprises"
          ? groups(board.enterprises, "单位排行榜")
          : groups(board.regions, "区县排行榜")}
      <p className="small muted">每 3 秒自动更新{updated ? ` · ${updated}` : ""}</p>
    </section>
  );
}
