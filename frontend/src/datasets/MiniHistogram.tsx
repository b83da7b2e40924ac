/** A small SVG bar chart of a column histogram ({edges, counts}); each bar has a tooltip. */
import { formatValue } from "../common/format";

interface Props {
  histogram: { edges: unknown[]; counts: number[] };
  width?: number;
  height?: number;
}

export function MiniHistogram({ histogram, width = 120, height = 28 }: Props) {
  const { counts, edges } = histogram;
  if (counts.length === 0) return null;
  const max = Math.max(...counts, 1);
  const gap = counts.length > 30 ? 0 : 1;
  const barWidth = width / counts.length;
  return (
    <svg className="mini-hist" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" data-testid="mini-histogram">
      {counts.map((count, i) => {
        const h = count === 0 ? 0 : Math.max(1, (count / max) * height);
        return (
          <rect key={i} x={i * barWidth} y={height - h} width={Math.max(barWidth - gap, 0.5)} height={h}>
            <title>{`${formatValue(edges[i])} – ${formatValue(edges[i + 1])}: ${count.toLocaleString()}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
