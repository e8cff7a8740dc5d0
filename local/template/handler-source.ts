import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Convention that maps a Lambda function of the template to its TypeScript entry: the function's
 * construct path ends in `<Name>/Function/Resource` (the PipelineFunction construct named `<Name>`
 * holding the NodejsFunction `Function`), and its handler is `lambdas/handlers/<name in kebab-case>.ts`,
 * e.g. ProductPipeline-dev/Functions/Validate/Function/Resource → lambdas/handlers/validate.ts,
 * …/Functions/ReportFailure/Function/Resource → lambdas/handlers/report-failure.ts.
 * Undefined when the path does not follow the convention.
 */
export function handlerSourceFor(constructPath: string, projectRoot: string): string | undefined {
  const segments = constructPath.split('/');
  const functionIndex = segments.lastIndexOf('Function');
  if (functionIndex < 1) return undefined;
  const name = segments[functionIndex - 1].replace(/(?<=[a-z0-9])([A-Z])/g, '-$1').toLowerCase();
  return path.join(projectRoot, 'lambdas', 'handlers', `${name}.ts`);
}

interface TreeNode {
  readonly path?: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly children?: Readonly<Record<string, TreeNode>>;
}

/**
 * Logical id → construct path from the cloud assembly's tree.json, for templates synthesized without
 * `aws:cdk:path` metadata. Empty when the file does not exist.
 */
export function constructPathsFromTree(treeFile: string): Map<string, string> {
  const paths = new Map<string, string>();
  if (!existsSync(treeFile)) return paths;
  const visit = (node: TreeNode) => {
    const logicalId = node.attributes?.['aws:cdk:cloudformation:logicalId'];
    if (typeof logicalId === 'string' && node.path) paths.set(logicalId, node.path);
    Object.values(node.children ?? {}).forEach(visit);
  };
  visit((JSON.parse(readFileSync(treeFile, 'utf8')) as { tree: TreeNode }).tree);
  return paths;
}
