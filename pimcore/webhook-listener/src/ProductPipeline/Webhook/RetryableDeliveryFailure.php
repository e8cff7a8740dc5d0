<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

/**
 * An attempt that should be retried (503, 5xx, 408, 429, no answer).
 *
 * Deliberately neither Recoverable- nor UnrecoverableExceptionInterface: Symfony Messenger (6.4) retries a
 * RecoverableMessageHandlingException for ever, ignoring the transport's max_retries, so the message would
 * never reach the failure transport. A plain exception leaves the decision to the transport's
 * retry_strategy (config/messenger.yaml): retried with growing delays, then moved to the failure transport.
 */
final class RetryableDeliveryFailure extends \RuntimeException
{
    public function __construct(
        public readonly string $deliveryId,
        public readonly DeliveryVerdict $verdict,
        ?\Throwable $previous = null,
    ) {
        parent::__construct(sprintf('product webhook %s not delivered (%s)', $deliveryId, $verdict->describe()), 0, $previous);
    }
}
