import {
  claimProcessEnvironment,
  LambdaEnvironmentConflict,
  sharedLambdaEnvironment,
} from '../../local/wiring/lambda-environment';
import { fixtureFunction } from './step-functions-harness';

const withEnvironment = (name: string, environment: Record<string, string>) => ({
  ...fixtureFunction(name),
  environment,
});

describe('sharedLambdaEnvironment', () => {
  const runtime = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_REGION: 'us-east-1' };

  it('is the runtime variables plus every function variable, without sandbox-only ones', () => {
    const functions = [
      withEnvironment('validate', {
        BUCKET_NAME: 'b',
        STAGING_BATCH_SIZE: '250',
        NODE_OPTIONS: '--enable-source-maps',
      }),
      withEnvironment('publish', { BUCKET_NAME: 'b', EVENT_BUS_NAME: 'products' }),
    ];
    expect(sharedLambdaEnvironment(functions, runtime, { POWERTOOLS_LOG_LEVEL: 'SILENT' })).toEqual({
      ...runtime,
      BUCKET_NAME: 'b',
      STAGING_BATCH_SIZE: '250',
      EVENT_BUS_NAME: 'products',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
  });

  it('refuses two functions that give one variable different values', () => {
    const functions = [
      withEnvironment('a', { BUCKET_NAME: 'one' }),
      withEnvironment('b', { BUCKET_NAME: 'two' }),
    ];
    expect(() => sharedLambdaEnvironment(functions, runtime)).toThrow(LambdaEnvironmentConflict);
    expect(() => sharedLambdaEnvironment(functions, runtime)).toThrow(
      /BUCKET_NAME is "two" for b but "one" for a/,
    );
  });

  it('refuses a function variable that contradicts the runtime', () => {
    const functions = [withEnvironment('a', { AWS_REGION: 'eu-west-1' })];
    expect(() => sharedLambdaEnvironment(functions, runtime)).toThrow(/AWS_REGION .* for the local runtime/);
  });
});

describe('claimProcessEnvironment', () => {
  const variables = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1111', LOCAL_TEST_VARIABLE: 'set' };

  it('sets the variables, refuses a second claim, and restores the previous values', () => {
    process.env.AWS_ENDPOINT_URL = 'before';
    delete process.env.LOCAL_TEST_VARIABLE;
    const restore = claimProcessEnvironment(variables);
    expect(process.env).toMatchObject(variables);
    expect(() => claimProcessEnvironment(variables)).toThrow(/already running/);
    restore();
    expect(process.env.AWS_ENDPOINT_URL).toBe('before');
    expect(process.env.LOCAL_TEST_VARIABLE).toBeUndefined();
    delete process.env.AWS_ENDPOINT_URL;
  });

  it('refuses other endpoints later in the same process (handler modules keep their SDK clients)', () => {
    expect(() =>
      claimProcessEnvironment({ ...variables, AWS_ENDPOINT_URL: 'http://127.0.0.1:2222' }),
    ).toThrow(/already ran the Lambdas against AWS_ENDPOINT_URL=http:\/\/127.0.0.1:1111/);
    claimProcessEnvironment(variables)();
  });
});
