import type { CostLine, FixedLine, Leg } from './cost-model';
import type { PriceList } from './prices';

const LEG_TITLES: Record<Leg, string> = { ingestion: 'Ingestion to Pimcore', relay: 'Medusa relay' };

export interface CostReport {
  readonly products: number;
  readonly pricesAsOf: string;
  readonly region: string;
  readonly perMillion: number;
  readonly goalPerMillion: number;
  readonly withinGoal: boolean;
  readonly byLeg: Readonly<Record<Leg, number>>;
  readonly variableCost: number;
  readonly fixedMonthly: number;
}

export function costReport(
  products: number,
  lines: readonly CostLine[],
  fixed: readonly FixedLine[],
  prices: PriceList,
  goal: number,
): CostReport {
  const sum = (items: readonly CostLine[]) => items.reduce((total, line) => total + line.cost, 0);
  const variableCost = sum(lines);
  const perMillion = (variableCost / products) * 1e6;
  return {
    products,
    pricesAsOf: prices.asOf,
    region: prices.region,
    perMillion,
    goalPerMillion: goal,
    withinGoal: perMillion <= goal,
    byLeg: {
      ingestion: (sum(lines.filter((line) => line.leg === 'ingestion')) / products) * 1e6,
      relay: (sum(lines.filter((line) => line.leg === 'relay')) / products) * 1e6,
    },
    variableCost,
    fixedMonthly: fixed.reduce((total, line) => total + line.monthly, 0),
  };
}

/** The report as text: a table per leg, the fixed monthly costs apart, the total against the goal. */
export function costTable(
  lines: readonly CostLine[],
  fixed: readonly FixedLine[],
  report: CostReport,
  prices: PriceList,
): string {
  const n = report.products;
  const header = [
    'service',
    'item',
    'quantity',
    'unit price',
    `cost for ${n.toLocaleString('en-US')}`,
    'per million',
  ];
  const out: string[] = [
    `AWS prices of ${report.region}, as of ${report.pricesAsOf} (pricing/aws-prices.json)`,
  ];
  for (const leg of ['ingestion', 'relay'] as const) {
    const rows = lines
      .filter((line) => line.leg === leg)
      .map((line) => [
        line.service,
        line.item,
        quantity(line.quantity),
        `$${prices.prices[line.price].usd} / ${prices.prices[line.price].unit}`,
        money(line.cost),
        money((line.cost / n) * 1e6),
      ]);
    out.push(
      '',
      `${LEG_TITLES[leg]}: ${money(report.byLeg[leg])} per million products`,
      ...grid(header, rows),
    );
  }
  out.push(
    '',
    `Fixed monthly (whatever the volume, not in the per-million figure): ${money(report.fixedMonthly)}`,
    ...grid(
      ['item', 'quantity', 'monthly'],
      fixed.map((line) => [line.item, `${quantity(line.quantity)} ${line.unit}`, money(line.monthly)]),
    ),
    '',
    `Total variable cost: ${money(report.variableCost)} for ${n.toLocaleString('en-US')} products = ${money(report.perMillion)} per million ` +
      `(goal ≤ ${money(report.goalPerMillion)}: ${report.withinGoal ? 'MET' : 'NOT MET'})`,
  );
  return out.join('\n');
}

function grid(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const numeric = (column: number) => column >= 2;
  const render = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        numeric(column) && column !== 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(render)];
}

function money(value: number): string {
  if (value === 0) return '$0';
  return value >= 0.01 ? `$${value.toFixed(2)}` : `$${value.toPrecision(2)}`;
}

function quantity(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : Number(value.toPrecision(3)).toString();
}
