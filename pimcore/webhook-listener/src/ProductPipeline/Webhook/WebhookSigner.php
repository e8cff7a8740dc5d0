<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

/**
 * Signs a webhook the way the worker checks it (nest-worker/src/webhook/pimcore-signature.ts):
 * "sha256=" + lowercase hex HMAC-SHA256(secret, "<timestamp>.<deliveryId>.<raw body>").
 *
 * The delivery id is signed so that a captured request resent under a new id fails the check instead of
 * becoming a second delivery; the timestamp is signed so that the worker can refuse old captures.
 */
final class WebhookSigner
{
    public const PREFIX = 'sha256=';

    public function sign(
        #[\SensitiveParameter] string $secret,
        string $timestamp,
        string $deliveryId,
        string $body,
    ): string {
        return self::PREFIX . hash_hmac('sha256', $timestamp . '.' . $deliveryId . '.' . $body, $secret);
    }
}
