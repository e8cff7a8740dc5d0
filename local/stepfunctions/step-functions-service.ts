import { AwsServiceError } from '../aws-json/aws-service-error';
import type { AwsJsonService } from '../aws-json/aws-json-protocol';
import { InputFields, type InputErrors } from '../aws-json/input-fields';
import type { JsonObject } from '../aws-json/json';
import type { ExecutionStatus, LocalExecution } from './local-execution';
import type { LocalStepFunctions } from './local-step-functions';

const stepFunctionsInputErrors: InputErrors = {
  invalid: (message) => new AwsServiceError('ValidationException', message),
  missing: (name) =>
    new AwsServiceError(
      'ValidationException',
      `Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    ),
};

const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/** The JSON 1.0 protocol carries timestamps as epoch seconds. */
const seconds = (milliseconds: number) => milliseconds / 1000;

/**
 * The Step Functions API in the AWS JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.<Operation>`):
 * StartExecution, DescribeExecution, ListExecutions, StopExecution, GetExecutionHistory and
 * ListStateMachines, enough for the SDK, the AWS CLI and the EventBridge target.
 */
export function stepFunctionsService(stepFunctions: LocalStepFunctions): AwsJsonService {
  const fields = (input: JsonObject) => new InputFields(input, stepFunctionsInputErrors);
  return {
    targetPrefix: 'AWSStepFunctions',
    jsonVersion: '1.0',
    errorTypePrefix: '',
    queryCompatible: false,
    operations: {
      StartExecution: (input) => {
        const request = fields(input);
        const execution = stepFunctions.start({
          stateMachineArn: request.requiredString('stateMachineArn'),
          input: request.optionalString('input'),
          name: request.optionalString('name'),
        });
        return { executionArn: execution.arn, startDate: seconds(execution.startDate) };
      },
      DescribeExecution: (input) =>
        describe(stepFunctions.describeExecution(fields(input).requiredString('executionArn'))),
      ListExecutions: (input) => {
        const request = fields(input);
        const statusFilter = request.optionalString('statusFilter');
        const status = STATUSES.find((candidate) => candidate === statusFilter);
        if (statusFilter !== undefined && !status) {
          throw stepFunctionsInputErrors.invalid(`statusFilter must be one of ${STATUSES.join(', ')}.`);
        }
        const executions = stepFunctions.listExecutions(request.requiredString('stateMachineArn'), status);
        const page = pageOf(executions, request);
        return { executions: page.items.map(summary), ...page.next };
      },
      StopExecution: (input) => {
        const request = fields(input);
        const execution = stepFunctions.stopExecution(
          request.requiredString('executionArn'),
          request.optionalString('error'),
          request.optionalString('cause'),
        );
        return { stopDate: seconds(execution.stopDate ?? Date.now()) };
      },
      GetExecutionHistory: (input) => {
        const request = fields(input);
        const execution = stepFunctions.describeExecution(request.requiredString('executionArn'));
        const events = [...execution.history.all];
        if (request.optionalBoolean('reverseOrder')) events.reverse();
        const page = pageOf(events, request);
        return { events: page.items, ...page.next };
      },
      ListStateMachines: (input) => {
        const page = pageOf(stepFunctions.stateMachines, fields(input));
        const stateMachines = page.items.map((machine) => ({
          stateMachineArn: machine.arn,
          name: machine.name,
          type: machine.type,
          creationDate: 0,
        }));
        return { stateMachines, ...page.next };
      },
    },
  };
}

function describe(execution: LocalExecution): JsonObject {
  const described: JsonObject = {
    ...summary(execution),
    input: execution.input,
    inputDetails: { included: true },
  };
  if (execution.output !== undefined) {
    described.output = execution.output;
    described.outputDetails = { included: true };
  }
  if (execution.error !== undefined) described.error = execution.error;
  if (execution.cause !== undefined) described.cause = execution.cause;
  return described;
}

function summary(execution: LocalExecution): JsonObject {
  const item: JsonObject = {
    executionArn: execution.arn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: seconds(execution.startDate),
  };
  if (execution.stopDate !== undefined) item.stopDate = seconds(execution.stopDate);
  return item;
}

/** maxResults (default 100, at most 1000; 0 means the default) and an opaque nextToken, as the List and Get operations page. */
function pageOf<T>(items: readonly T[], request: InputFields): { items: T[]; next: JsonObject } {
  const size = request.optionalInteger('maxResults', { min: 0, max: 1000 }) || 100;
  const token = request.optionalString('nextToken');
  const offset = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0 || offset > items.length) {
    throw new AwsServiceError('InvalidToken', `Invalid Token: '${token}'`);
  }
  const end = offset + size;
  const next: JsonObject =
    end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {};
  return { items: items.slice(offset, end), next };
}
