/**
 * Checks that the numbers report.html prints came from results.json: each printed number must be a number of
 * results.json rounded as printed (as is, ×100 for percentages and points, ÷60 for minutes), or a number-like token
 * of one of its strings (dates, CPU names, labels) — the verdict sentences excepted, since they are checked here.
 */
import type { LabResults } from '../../src/lab/results.js';

/** Numbers in text: 93,322 · 98.12 · 1e-4 · 7. */
const NUMBER = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi;

export const unescapeHtml = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Every number in results.json, and the number-like tokens of its strings except the verdict sentences. */
function collect(value: unknown, numbers: number[], tokens: Set<string>, key = ''): void {
  if (typeof value === 'number') numbers.push(value);
  else if (typeof value === 'string' && key !== 'sentence') for (const t of value.match(NUMBER) ?? []) tokens.add(t);
  else if (Array.isArray(value)) for (const v of value) collect(v, numbers, tokens);
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) collect(v, numbers, tokens, k);
}

export interface ReportNumbers {
  /** Numbers printed in the text, tables and verdicts (everything outside the charts and the style sheet). */
  readonly printed: readonly string[];
  /** Numbers the charts' data marks describe ("epoch: 2; value: 0.68; variant: …"); axis ticks are the scale's. */
  readonly marks: readonly string[];
  /** Those of both that no number of results.json explains. */
  readonly untraced: readonly string[];
}

export function reportNumbers(html: string, results: LabResults): ReportNumbers {
  const numbers: number[] = [];
  const tokens = new Set<string>();
  collect(results, numbers, tokens);
  const traced = (token: string): boolean => {
    if (tokens.has(token)) return true;
    const x = Number(token.replace(/,/g, ''));
    const decimals = /\.(\d+)$/.exec(token)?.[1]?.length ?? 0;
    const tolerance = 0.5 * 10 ** -decimals + 1e-9;
    return numbers.some((v) => [1, 100, 1 / 60].some((scale) => Math.abs(Math.abs(v) * scale - x) <= tolerance));
  };
  const text = unescapeHtml(
    html
      .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
      .replace(/<style>[\s\S]*?<\/style>/, ' ')
      .replace(/<[^>]+>/g, ' '),
  );
  const printed = text.match(NUMBER) ?? [];
  const labels = [...html.matchAll(/<path [^>]*aria-label="([^"]*)"[^>]*role="graphics-symbol"/g)].map((m) =>
    unescapeHtml(m[1] ?? ''),
  );
  const marks = labels
    .flatMap((m) => m.split('; ').map((pair) => pair.split(': ')[1] ?? ''))
    .filter((value) => /^-?[\d.]+%?$/.test(value))
    .map((value) => value.replace(/^-|%$/g, ''));
  return { printed, marks, untraced: [...printed, ...marks].filter((t) => !traced(t)) };
}
