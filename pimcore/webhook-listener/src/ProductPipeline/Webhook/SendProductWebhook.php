<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

/**
 * One product event to deliver, as queued on the product_pipeline_webhooks transport. It holds the body
 * and its delivery id, never a signature or the secret: each attempt is signed when it is sent.
 */
final class SendProductWebhook
{
    public function __construct(
        public readonly string $deliveryId,
        public readonly string $body,
    ) {
    }
}
