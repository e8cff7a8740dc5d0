import { readFileSync } from 'node:fs';
import type { CfnResource, CfnTemplate } from '../../local/template/cfn-template';
import { WholePipeline } from '../../local/whole-pipeline/whole-pipeline';
import { writeTemplateVariant } from '../local/pipeline-template';
import { synthesizeTemplate } from '../local/synthesized-template';

/** The synthesized template with one variable taken out of every worker task definition. */
function templateWithout(variable: string): string {
  const synthesized = synthesizeTemplate();
  const template = JSON.parse(readFileSync(synthesized, 'utf8')) as CfnTemplate;
  const withoutVariable = (resource: CfnResource): CfnResource => {
    if (resource.Type !== 'AWS::ECS::TaskDefinition') return resource;
    const containers = resource.Properties!.ContainerDefinitions as { Environment: { Name: string }[] }[];
    const ContainerDefinitions = containers.map((container) => ({
      ...container,
      Environment: container.Environment.filter((entry) => entry.Name !== variable),
    }));
    return { ...resource, Properties: { ...resource.Properties, ContainerDefinitions } };
  };
  const resources = Object.entries(template.Resources).map(([id, resource]) => [
    id,
    withoutVariable(resource),
  ]);
  return writeTemplateVariant(synthesized, { ...template, Resources: Object.fromEntries(resources) });
}

/**
 * The local stack starts the worker from the task definitions a deployment ships, so a deployment whose
 * worker could not start does not start locally either, with the worker's own words.
 */
it("fails to start, with the worker's own message, when a task definition lacks a required variable", async () => {
  const failure = await WholePipeline.start({
    templatePath: templateWithout('PRODUCTS_EVENT_BUS_NAME'),
    env: { REDIS_URL: process.env.REDIS_URL },
    log: () => undefined,
  }).then(
    (stack) => stack.stop().then(() => undefined),
    (error: Error) => error,
  );
  expect(failure?.message).toMatch(
    /^service (ingest|relay): the worker exited at start \(exit code 1; log: /,
  );
  expect(failure?.message).toContain(
    'Invalid worker configuration:\n  - PRODUCTS_EVENT_BUS_NAME: required: the products event bus (stack output EventBusName)',
  );
}, 120_000);
