/**
 * A value axis for the report charts: round steps (1, 2 or 5 × 10ⁿ won), from a multiple of the step
 * at or below the lowest value (0 at least) to one at or above the highest (0 at most), about four
 * steps in all. A range with nothing in it still gets an axis, 0 to 10,000.
 */
export function valueAxis(values: number[]): { min: number; max: number; ticks: number[] } {
  const high = Math.max(0, ...values);
  const low = Math.min(0, ...values);
  if (high === low) return { min: 0, max: 10_000, ticks: [0, 2_500, 5_000, 7_500, 10_000] };
  const step = roundStep((high - low) / 4);
  const min = Math.floor(low / step) * step;
  const max = Math.ceil(high / step) * step;
  const ticks: number[] = [];
  for (let tick = min; tick <= max; tick += step) ticks.push(tick);
  return { min, max, ticks };
}

function roundStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  const nice = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10;
  return Math.max(1, nice * power);
}

/** Won as the axis says them: 0, 5천, 1.5만, 120만 (with 원 after, where there is room). */
export function shortWon(amount: number): string {
  return new Intl.NumberFormat('ko-KR', { notation: 'compact', maximumFractionDigits: 1 }).format(amount);
}
