import type { FunctionModel } from '../template/stack-model';

/** Read by the Lambda runtime when it starts a sandbox; set in this process it would only reach child processes. */
const SANDBOX_ONLY = new Set(['NODE_OPTIONS']);

/** The SDK endpoint variables; handler modules create their AWS clients from them once. */
const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3'] as const;

export class LambdaEnvironmentConflict extends Error {
  override readonly name = 'LambdaEnvironmentConflict';
}

/**
 * The one environment every in-process Lambda runs with: the runtime's SDK settings plus each function's
 * variables from the template. process.env is one per process and executions overlap, so swapping it per
 * invocation would leak values between concurrent invocations; the union is set once instead. That is
 * only faithful when no two functions (nor the SDK settings) give a variable different values, so a
 * conflict stops the start with a LambdaEnvironmentConflict naming it. `overrides` (local-only settings
 * such as POWERTOOLS_LOG_LEVEL) win over everything.
 */
export function sharedLambdaEnvironment(
  functions: readonly FunctionModel[],
  runtimeVariables: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const owners = new Map<string, string>(
    Object.keys(runtimeVariables).map((key) => [key, 'the local runtime']),
  );
  const merged: Record<string, string> = { ...runtimeVariables };
  for (const fn of functions) {
    for (const [key, value] of Object.entries(fn.environment)) {
      if (SANDBOX_ONLY.has(key)) continue;
      if (Object.hasOwn(merged, key) && merged[key] !== value) {
        throw new LambdaEnvironmentConflict(
          `Lambda environment variable ${key} is "${value}" for ${fn.name} but "${merged[key]}" for ` +
            `${owners.get(key)}: in-process Lambdas share one process environment, so each cannot have ` +
            'its own value. Give them one value, or different variable names.',
        );
      }
      merged[key] = value;
      owners.set(key, fn.name);
    }
  }
  return { ...merged, ...overrides };
}

let claimed = false;
let endpointsOfThisProcess: string | undefined;

/**
 * Sets `variables` in process.env for the in-process Lambdas and returns what puts the previous values
 * back. One local pipeline runtime per process at a time: a second would overwrite the first one's
 * variables. Later runtimes of the same process must keep the first one's endpoints (fixed ports),
 * because a handler module keeps the SDK clients it created with the endpoints it first saw.
 */
export function claimProcessEnvironment(variables: Readonly<Record<string, string>>): () => void {
  if (claimed) {
    throw new Error('A local pipeline runtime is already running in this process; stop it first.');
  }
  const endpoints = ENDPOINT_VARIABLES.map((key) => `${key}=${variables[key] ?? ''}`).join(' ');
  if (endpointsOfThisProcess !== undefined && endpointsOfThisProcess !== endpoints) {
    throw new Error(
      `This process already ran the Lambdas against ${endpointsOfThisProcess}; their modules keep the SDK ` +
        'clients made then. Start the local runtime once per process, or with the same ports again.',
    );
  }
  const previous = Object.fromEntries(Object.keys(variables).map((key) => [key, process.env[key]]));
  Object.assign(process.env, variables);
  claimed = true;
  endpointsOfThisProcess = endpoints;
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    claimed = false;
  };
}
