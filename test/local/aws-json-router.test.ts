import { AwsServiceError } from '../../local/aws-json/aws-service-error';
import { AwsJsonRouter } from '../../local/aws-json/aws-json-protocol';
import { listen, type HttpListener } from '../../local/aws-json/http-listener';

let listener: HttpListener;

beforeAll(async () => {
  listener = await listen();
  const router = new AwsJsonRouter();
  router.mount({
    targetPrefix: 'Demo',
    jsonVersion: '1.0',
    errorTypePrefix: 'com.example#',
    queryCompatible: true,
    operations: {
      Echo: (input) => ({ echoed: input }),
      Fail: () => {
        throw new AwsServiceError('Missing', 'not there', 400, 'Demo.Missing');
      },
      Crash: () => {
        throw new Error('bug');
      },
    },
  });
  listener.serve(router.listener);
});
afterAll(() => listener.close());

const call = (target: string, body: string) =>
  fetch(listener.endpoint, { method: 'POST', headers: { 'x-amz-target': target }, body });

describe('AwsJsonRouter', () => {
  it('dispatches by X-Amz-Target and answers JSON of the service version', async () => {
    const response = await call('Demo.Echo', '{"a":1}');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await response.json()).toEqual({ echoed: { a: 1 } });
  });

  it('answers service errors with __type, message and the query error header', async () => {
    const response = await call('Demo.Fail', '{}');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe('Demo.Missing;Sender');
    expect(await response.json()).toEqual({ __type: 'com.example#Missing', message: 'not there' });
  });

  it.each([
    ['an unknown operation', 'Demo.Nope', '{}', 400, 'UnknownOperationException'],
    ['an unknown service', 'Other.Echo', '{}', 400, 'UnknownOperationException'],
    ['an inherited property name', 'Demo.constructor', '{}', 400, 'UnknownOperationException'],
    ['a body that is not JSON', 'Demo.Echo', '{', 400, 'SerializationException'],
    ['an unexpected failure', 'Demo.Crash', '{}', 500, 'InternalFailure'],
  ])('refuses %s', async (_case, target, body, status, code) => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await call(target, body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { __type: string }).__type).toMatch(new RegExp(`${code}$`));
    jest.restoreAllMocks();
  });
});
