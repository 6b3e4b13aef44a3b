import { plainLine, textParts } from "../formats/text";

/**
 * A question's stem, option or explanation in the one text model (decision 0014): plain text (React escapes it,
 * so no tag or entity is ever interpreted or shown raw), line breaks kept, pictures and audio from the media
 * store. `inline` gives one line for lists (media named, not shown).
 */
export function QuestionText({ text, inline = false, max }: { text: string; inline?: boolean; max?: number }) {
  if (inline) return <>{plainLine(text, max)}</>;
  return (
    <span className="qtext">
      {textParts(text).map((p, i) =>
        "text" in p ? (
          <span key={i}>{p.text}</span>
        ) : p.kind === "img" ? (
          <img key={i} className="qmedia" src={`/media/questions/${p.hash}`} alt="题目图片" loading="lazy" />
        ) : (
          <audio key={i} className="qmedia" src={`/media/questions/${p.hash}`} controls preload="none">
            <track kind="captions" />
          </audio>
        ),
      )}
    </span>
  );
}
