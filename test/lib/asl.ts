import { Template } from 'aws-cdk-lib/assertions';
import { resourcesOfType } from './synth-helpers';

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  [key: string]: unknown;
}
export interface AslDefinition {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
}

/**
 * The state machine's ASL, parsed: the Fn::Join parts that are CloudFormation references become
 * `<ref:LogicalId>` placeholders, so the structure can be asserted as plain JSON.
 */
export function stateMachineDefinition(template: Template): AslDefinition {
  const [machine] = Object.values(resourcesOfType(template, 'AWS::StepFunctions::StateMachine'));
  const join = (machine.Properties?.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = join[1]
    .map((part) => (typeof part === 'string' ? part : `<ref:${referencedId(part)}>`))
    .join(join[0]);
  return JSON.parse(text) as AslDefinition;
}

function referencedId(part: unknown): string {
  const value = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return value.Ref ?? value['Fn::GetAtt']?.[0] ?? JSON.stringify(part);
}
