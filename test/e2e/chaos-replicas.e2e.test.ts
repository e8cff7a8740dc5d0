import { checkedChaosRun } from './chaos-run';

/** The fault run as ECS scales it: several processes of each service on the same queues and Redis. */
it('loses and duplicates no product with two processes per service, the kills spread over them', async () => {
  const { report, kills } = await checkedChaosRun({ products: 40, kills: 3, workers: 2 });
  expect(report.replicas).toEqual({ ingest: 2, relay: 2 });
  expect(kills).toEqual(['ingest-1', 'relay-1', 'ingest-2'].map((name) => expect.stringContaining(name)));
}, 300_000);
