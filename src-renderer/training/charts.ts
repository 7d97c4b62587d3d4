/** One line of a chart; null values leave a gap. */
export interface ChartSeries {
  label: string;
  color: string;
  values: (number | null)[];
  dashed?: boolean;
}

/** An exponential moving average, like TensorBoard's smoothing slider (0 = raw). */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  let last: number | null = null;
  return values.map((v) => {
    if (v === null) return null;
    last = last === null ? v : last * weight + v * (1 - weight);
    return last;
  });
}

/** A series colour may name a theme variable ('var(--chart-train)'): uPlot draws on a canvas, which needs the value. */
export function cssColor(styles: { getPropertyValue: (name: string) => string }, color: string): string {
  const match = /^var\((--[\w-]+)\)$/.exec(color.trim());
  if (!match?.[1]) return color;
  return styles.getPropertyValue(match[1]).trim() || color;
}
