/** An interactive Plotly figure; plotly.js is loaded on first use (it is large). */
import { Spin } from "antd";
import type { Config, Data, Layout } from "plotly.js";
import { useEffect, useRef, useState } from "react";

interface Figure {
  data: unknown[];
  layout?: Record<string, unknown>;
}

type PlotlyModule = typeof import("plotly.js-dist-min");

let plotlyPromise: Promise<PlotlyModule> | null = null;
function loadPlotly(): Promise<PlotlyModule> {
  plotlyPromise ??= import("plotly.js-dist-min").then((m) => ((m as { default?: PlotlyModule }).default ?? m) as PlotlyModule);
  return plotlyPromise;
}

export function PlotlyChart({ figure }: { figure: Figure }) {
  const ref = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let cancelled = false;
    let plotly: PlotlyModule | null = null;
    const layout = { ...(figure.layout ?? {}), autosize: true };
    delete (layout as { width?: unknown }).width;
    loadPlotly()
      .then((module) => {
        if (cancelled) return;
        plotly = module;
        const config: Partial<Config> = { responsive: true, displaylogo: false };
        return module.newPlot(element, figure.data as Data[], layout as Partial<Layout>, config);
      })
      .then(() => !cancelled && setReady(true))
      .catch((err: unknown) => !cancelled && setFailed(String(err)));
    return () => {
      cancelled = true;
      if (plotly) plotly.purge(element);
    };
  }, [figure]);

  return (
    <div style={{ position: "relative" }}>
      {!ready && !failed && <Spin style={{ position: "absolute", top: 40, left: "50%" }} />}
      {failed && <pre className="stream-output stderr">{failed}</pre>}
      <div ref={ref} className="plotly-chart" data-testid="plotly-chart" />
    </div>
  );
}
