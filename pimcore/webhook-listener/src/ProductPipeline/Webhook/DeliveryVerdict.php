<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

/**
 * Reads the worker's answer to one attempt (POST /webhooks/pimcore): delivered, retry or give up, and why.
 * The whole retry classification is here, so it is testable without Symfony.
 *
 * The worker answers 202 (accepted), 200 (a duplicate of an accepted delivery, or an event it ignores),
 * 400 (a body or delivery id it cannot read), 401 (a signature or timestamp that does not check out),
 * 413 (too large) and 503 with Retry-After (try again); a proxy in front of it may add 408, 429, 502, 504.
 */
final class DeliveryVerdict
{
    private function __construct(
        public readonly DeliveryOutcome $outcome,
        /** The HTTP status, or null when the worker did not answer. */
        public readonly ?int $status,
        public readonly string $reason,
        /** True when a person must act now (a refused signature): log it as critical. */
        public readonly bool $alert = false,
        /** The answer's Retry-After in seconds, when it gave one. */
        public readonly ?int $retryAfterSeconds = null,
    ) {
    }

    /**
     * @param string|null $retryAfter the answer's Retry-After header, if any
     * @param int|null    $now        unix seconds, to read a Retry-After given as a date (default: now)
     */
    public static function forStatus(int $status, ?string $retryAfter = null, ?int $now = null): self
    {
        $delivered = static fn (string $reason): self => new self(DeliveryOutcome::Delivered, $status, $reason);
        $giveUp = static fn (string $reason, bool $alert = false): self => new self(DeliveryOutcome::GiveUp, $status, $reason, $alert);
        $retry = static fn (string $reason): self => new self(
            DeliveryOutcome::Retry,
            $status,
            $reason,
            false,
            self::parseRetryAfter($retryAfter, $now ?? time()),
        );

        return match (true) {
            $status === 202 => $delivered('accepted: the event is on the worker\'s bus'),
            $status === 200 => $delivered('already accepted (a retry of a delivered event), or an event the worker ignores'),
            $status >= 200 && $status < 300 => $delivered('the worker answered ' . $status),
            $status === 400 => $giveUp('the worker cannot read the body or the delivery id; the same request would be refused again'),
            $status === 401 => $giveUp(
                'the worker refused the signature: PRODUCT_PIPELINE_WEBHOOK_SECRET is not one of the worker\'s '
                . 'PIMCORE_WEBHOOK_SECRETS (a rotated secret?), or this server\'s clock is more than 300 s off the worker\'s',
                true,
            ),
            $status === 413 => $giveUp('the body is larger than the worker accepts'),
            $status === 408 => $retry('the worker (or a proxy) timed out waiting for the request'),
            $status === 429 => $retry('rate limited'),
            $status === 503 => $retry('the worker cannot take the event now'),
            $status >= 500 && $status < 600 => $retry('server error ' . $status),
            $status >= 300 && $status < 400 => $giveUp(
                'a redirect (' . $status . '): redirects are not followed, set PRODUCT_PIPELINE_WEBHOOK_URL to the final URL',
            ),
            default => $giveUp('an answer the worker does not give (' . $status . '): check PRODUCT_PIPELINE_WEBHOOK_URL'),
        };
    }

    /** The worker did not answer: refused or reset connection, DNS failure, timeout. */
    public static function forNoAnswer(string $problem): self
    {
        return new self(DeliveryOutcome::Retry, null, 'no answer: ' . $problem);
    }

    public function isDelivered(): bool
    {
        return $this->outcome === DeliveryOutcome::Delivered;
    }

    public function shouldRetry(): bool
    {
        return $this->outcome === DeliveryOutcome::Retry;
    }

    public function isGiveUp(): bool
    {
        return $this->outcome === DeliveryOutcome::GiveUp;
    }

    /** E.g. "503 → retry: the worker cannot take the event now". */
    public function describe(): string
    {
        return sprintf('%s → %s: %s', $this->status ?? 'no answer', $this->outcome->value, $this->reason);
    }

    /** Retry-After is either delay-seconds or an HTTP date (RFC 9110, 10.2.3). */
    private static function parseRetryAfter(?string $value, int $now): ?int
    {
        $value = trim((string) $value);
        if ($value === '') {
            return null;
        }
        if (preg_match('/^\d{1,9}$/D', $value) === 1) {
            return (int) $value;
        }
        $at = strtotime($value);

        return $at === false ? null : max(0, $at - $now);
    }
}
