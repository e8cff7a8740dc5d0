<?php

declare(strict_types=1);

/*
 * Sends one product webhook the way the listener does (ProductWebhookBody, WebhookRequestFactory,
 * DeliveryVerdict), over PHP's own http stream wrapper: no Symfony, no Pimcore. For interop tests against
 * the worker, and for checking a worker's URL and secret from a Pimcore host. Run with --help.
 */

use App\ProductPipeline\Webhook\DeliveryId;
use App\ProductPipeline\Webhook\DeliveryVerdict;
use App\ProductPipeline\Webhook\ProductWebhookBody;
use App\ProductPipeline\Webhook\WebhookRequest;
use App\ProductPipeline\Webhook\WebhookRequestFactory;

require __DIR__ . '/autoload.php';

const USAGE = <<<'TXT'
Usage: php send-webhook.php --url=<url> --id=<object id> [options]
       php send-webhook.php --id=<object id> [options] <url>

Sends one signed product webhook (POST, the Datahub Webhooks body) and prints the worker's answer.

  --url=<url>            the worker's webhook, e.g. https://worker.example.com/webhooks/pimcore
                         (or as the last argument, after every option)
  --secret=<secret>      the shared secret (32+ characters); default: $PRODUCT_PIPELINE_WEBHOOK_SECRET
                         (prefer the variable: a command line is visible to other users)
  --id=<n>               the Pimcore object id (required)
  --external-id=<id>     the object's externalId, e.g. shein:42 (default: none, sent as null)
  --published=true|false default: true
  --event=<name>         postAdd, postUpdate or postDelete, or the full pimcore.dataobject.* name
                         (default: postUpdate)
  --delivery-id=<id>     X-Pimcore-Delivery (default: a new pimcore-<uuid v4>); reuse one to send a retry
  --path=<path>          the object's path (default: /Products/Shein/shein-<id>)
  --class=<name>         the object's class (default: Product)
  --timeout=<seconds>    default: 10
  --help                 this text

Prints one JSON line: {"deliveryId","status","answer","outcome","reason","retryAfterSeconds"}; status
is null when the worker did not answer. Exit status: 0 delivered (202/200), 2 retry (503, 5xx, 408, 429, no answer),
3 give up (400, 401, 413, other), 1 bad arguments.

TXT;

/** @param array<string, string|false|list<string|false>> $options */
function option(array $options, string $name, ?string $default = null): ?string
{
    $value = $options[$name] ?? $default;
    if (\is_array($value) || $value === false) {
        throw new InvalidArgumentException('--' . $name . ' takes one value: --' . $name . '=<value>');
    }

    return $value;
}

/**
 * One attempt over the http stream wrapper.
 *
 * @return array{?int, string, ?string, ?string} status, answer, Retry-After, transport problem
 */
function post(WebhookRequest $request, float $timeout): array
{
    $context = stream_context_create(['http' => [
        'method' => $request->method,
        'header' => implode("\r\n", [...$request->headerLines(), 'Connection: close']),
        'content' => $request->body,
        'ignore_errors' => true, // read the answer of 4xx/5xx too
        'follow_location' => 0,
        'max_redirects' => 1,
        'timeout' => $timeout,
        'protocol_version' => 1.1,
    ]]);
    error_clear_last();
    $answer = @file_get_contents($request->url, false, $context);
    $headers = function_exists('http_get_last_response_headers')
        ? http_get_last_response_headers()
        : ($http_response_header ?? null);
    $status = null;
    $retryAfter = null;
    foreach ($headers ?? [] as $line) {
        if (preg_match('#^HTTP/\S+\s+(\d{3})#', $line, $match) === 1) {
            $status = (int) $match[1];
        } elseif (preg_match('/^retry-after:\s*(.*)$/i', $line, $match) === 1) {
            $retryAfter = trim($match[1]);
        }
    }
    $problem = $status === null ? (error_get_last()['message'] ?? 'no answer') : null;

    return [$status, $answer === false ? '' : $answer, $retryAfter, $problem];
}

try {
    $options = getopt('', [
        'url:', 'secret:', 'id:', 'external-id:', 'published:', 'event:', 'delivery-id:', 'path:', 'class:', 'timeout:', 'help',
    ], $rest);
    if (isset($options['help'])) {
        echo USAGE;
        exit(0);
    }
    // getopt() stops at the first argument that is not an option: the URL, if given so, comes last.
    $positional = array_slice($argv, $rest);
    $url = option($options, 'url');
    if (count($positional) > 1 || ($url === null) === ($positional === [])) {
        throw new InvalidArgumentException('give the URL once: --url=<url>, or as the last argument');
    }
    $url ??= $positional[0];
    $secret = option($options, 'secret') ?? (getenv('PRODUCT_PIPELINE_WEBHOOK_SECRET') ?: null);
    if ($secret === null) {
        throw new InvalidArgumentException('no secret: set PRODUCT_PIPELINE_WEBHOOK_SECRET or pass --secret');
    }
    $id = option($options, 'id') ?? throw new InvalidArgumentException('--id is required');
    if (preg_match('/^[1-9]\d{0,15}$/D', $id) !== 1) {
        throw new InvalidArgumentException('--id must be a Pimcore object id, got "' . $id . '"');
    }
    $published = match (option($options, 'published', 'true')) {
        'true', '1' => true,
        'false', '0' => false,
        default => throw new InvalidArgumentException('--published must be true or false'),
    };
    $event = option($options, 'event', 'postUpdate');
    $eventName = str_starts_with($event, 'pimcore.') ? $event : 'pimcore.dataobject.' . $event;
    $timeout = option($options, 'timeout', '10');
    if (!is_numeric($timeout) || (float) $timeout <= 0) {
        throw new InvalidArgumentException('--timeout must be a number of seconds');
    }
    $now = time();
    $body = ProductWebhookBody::build(
        $eventName,
        $now,
        (int) $id,
        option($options, 'path', '/Products/Shein/shein-' . $id),
        $published,
        option($options, 'class', 'Product'),
        option($options, 'external-id'),
    );
    $deliveryId = option($options, 'delivery-id') ?? DeliveryId::generate();
    $request = (new WebhookRequestFactory($url, $secret))->build($deliveryId, $body, $now);
} catch (InvalidArgumentException | JsonException $error) {
    fwrite(STDERR, 'send-webhook: ' . $error->getMessage() . PHP_EOL . PHP_EOL . USAGE);
    exit(1);
}

[$status, $answer, $retryAfter, $problem] = post($request, (float) $timeout);
$verdict = $status === null ? DeliveryVerdict::forNoAnswer((string) $problem) : DeliveryVerdict::forStatus($status, $retryAfter);
echo json_encode([
    'deliveryId' => $deliveryId,
    'status' => $status,
    'answer' => $answer,
    'outcome' => $verdict->outcome->value,
    'reason' => $verdict->reason,
    'retryAfterSeconds' => $verdict->retryAfterSeconds,
], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE), PHP_EOL;
exit($verdict->isDelivered() ? 0 : ($verdict->shouldRetry() ? 2 : 3));
