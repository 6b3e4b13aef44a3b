import { useEffect } from "react";
import { useRevalidator } from "@remix-run/react";

/** While a drill is about to start or under way, reload the page's data every few seconds (start, injects, log). */
export function useLiveDrill(active: boolean, everyMs = 10_000) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && state === "idle") revalidate();
    }, everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs, revalidate, state]);
}
