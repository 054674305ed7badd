/**
 * Renders a Vega-Lite specification to a static SVG string in Node, headless: Vega's SVG string renderer needs no
 * canvas (text widths are estimated), so no native add-on is involved. Vega and Vega-Lite are loaded on first use,
 * so the other commands of the CLI do not pay for loading them, and only a rendered report needs them installed
 * (test/bundle.test.ts checks that neither `cnnlab` nor `cnnlab/node` reaches them).
 */
import type { TopLevelSpec } from 'vega-lite';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
