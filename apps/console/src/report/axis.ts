/** Round axis ticks for a range of fen. */
export function axisTicks(min: number, max: number, count = 4): number[] {
  const span = Math.max(max - min, 100);
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  let v = Math.floor(min / step) * step;
  ticks.push(v);
  while (v < max) {
    v += step;
    ticks.push(v);
  }
  return ticks;
}
