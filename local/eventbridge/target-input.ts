import { isJsonObject, type JsonValue } from '../aws-json/json';
import type { RuleTargetModel } from '../template/stack-model';
import type { EventEnvelope } from './event-entry';

/**
 * What a target receives: the constant `Input`, the part of the event `InputPath` selects, or (the
 * default) the whole event as JSON.
 */
export function targetInput(target: RuleTargetModel, event: EventEnvelope): string {
  if (target.input !== undefined) return target.input;
  if (target.inputPath === undefined) return JSON.stringify(event);
  const selected = selectJsonPath(event, target.inputPath);
  return typeof selected === 'string' ? selected : JSON.stringify(selected ?? null);
}

/** The simple JSONPath EventBridge accepts in InputPath: `$`, `$.a.b`, `$['a'].b`, `$.list[0]`. */
export function selectJsonPath(value: JsonValue, jsonPath: string): JsonValue | undefined {
  if (!jsonPath.startsWith('$')) throw new Error(`InputPath ${jsonPath} must start with $`);
  const steps = [...jsonPath.slice(1).matchAll(/\.([^.[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*(\d+)\s*\]/g)];
  const consumed = steps.reduce((length, step) => length + step[0].length, 0);
  if (consumed !== jsonPath.length - 1) throw new Error(`InputPath ${jsonPath} is not a simple JSONPath`);
  let current: JsonValue | undefined = value;
  for (const [, dotted, quoted, index] of steps) {
    if (index !== undefined) current = Array.isArray(current) ? current[Number(index)] : undefined;
    else current = isJsonObject(current) ? current[dotted ?? quoted] : undefined;
  }
  return current;
}
