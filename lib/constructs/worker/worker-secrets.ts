import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface WorkerSecretsProps {
  readonly stage: string;
  /** Existing secrets to use instead of creating them. */
  readonly existing: {
    readonly pimcoreApiKey?: string;
    readonly medusaApiKey?: string;
    readonly webhookSecrets?: string;
    readonly webhookTokens?: string;
  };
  /** Datahub Webhooks' static token is accepted (webhookAuth=signed-and-token). */
  readonly acceptTokens: boolean;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The worker's credentials in Secrets Manager, injected into its containers as ECS `secrets` (the
 * execution role reads them when a task starts; they never appear in the template, the task definition
 * or a log). The stack creates what it is not given: the webhook secret with a generated value, the
 * Pimcore API key and Medusa secret API key with a random placeholder the operator replaces with
 * `aws secretsmanager put-secret-value` (until then the worker's calls get 401 and its messages wait,
 * counted and alarmed as authentication failures). Tasks read secrets when they start: a new value
 * reaches running tasks with `aws ecs update-service --force-new-deployment` (README: Deploy to AWS).
 */
export class WorkerSecrets extends Construct {
  readonly pimcoreApiKey: secretsmanager.ISecret;
  readonly medusaApiKey: secretsmanager.ISecret;
  readonly webhookSecrets: secretsmanager.ISecret;
  /** Set when token mode is on. */
  readonly webhookTokens?: secretsmanager.ISecret;
  /** The secrets the stack created (undefined where an ARN was given). */
  readonly created: secretsmanager.Secret[] = [];

  constructor(scope: Construct, id: string, props: WorkerSecretsProps) {
    super(scope, id);
    const name = (what: string) => `product-pipeline/${props.stage}/${what}`;
    this.pimcoreApiKey = this.secret(
      'PimcoreApiKey',
      props.existing.pimcoreApiKey,
      {
        secretName: name('pimcore-api-key'),
        description: 'Pimcore Datahub API key (PIMCORE_API_KEY): replace the placeholder with the real key',
      },
      props.removalPolicy,
    );
    this.medusaApiKey = this.secret(
      'MedusaApiKey',
      props.existing.medusaApiKey,
      {
        secretName: name('medusa-secret-api-key'),
        description:
          'Medusa secret API key, sk_… (MEDUSA_SECRET_API_KEY): replace the placeholder with the real key',
      },
      props.removalPolicy,
    );
    // 1 or 2 comma-separated secrets of at least 32 characters: two during a rotation (docs/worker.md).
    this.webhookSecrets = this.secret(
      'WebhookSecrets',
      props.existing.webhookSecrets,
      {
        secretName: name('pimcore-webhook-secrets'),
        description: 'Pimcore webhook HMAC secret(s), comma-separated (PIMCORE_WEBHOOK_SECRETS); generated',
      },
      props.removalPolicy,
    );
    if (props.acceptTokens) {
      // Datahub Webhooks sends it as a bearer token or as the password in the subscriber's URL.
      this.webhookTokens = this.secret(
        'WebhookTokens',
        props.existing.webhookTokens,
        {
          secretName: name('pimcore-webhook-tokens'),
          description: 'Datahub Webhooks token(s), comma-separated (PIMCORE_WEBHOOK_TOKENS); generated',
        },
        props.removalPolicy,
      );
    }
  }

  /** Each as an ECS container secret, under the worker's variable name. */
  containerSecrets(): Record<string, ecs.Secret> {
    return {
      ...this.apiKeySecrets(),
      PIMCORE_WEBHOOK_SECRETS: ecs.Secret.fromSecretsManager(this.webhookSecrets),
      ...(this.webhookTokens
        ? { PIMCORE_WEBHOOK_TOKENS: ecs.Secret.fromSecretsManager(this.webhookTokens) }
        : {}),
    };
  }

  /**
   * The Pimcore and Medusa API keys alone, as ECS container secrets: what a task that only calls their
   * APIs (the nightly reconciliation) needs, so that its execution role reads nothing else.
   */
  apiKeySecrets(): Record<string, ecs.Secret> {
    return {
      PIMCORE_API_KEY: ecs.Secret.fromSecretsManager(this.pimcoreApiKey),
      MEDUSA_SECRET_API_KEY: ecs.Secret.fromSecretsManager(this.medusaApiKey),
    };
  }

  private secret(
    id: string,
    existingArn: string | undefined,
    props: { secretName: string; description: string },
    removalPolicy: RemovalPolicy,
  ): secretsmanager.ISecret {
    if (existingArn !== undefined) return secretsmanager.Secret.fromSecretCompleteArn(this, id, existingArn);
    const secret = new secretsmanager.Secret(this, id, {
      ...props,
      // Long, without punctuation: valid as a header value and as a comma-separated list item.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    this.created.push(secret);
    return secret;
  }
}
