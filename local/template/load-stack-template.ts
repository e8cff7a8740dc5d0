import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildStackModel, type StackModelOptions } from './build-stack-model';
import type { CfnTemplate } from './cfn-template';
import { constructPathsFromTree } from './handler-source';
import type { StackModel } from './stack-model';

export type LoadStackTemplateOptions = Partial<StackModelOptions>;

/**
 * Reads a synthesized template (e.g. cdk.out/ProductPipeline-dev.template.json) and models it. The
 * stack name defaults to the file name without `.template.json`; the construct paths of functions
 * without metadata come from the tree.json beside the template.
 */
export function loadStackTemplate(templatePath: string, options: LoadStackTemplateOptions = {}): StackModel {
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as CfnTemplate;
  return buildStackModel(template, {
    ...options,
    stackName: options.stackName ?? path.basename(templatePath).replace(/\.template\.json$/, ''),
    constructPaths:
      options.constructPaths ?? constructPathsFromTree(path.join(path.dirname(templatePath), 'tree.json')),
  });
}
