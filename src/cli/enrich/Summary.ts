import { DEFAULT_ATTRIBUTE_KEYS as KEYS } from '../../core/attributes.ts';
import type { Style } from '../style.ts';

/** Counts of what `enrich` saw; bounded by the catalog (codes), not by the input. */
export class Summary {
  lines = 0;
  matched = 0;
  platformFaults = 0;
  private readonly _byPlatform = new Map<string, number>();
  private readonly _byCategory = new Map<string, number>();
  private readonly _byCode = new Map<string, number>();

  add(attributes: Readonly<Record<string, unknown>>): void {
    this.lines++;
    const code = attributes[KEYS.code];
    if (typeof code !== 'string') return;
    this.matched++;
    if (attributes[KEYS.platformFault] === true) this.platformFaults++;
    const platform = String(attributes[KEYS.platform]);
    bump(this._byPlatform, platform);
    bump(this._byCategory, String(attributes[KEYS.category]));
    bump(this._byCode, `${platform}:${code}`);
  }

  render(style: Style): string {
    const share = this.lines === 0 ? 0 : (100 * this.matched) / this.lines;
    const faultCount = count(this.platformFaults, 'platform fault');
    const faults = this.platformFaults > 0 ? style.red(faultCount) : faultCount;
    const head = `${count(this.lines, 'line')} · ${count(this.matched, 'platform error')} (${share.toFixed(1)}%) · ${faults}`;
    if (this.matched === 0) return `${style.bold('summary')} ${head}`;
    return [
      `${style.bold('summary')} ${head}`,
      `  ${style.dim('by platform'.padEnd(12))} ${top(this._byPlatform)}`,
      `  ${style.dim('by category'.padEnd(12))} ${top(this._byCategory)}`,
      `  ${style.dim('top codes'.padEnd(12))} ${top(this._byCode, 8)}`,
    ].join('\n');
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function top(map: Map<string, number>, limit = Number.POSITIVE_INFINITY): string {
  return [...map]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([key, n]) => `${key} ${n}`)
    .join(' · ');
}
