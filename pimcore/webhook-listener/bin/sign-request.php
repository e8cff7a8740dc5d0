<?php

declare(strict_types=1);

/*
 * Prints the request the listener would send, built by the listener's own classes (WebhookRequestFactory,
 * WebhookSigner, ProductWebhookBody): for the tests that check it against the worker's verifier.
 *
 * stdin, a JSON object:
 *   secret      required
 *   url         optional (default http://127.0.0.1/webhooks/pimcore)
 *   timestamp   optional unix seconds, number or digit string (default: now)
 *   deliveryId  optional (default: a new pimcore-<uuid v4>)
 *   body        the raw body as a string, or
 *   product     {eventName, id, path, published, externalId?, className? = "Product",
 *                eventTimestamp? = timestamp, versionOnly? = false} to build it with ProductWebhookBody
 * stdout: {"method","url","headers":{…},"body"} as JSON. Exit 1 with the problem on stderr for bad input.
 */

use App\ProductPipeline\Webhook\DeliveryId;
use App\ProductPipeline\Webhook\ProductWebhookBody;
use App\ProductPipeline\Webhook\WebhookRequestFactory;

require __DIR__ . '/autoload.php';

function unixSeconds(mixed $value, string $name): int
{
    if (\is_int($value) && $value >= 0) {
        return $value;
    }
    if (\is_string($value) && preg_match('/^\d{1,12}$/D', $value) === 1) {
        return (int) $value;
    }
    throw new InvalidArgumentException($name . ' must be unix seconds');
}

/** @param array<string, mixed> $spec */
function field(array $spec, string $name, string $type, mixed $default = null): mixed
{
    if (!array_key_exists($name, $spec)) {
        if (\func_num_args() < 4) {
            throw new InvalidArgumentException('missing ' . $name);
        }

        return $default;
    }
    $value = $spec[$name];
    $ok = match ($type) {
        'string' => \is_string($value),
        '?string' => $value === null || \is_string($value),
        'int' => \is_int($value),
        'bool' => \is_bool($value),
    };
    if (!$ok) {
        throw new InvalidArgumentException($name . ' must be ' . $type);
    }

    return $value;
}

try {
    $spec = json_decode((string) stream_get_contents(STDIN), true, 32, JSON_THROW_ON_ERROR);
    if (!\is_array($spec)) {
        throw new InvalidArgumentException('stdin must be a JSON object');
    }
    $now = array_key_exists('timestamp', $spec) ? unixSeconds($spec['timestamp'], 'timestamp') : time();
    $deliveryId = field($spec, 'deliveryId', 'string', DeliveryId::generate());
    if (array_key_exists('body', $spec)) {
        $body = field($spec, 'body', 'string');
    } elseif (\is_array($spec['product'] ?? null)) {
        $product = $spec['product'];
        $body = ProductWebhookBody::build(
            field($product, 'eventName', 'string'),
            array_key_exists('eventTimestamp', $product) ? unixSeconds($product['eventTimestamp'], 'eventTimestamp') : $now,
            field($product, 'id', 'int'),
            field($product, 'path', 'string'),
            field($product, 'published', 'bool'),
            field($product, 'className', 'string', 'Product'),
            field($product, 'externalId', '?string', null),
            field($product, 'versionOnly', 'bool', false),
        );
    } else {
        throw new InvalidArgumentException('give either body (a string) or product (an object)');
    }
    $factory = new WebhookRequestFactory(
        field($spec, 'url', 'string', 'http://127.0.0.1/webhooks/pimcore'),
        field($spec, 'secret', 'string'),
    );
    $request = $factory->build($deliveryId, $body, $now);
} catch (InvalidArgumentException | JsonException $error) {
    fwrite(STDERR, 'sign-request: ' . $error->getMessage() . PHP_EOL);
    exit(1);
}

echo json_encode([
    'method' => $request->method,
    'url' => $request->url,
    'headers' => $request->headers,
    'body' => $request->body,
], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR), PHP_EOL;
