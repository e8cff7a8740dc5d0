import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPimcoreWebhookBody } from '../../../nest-worker/src/webhook/pimcore-webhook-payload';

/** Bodies of the documented structure, each with the verdict it must get (test/fixtures/pimcore-webhooks). */
const FOLDER = join(__dirname, '../../fixtures/pimcore-webhooks');
const cases = readdirSync(FOLDER)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(join(FOLDER, file), 'utf8')) as WebhookCase);

interface WebhookCase {
  readonly case: string;
  readonly body: unknown;
  readonly verdict: unknown;
}

describe('reading Pimcore webhook bodies', () => {
  it('has the documented cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases.map((webhook) => [webhook.case, webhook] as const))('%s', (_name, webhook) => {
    expect(readPimcoreWebhookBody(Buffer.from(JSON.stringify(webhook.body)))).toEqual(webhook.verdict);
  });

  it('reads the externalId by its field name whatever its label, or bare', () => {
    const body = (subject: object) =>
      Buffer.from(
        JSON.stringify({
          general: { eventName: 'pimcore.dataobject.postUpdate', subjectType: 'object' },
          subject: { id: 5, published: true, type: 'Product', ...subject },
        }),
      );
    expect(readPimcoreWebhookBody(body({ 'Shein ID (externalId)': 'shein:5' }))).toMatchObject({
      externalId: 'shein:5',
    });
    expect(readPimcoreWebhookBody(body({ externalId: 'shein:5' }))).toMatchObject({ externalId: 'shein:5' });
    expect(readPimcoreWebhookBody(body({ 'Old (externalIdLegacy)': 'x' }))).not.toHaveProperty('externalId');
  });

  it('refuses a body that is not JSON, naming it', () => {
    expect(readPimcoreWebhookBody(Buffer.from('{"general":'))).toEqual({
      kind: 'invalid',
      problem: 'the body is not JSON',
    });
  });
});
