<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

/**
 * The only place the webhook's headers are built. One factory per configuration (URL and secret); one
 * build() per attempt, with the current time: every retry is signed again with a fresh timestamp, because
 * the worker refuses timestamps more than 300 s away from its clock. The delivery id and the body stay
 * the same across retries.
 */
final class WebhookRequestFactory
{
    /** The worker requires each of its PIMCORE_WEBHOOK_SECRETS to be at least this long. */
    public const MIN_SECRET_LENGTH = 32;

    /**
     * @throws \InvalidArgumentException for a URL that is not absolute http(s), or a secret the worker cannot
     *                                   hold; the message never contains the secret
     */
    public function __construct(
        private readonly string $url,
        #[\SensitiveParameter] private readonly string $secret,
        private readonly WebhookSigner $signer = new WebhookSigner(),
    ) {
        $scheme = strtolower((string) parse_url($url, PHP_URL_SCHEME));
        if (filter_var($url, FILTER_VALIDATE_URL) === false || !\in_array($scheme, ['http', 'https'], true)) {
            throw new \InvalidArgumentException(sprintf(
                'the webhook URL must be an absolute http(s) URL such as https://worker.example.com/webhooks/pimcore, got "%s"',
                $url,
            ));
        }
        // Characters, not bytes, as the worker counts them.
        $length = preg_match_all('/./su', $secret);
        if ($length === false || $length < self::MIN_SECRET_LENGTH) {
            throw new \InvalidArgumentException(sprintf(
                'the webhook secret must be UTF-8 text of at least %d characters (the worker refuses shorter ones)',
                self::MIN_SECRET_LENGTH,
            ));
        }
        // The worker reads PIMCORE_WEBHOOK_SECRETS as a comma-separated list and trims each value.
        if (str_contains($secret, ',') || trim($secret) !== $secret) {
            throw new \InvalidArgumentException(
                'the webhook secret must not contain a comma or start or end with white space (the worker splits its secrets on commas and trims them)',
            );
        }
    }

    /**
     * @param int $now unix seconds at send time
     *
     * @throws \InvalidArgumentException for a delivery id the worker would refuse
     */
    public function build(string $deliveryId, string $body, int $now): WebhookRequest
    {
        if (!DeliveryId::isValid($deliveryId)) {
            throw new \InvalidArgumentException(
                'the delivery id must be 1–200 characters of letters, digits, _ . : -',
            );
        }
        if ($now < 0) {
            throw new \InvalidArgumentException('the send time must be unix seconds, got ' . $now);
        }
        $timestamp = (string) $now;

        return new WebhookRequest('POST', $this->url, [
            'Content-Type' => 'application/json',
            'X-Pimcore-Timestamp' => $timestamp,
            'X-Pimcore-Delivery' => $deliveryId,
            'X-Pimcore-Signature' => $this->signer->sign($this->secret, $timestamp, $deliveryId, $body),
        ], $body);
    }
}
