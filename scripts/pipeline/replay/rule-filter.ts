import { ListRulesCommand, type EventBridgeClient, type Rule } from '@aws-sdk/client-eventbridge';
import { UsageError } from '../../cli/command-line';

/** An enabled rule of the bus and the detail types its event pattern names. */
export interface BusRule {
  readonly name: string;
  readonly arn: string;
  readonly detailTypes: readonly string[];
}

/** The exact `detail-type` values of a pattern; content filters ({"prefix": …}) name no type. */
function detailTypesOf(eventPattern: string | undefined): string[] {
  if (eventPattern === undefined) return [];
  const values: unknown = (JSON.parse(eventPattern) as Record<string, unknown>)['detail-type'];
  return Array.isArray(values) ? values.filter((value): value is string => typeof value === 'string') : [];
}

/** The bus's enabled rules (a disabled one would receive nothing), with the detail types each routes. */
export async function listBusRules(eventBridge: EventBridgeClient, busName: string): Promise<BusRule[]> {
  const rules: Rule[] = [];
  let NextToken: string | undefined;
  do {
    const page = await eventBridge.send(new ListRulesCommand({ EventBusName: busName, NextToken }));
    rules.push(...(page.Rules ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return rules
    .filter((rule) => rule.State === 'ENABLED')
    .map((rule) => ({ name: rule.Name!, arn: rule.Arn!, detailTypes: detailTypesOf(rule.EventPattern) }));
}

/**
 * The rules that route the given detail types: StartReplay filters by rule (Destination.FilterArns),
 * not by detail type. A detail type no rule names is refused with those the rules do route.
 */
export function rulesRouting(
  busName: string,
  rules: readonly BusRule[],
  detailTypes: readonly string[],
): BusRule[] {
  const unrouted = detailTypes.filter((type) => !rules.some((rule) => rule.detailTypes.includes(type)));
  if (unrouted.length > 0) {
    const routed = [...new Set(rules.flatMap((rule) => rule.detailTypes))].sort();
    throw new UsageError(
      `no rule of bus ${busName} routes detail type ${unrouted.join(', ')}; the rules route: ${routed.join(', ') || 'none'}`,
    );
  }
  return rules.filter((rule) => rule.detailTypes.some((type) => detailTypes.includes(type)));
}

/** The other detail types the chosen rules route: their events of the window are replayed as well. */
export function alsoReplayed(rules: readonly BusRule[], detailTypes: readonly string[]): string[] {
  return [...new Set(rules.flatMap((rule) => rule.detailTypes))].filter(
    (type) => !detailTypes.includes(type),
  );
}
