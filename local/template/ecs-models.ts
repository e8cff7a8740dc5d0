import { isJsonObject, type JsonObject, type JsonValue } from '../aws-json/json';
import type { CfnTemplate } from './cfn-template';
import { UnsupportedIntrinsicError } from './intrinsics';
import { numberOf, type ModelListings } from './model-listings';
import type { PhysicalResources } from './physical-resources';
import type { ContainerModel, ServiceModel, ServiceRoute, TaskDefinitionModel } from './stack-model';

const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';

/** A listener rule's conditions, by the target group it forwards to. */
export type ListenerRoutes = ReadonlyMap<string, readonly Omit<ServiceRoute, 'containerName'>[]>;

/**
 * Each container with its variables resolved one by one, so that one without a local value is named
 * (and the others kept) instead of failing the whole task definition.
 */
export function taskDefinitionModel(logicalId: string, resources: PhysicalResources): TaskDefinitionModel {
  const definitions = resources.rawProperty(logicalId, 'ContainerDefinitions');
  return {
    logicalId,
    arn: resources.ref(logicalId) as string,
    containers: objectsIn(definitions).map((definition) => containerModel(definition, resources)),
  };
}

function containerModel(
  definition: Readonly<Record<string, unknown>>,
  resources: PhysicalResources,
): ContainerModel {
  const environment: Record<string, string> = {};
  const unresolved: Record<string, string> = {};
  for (const variable of objectsIn(definition.Environment)) {
    const name = String(resources.resolve(variable.Name));
    const value = resolvedText(variable.Value, resources);
    if ('problem' in value) unresolved[name] = value.problem;
    else environment[name] = value.text;
  }
  const secrets: Record<string, string> = {};
  for (const secret of objectsIn(definition.Secrets)) {
    const valueFrom = resolvedText(secret.ValueFrom, resources);
    secrets[String(resources.resolve(secret.Name))] =
      'text' in valueFrom ? valueFrom.text : valueFrom.problem;
  }
  const logging = isJsonObject(definition.LogConfiguration) ? definition.LogConfiguration.Options : undefined;
  const prefix = isJsonObject(logging)
    ? resolvedText(logging['awslogs-stream-prefix'], resources)
    : undefined;
  const stopTimeoutSeconds = numberOf(definition.StopTimeout);
  return {
    name: String(resources.resolve(definition.Name)),
    environment,
    unresolved,
    secrets,
    ...(prefix && 'text' in prefix ? { logStreamPrefix: prefix.text } : {}),
    ...(stopTimeoutSeconds === undefined ? {} : { stopTimeoutSeconds }),
  };
}

export function serviceModel(
  logicalId: string,
  resources: PhysicalResources,
  listenerRoutes: ListenerRoutes,
): ServiceModel {
  const property = (name: string) => resources.property(logicalId, name);
  const routes: ServiceRoute[] = [];
  for (const target of objectsIn(property('LoadBalancers'))) {
    for (const route of listenerRoutes.get(String(target.TargetGroupArn)) ?? []) {
      routes.push({ ...route, containerName: String(target.ContainerName) });
    }
  }
  return {
    logicalId,
    taskDefinitionArn: String(property('TaskDefinition')),
    desiredCount: numberOf(property('DesiredCount')) ?? 1,
    routes,
  };
}

/** The path and method conditions of every listener rule that forwards, by target group ARN. */
export function listenerRoutesOf(
  template: CfnTemplate,
  resources: PhysicalResources,
  listings: ModelListings,
): ListenerRoutes {
  const routes = new Map<string, Omit<ServiceRoute, 'containerName'>[]>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== LISTENER_RULE) continue;
    try {
      const conditions = objectsIn(resources.property(logicalId, 'Conditions'));
      const route = {
        paths: conditionValues(conditions, 'path-pattern', 'PathPatternConfig'),
        methods: conditionValues(conditions, 'http-request-method', 'HttpRequestMethodConfig'),
      };
      for (const targetGroup of forwardedTargetGroups(resources.property(logicalId, 'Actions'))) {
        routes.set(targetGroup, [...(routes.get(targetGroup) ?? []), route]);
      }
    } catch (error) {
      if (!(error instanceof UnsupportedIntrinsicError)) throw error;
      listings.addUnsupported(logicalId, LISTENER_RULE, error.message);
    }
  }
  return routes;
}

function conditionValues(conditions: readonly JsonObject[], field: string, config: string): string[] {
  return conditions
    .filter((condition) => condition.Field === field)
    .flatMap((condition) => {
      const settings = condition[config];
      const values = isJsonObject(settings) ? settings.Values : condition.Values;
      return Array.isArray(values) ? values.map(String) : [];
    });
}

/** `forward` actions name one target group, or several in a ForwardConfig. */
function forwardedTargetGroups(actions: JsonValue | undefined): string[] {
  return objectsIn(actions)
    .filter((action) => action.Type === 'forward')
    .flatMap((action) => {
      const forward = action.ForwardConfig;
      const groups = isJsonObject(forward) ? objectsIn(forward.TargetGroups) : [];
      return [action.TargetGroupArn, ...groups.map((group) => group.TargetGroupArn)];
    })
    .filter((arn): arn is string => typeof arn === 'string');
}

function objectsIn(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function resolvedText(
  value: unknown,
  resources: PhysicalResources,
): { readonly text: string } | { readonly problem: string } {
  try {
    const resolved = resources.resolve(value);
    return { text: typeof resolved === 'string' ? resolved : JSON.stringify(resolved) };
  } catch (error) {
    if (!(error instanceof UnsupportedIntrinsicError)) throw error;
    return { problem: error.message };
  }
}
