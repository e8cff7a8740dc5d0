<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

/** One signed attempt, ready to send: built by WebhookRequestFactory, sent by any HTTP client. */
final class WebhookRequest
{
    /**
     * @param array<string, string> $headers
     */
    public function __construct(
        public readonly string $method,
        public readonly string $url,
        public readonly array $headers,
        public readonly string $body,
    ) {
    }

    /**
     * The headers as "Name: value" lines (for PHP's http stream wrapper).
     *
     * @return list<string>
     */
    public function headerLines(): array
    {
        $lines = [];
        foreach ($this->headers as $name => $value) {
            $lines[] = $name . ': ' . $value;
        }

        return $lines;
    }
}
