// A time-series chart (uPlot, canvas) with optional interval bands, sized to its container.

import { useEffect, useRef } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { ChartData } from "../lib/aggregate";

export interface SeriesSpec {
  label: string;
  colour: string;
  dash?: number[];
  /** Fill colour when this series is the upper edge of a band. */
  fill?: string;
  width?: number;
}

interface ChartProps {
  title: string;
  unit: string;
  data: ChartData;
  series: SeriesSpec[];
  /** Pairs of 1-based series indices (upper, lower) filled between. */
  bands?: Array<[number, number]>;
  bandFill?: string;
  height?: number;
  testId?: string;
}

/** False where the page cannot draw on a canvas (very old browsers, jsdom). */
function canvasAvailable(): boolean {
  try {
    return document.createElement("canvas").getContext("2d") != null;
  } catch {
    return false;
  }
}

export function TimeSeriesChart({ title, unit, data, series, bands, bandFill, height = 220, testId }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = container.current;
    if (!el || !canvasAvailable()) return;
    let plot: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    // uPlot is loaded on first use: the overview does not need it.
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      const opts: uPlot.Options = {
        width: Math.max(280, el.clientWidth),
        height,
        legend: { show: true },
        scales: { x: { time: true } },
        axes: [{}, { label: unit, size: 56 }],
        series: [
          { label: "date", value: (_u, v) => (v == null ? "–" : new Date(v * 1000).toISOString().slice(0, 10)) },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.colour,
            width: s.width ?? 1.5,
            dash: s.dash,
            spanGaps: false,
            points: { show: false },
          })),
        ],
        bands: bands?.map(([upper, lower]) => ({
          series: [upper, lower] as [number, number],
          fill: bandFill ?? "rgba(0,0,0,0.12)",
        })),
      };
      const p = new UPlot(opts, [data.x, ...data.series] as uPlot.AlignedData, el);
      plot = p;
      observer = new ResizeObserver(() => p.setSize({ width: Math.max(280, el.clientWidth), height }));
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [data, series, bands, bandFill, height, unit]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {data.x.length === 0 ? (
        <p className="empty">No data for this period.</p>
      ) : (
        <div ref={container} className="chart-canvas" data-points={data.x.length} />
      )}
    </figure>
  );
}
