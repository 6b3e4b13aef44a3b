import { useEffect, useRef } from "react";

/** A bar chart drawn by ECharts in the browser (only the parts used are loaded). */
/** A bar chart; a null value is a gap (no data), and `max` fixes the axis (100 for percentages, so a half-full bar looks half full). */
export function BarChart({
  labels,
  values,
  title,
  height = 260,
  max,
}: {
  labels: string[];
  values: (number | null)[];
  title: string;
  height?: number;
  max?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { dispose(): void; resize(): void } | undefined;
    const onResize = () => chart?.resize();
    (async () => {
      const [core, charts, components, renderers] = await Promise.all([
        import("echarts/core"),
        import("echarts/charts"),
        import("echarts/components"),
        import("echarts/renderers"),
      ]);
      core.use([
        charts.BarChart,
        components.GridComponent,
        components.TooltipComponent,
        components.TitleComponent,
        renderers.CanvasRenderer,
      ]);
      if (disposed || !ref.current) return;
      const c = core.init(ref.current);
      c.setOption({
        title: { text: title, left: "center", textStyle: { fontSize: 14 } },
        tooltip: {},
        grid: { left: 40, right: 16, bottom: 40, top: 40 },
        xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1, ...(max !== undefined ? { min: 0, max } : {}) },
        series: [{ type: "bar", data: values.map((v) => (v === null ? "-" : v)), itemStyle: { color: "#0b5fff" } }],
      });
      chart = c;
      window.addEventListener("resize", onResize);
    })();
    return () => {
      disposed = true;
      window.removeEventListener("resize", onResize);
      chart?.dispose();
    };
  }, [labels, values, title, max]);
  return (
    <figure>
      <div
        ref={ref}
        style={{ width: "100%", height }}
        role="img"
        aria-label={`${title}：${labels.map((l, i) => `${l} ${values[i]}`).join("，")}`}
      />
    </figure>
  );
}
