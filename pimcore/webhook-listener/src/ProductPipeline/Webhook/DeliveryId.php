<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

/**
 * The X-Pimcore-Delivery id: one per event, kept across that event's retries, so the worker can tell a
 * retry (answered 200, duplicate) from a new event.
 */
final class DeliveryId
{
    /** What the worker accepts: 1–200 characters of letters, digits, _ . : - (D: no trailing newline). */
    public const PATTERN = '/^[A-Za-z0-9_.:-]{1,200}$/D';

    /** "pimcore-" and a random UUID version 4. */
    public static function generate(): string
    {
        $bytes = random_bytes(16);
        $bytes[6] = \chr((\ord($bytes[6]) & 0x0F) | 0x40); // version 4
        $bytes[8] = \chr((\ord($bytes[8]) & 0x3F) | 0x80); // RFC 4122 variant
        $hex = bin2hex($bytes);

        return sprintf(
            'pimcore-%s-%s-%s-%s-%s',
            substr($hex, 0, 8),
            substr($hex, 8, 4),
            substr($hex, 12, 4),
            substr($hex, 16, 4),
            substr($hex, 20, 12),
        );
    }

    public static function isValid(string $deliveryId): bool
    {
        return preg_match(self::PATTERN, $deliveryId) === 1;
    }
}
