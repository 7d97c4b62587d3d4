import { analyze } from '../../src-shared/analysis/analyze';
import { formatCount } from '../../src-shared/analysis/summary';
import { templates } from '../../src-shared/templates/index';
import { parseFlags, usageLine } from './args';
import type { CliCommand } from './command';

const flags = { json: { type: 'boolean' } } as const;

/** `netwright templates [--json]`: the built-in templates with their sizes. */
export const templatesCommand: CliCommand = {
  name: 'templates',
  summary: 'List the built-in model templates',
  usage: usageLine('templates', '', flags),
  async run(args, io) {
    const { values } = parseFlags({ flags }, args);
    const rows = templates.map((t) => {
      const document = t.build();
      const analysis = analyze(document);
      const shapes = (ids: string[]) => ids.map((id) => analysis.nodes.get(id)?.outputShapes?.[0] ?? null);
      return {
        name: t.name,
        title: t.title,
        group: t.group,
        description: t.description,
        inputShapes: shapes(analysis.inputs),
        outputShapes: shapes(analysis.outputs),
        params: analysis.totals.params,
        flops: analysis.totals.flops,
        layers: document.nodes.length,
        reference: t.reference ?? null,
      };
    });
    if (values.json === true) {
      io.out(JSON.stringify(rows, null, 2));
      return 0;
    }
    const nameWidth = Math.max(...rows.map((r) => r.name.length));
    const titleWidth = Math.max(...rows.map((r) => r.title.length));
    io.out(`${'Name'.padEnd(nameWidth)}  ${'Title'.padEnd(titleWidth)}  ${'Params'.padStart(12)}  Input`);
    for (const r of rows) {
      const input = r.inputShapes.map((s) => (s ? s.join('×') : '?')).join(', ');
      io.out(`${r.name.padEnd(nameWidth)}  ${r.title.padEnd(titleWidth)}  ${formatCount(r.params.total).padStart(12)}  ${input}`);
    }
    io.out('');
    io.out('Open one with `netwright summary --template NAME`.');
    return 0;
  },
};
