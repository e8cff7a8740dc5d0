import { clientDocuments, loadDatahubFixtures } from '../../fixtures/pimcore-datahub/datahub-fixtures';
import { postGraphql, useSimulator } from '../../nest-worker/pimcore/fixtures';

/**
 * The simulator answers each contract case (test/fixtures/pimcore-datahub) exactly as the case says a
 * real Pimcore does: same objects before, the client's own request, the same JSON back.
 */
const fixtures = loadDatahubFixtures();

describe('the Pimcore simulator against the Datahub contract cases', () => {
  const { simulator } = useSimulator();

  it.each(fixtures.map(({ file, fixture }) => [file, fixture] as const))('%s', async (_file, fixture) => {
    simulator().seed(fixture.given.objects);
    const answer = await postGraphql(simulator(), fixture.request.query, fixture.request.variables);
    expect(answer).toEqual({ status: 200, body: fixture.answer });
  });
});

describe('the Datahub contract cases', () => {
  const documents = Object.entries(clientDocuments());

  it('are each named after their file, and there are some', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    expect(fixtures.filter(({ file, fixture }) => file !== fixture.case)).toEqual([]);
  });

  it("send only the worker client's current documents, byte for byte", () => {
    const known = new Set(documents.map(([, query]) => query));
    const drifted = fixtures.filter(({ fixture }) => !known.has(fixture.request.query));
    // On failure: the client's documents changed; rerun test/fixtures/pimcore-datahub/generate.ts.
    expect(drifted.map(({ file }) => file)).toEqual([]);
  });

  it("cover every one of the client's documents", () => {
    const used = new Set(fixtures.map(({ fixture }) => fixture.request.query));
    expect(documents.filter(([, query]) => !used.has(query)).map(([name]) => name)).toEqual([]);
  });
});
