<?php

declare(strict_types=1);

/*
 * The listener's own tests, plain PHP (no PHPUnit in this project): php tests/run.php
 * Prints one line per check and exits 1 if any failed, naming it. The pure classes are tested as they are;
 * the subscriber and the handler against tests/stubs.php (stand-ins for Pimcore, Symfony and PSR-3).
 */

use App\ProductPipeline\Webhook\DeliveryId;
use App\ProductPipeline\Webhook\DeliveryOutcome;
use App\ProductPipeline\Webhook\DeliveryVerdict;
use App\ProductPipeline\Webhook\ProductWebhookBody;
use App\ProductPipeline\Webhook\ProductWebhookSubscriber;
use App\ProductPipeline\Webhook\RetryableDeliveryFailure;
use App\ProductPipeline\Webhook\SendProductWebhook;
use App\ProductPipeline\Webhook\SendProductWebhookHandler;
use App\ProductPipeline\Webhook\WebhookRequestFactory;
use App\ProductPipeline\Webhook\WebhookSigner;
use Pimcore\Event\DataObjectEvents;
use Pimcore\Event\Model\DataObjectEvent;
use Pimcore\Model\DataObject\Folder;
use Pimcore\Model\DataObject\Product;
use Psr\Log\LoggerInterface;
use Symfony\Component\Messenger\Envelope;
use Symfony\Component\Messenger\Exception\RecoverableExceptionInterface;
use Symfony\Component\Messenger\Exception\UnrecoverableExceptionInterface;
use Symfony\Component\Messenger\Exception\UnrecoverableMessageHandlingException;
use Symfony\Component\Messenger\MessageBusInterface;
use Symfony\Contracts\HttpClient\Exception\TransportExceptionInterface;
use Symfony\Contracts\HttpClient\HttpClientInterface;
use Symfony\Contracts\HttpClient\ResponseInterface;

error_reporting(E_ALL);
// Stack traces with their arguments, as some servers are set up: the secret must not show there either.
ini_set('zend.exception_ignore_args', '0');
ini_set('zend.exception_string_param_max_len', '1000000');
set_error_handler(static function (int $severity, string $message, string $file, int $line): never {
    throw new ErrorException($message, 0, $severity, $file, $line);
});

require __DIR__ . '/../bin/autoload.php';
require __DIR__ . '/stubs.php';

// ---------------------------------------------------------------------------------------------- harness

final class CheckFailed extends RuntimeException
{
}

/** @var list<string> $failures */
$failures = [];
$checks = 0;

function check(string $name, callable $test): void
{
    global $failures, $checks;
    ++$checks;
    try {
        $test();
        echo "ok   {$name}\n";
    } catch (Throwable $error) {
        $failures[] = $name;
        $where = $error instanceof CheckFailed ? '' : sprintf(' (%s at %s:%d)', $error::class, $error->getFile(), $error->getLine());
        echo "FAIL {$name}: {$error->getMessage()}{$where}\n";
    }
}

function same(mixed $expected, mixed $actual, string $what = 'value'): void
{
    if ($expected !== $actual) {
        throw new CheckFailed(sprintf("%s:\n  expected %s\n  actual   %s", $what, var_export($expected, true), var_export($actual, true)));
    }
}

function truthy(bool $condition, string $what): void
{
    if (!$condition) {
        throw new CheckFailed($what);
    }
}

/** @template T of Throwable @param class-string<T> $class @return T */
function throws(string $class, callable $action, string $what): Throwable
{
    try {
        $action();
    } catch (Throwable $error) {
        if (!$error instanceof $class) {
            throw new CheckFailed(sprintf('%s: expected %s, got %s: %s', $what, $class, $error::class, $error->getMessage()));
        }

        return $error;
    }
    throw new CheckFailed($what . ': expected ' . $class . ', nothing was thrown');
}

// ------------------------------------------------------------------------------------------ test doubles

final class RecordingLogger implements LoggerInterface
{
    /** @var list<array{level: string, message: string, context: array<string, mixed>}> */
    public array $records = [];

    public function emergency(string|Stringable $message, array $context = []): void
    {
        $this->log('emergency', $message, $context);
    }

    public function alert(string|Stringable $message, array $context = []): void
    {
        $this->log('alert', $message, $context);
    }

    public function critical(string|Stringable $message, array $context = []): void
    {
        $this->log('critical', $message, $context);
    }

    public function error(string|Stringable $message, array $context = []): void
    {
        $this->log('error', $message, $context);
    }

    public function warning(string|Stringable $message, array $context = []): void
    {
        $this->log('warning', $message, $context);
    }

    public function notice(string|Stringable $message, array $context = []): void
    {
        $this->log('notice', $message, $context);
    }

    public function info(string|Stringable $message, array $context = []): void
    {
        $this->log('info', $message, $context);
    }

    public function debug(string|Stringable $message, array $context = []): void
    {
        $this->log('debug', $message, $context);
    }

    public function log($level, string|Stringable $message, array $context = []): void
    {
        $this->records[] = ['level' => (string) $level, 'message' => (string) $message, 'context' => $context];
    }

    /** @return list<string> */
    public function levels(): array
    {
        return array_column($this->records, 'level');
    }

    /** Everything logged, exceptions and their messages included, as one text. */
    public function dump(): string
    {
        return print_r(array_map(static function (array $record): array {
            $context = $record['context'];
            if (($context['exception'] ?? null) instanceof Throwable) {
                $context['exception'] = (string) $context['exception'];
            }

            return [$record['level'], $record['message'], $context];
        }, $this->records), true);
    }
}

final class RecordingBus implements MessageBusInterface
{
    /** @var list<object> */
    public array $messages = [];

    public ?Throwable $failWith = null;

    public function dispatch(object $message, array $stamps = []): Envelope
    {
        if ($this->failWith !== null) {
            throw $this->failWith;
        }
        $this->messages[] = $message;

        return new Envelope($message, $stamps);
    }
}

final class FakeTransportException extends RuntimeException implements TransportExceptionInterface
{
}

final class FakeResponse implements ResponseInterface
{
    /** @param array<string, list<string>> $headers */
    public function __construct(private int $status, private string $content = '', private array $headers = [])
    {
    }

    public function getStatusCode(): int
    {
        return $this->status;
    }

    public function getHeaders(bool $throw = true): array
    {
        return $this->headers;
    }

    public function getContent(bool $throw = true): string
    {
        return $this->content;
    }
}

final class FakeHttpClient implements HttpClientInterface
{
    /** @var list<array{method: string, url: string, options: array<string, mixed>}> */
    public array $requests = [];

    public function __construct(private ResponseInterface|Throwable $answer)
    {
    }

    public function request(string $method, string $url, array $options = []): ResponseInterface
    {
        $this->requests[] = ['method' => $method, 'url' => $url, 'options' => $options];
        if ($this->answer instanceof Throwable) {
            throw $this->answer;
        }

        return $this->answer;
    }
}

// ---------------------------------------------------------------------------------------------- fixtures

$vector = json_decode((string) file_get_contents(__DIR__ . '/../signature-vector.json'), true, 8, JSON_THROW_ON_ERROR);
const SECRET = 'test-secret-0123456789abcdef0123456789';
const URL = 'https://worker.example.com/webhooks/pimcore';
const UUID_DELIVERY_ID = '/^pimcore-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/D';

/** The vector's body, from the values it was made of. */
function vectorBody(): string
{
    return ProductWebhookBody::build(
        ProductWebhookBody::POST_UPDATE,
        1767225600,
        42,
        '/Products/Shein/robe-d’été',
        true,
        'Product',
        'shein:42',
        false,
    );
}

function handler(FakeHttpClient $http, RecordingLogger $logger, string $secret = SECRET, string $url = URL): SendProductWebhookHandler
{
    return new SendProductWebhookHandler($http, $logger, $url, $secret, 5.0);
}

// ---------------------------------------------------------------------------------------------- checks

check('every class in src/ loads (no fatal error in a declaration)', static function (): void {
    foreach (glob(__DIR__ . '/../src/ProductPipeline/Webhook/*.php') ?: [] as $file) {
        $name = 'App\\ProductPipeline\\Webhook\\' . basename($file, '.php');
        truthy(class_exists($name) || enum_exists($name), $name . ' does not load');
    }
});

check('the signer gives the known-answer vector\'s signature', static function () use ($vector): void {
    same(
        $vector['signature'],
        (new WebhookSigner())->sign($vector['secret'], $vector['timestamp'], $vector['deliveryId'], $vector['body']),
        'signature',
    );
});

check('the signature covers the delivery id, the timestamp and every byte of the body', static function () use ($vector): void {
    $signer = new WebhookSigner();
    $sign = static fn (array $v): string => $signer->sign($v['secret'], $v['timestamp'], $v['deliveryId'], $v['body']);
    foreach (['deliveryId' => 'pimcore-other', 'timestamp' => '1767225601', 'body' => $vector['body'] . ' '] as $field => $value) {
        truthy($sign([$field => $value] + $vector) !== $vector['signature'], 'changing ' . $field . ' keeps the signature');
    }
    truthy(preg_match('/^sha256=[0-9a-f]{64}$/D', $sign($vector)) === 1, 'sha256= and 64 lowercase hex digits');
});

check('the body builder gives exactly the vector\'s body bytes', static function () use ($vector): void {
    same($vector['body'], vectorBody(), 'body');
});

check('the body keeps slashes and non-ASCII characters unescaped', static function (): void {
    $body = vectorBody();
    truthy(str_contains($body, '"path":"/Products/Shein/robe-d’été"'), 'path as written: ' . $body);
    truthy(!str_contains($body, '\\/') && !str_contains($body, '\\u'), 'no \\/ or \\u escapes: ' . $body);
});

check('the body of an unpublished new product without externalId', static function (): void {
    $expected = '{"general":{"eventName":"pimcore.dataobject.postAdd","timestamp":1800000000,"subjectType":"object",'
        . '"versionOnly":false},"subject":{"id":7,"path":"/Products/Shein/shein-7","External ID (externalId)":null,'
        . '"published":false,"type":"Product"}}';
    same($expected, ProductWebhookBody::build(ProductWebhookBody::POST_ADD, 1800000000, 7, '/Products/Shein/shein-7', false, 'Product', null), 'body');
    same($expected, ProductWebhookBody::build(ProductWebhookBody::POST_ADD, 1800000000, 7, '/Products/Shein/shein-7', false, 'Product', ''), 'body for an empty externalId');
});

check('the body builder refuses what the worker would not read', static function (): void {
    $build = static fn (string $event = ProductWebhookBody::POST_DELETE, int $id = 1, string $path = '/p', string $class = 'Product', int $ts = 0) => static fn () => ProductWebhookBody::build($event, $ts, $id, $path, true, $class, null);
    throws(InvalidArgumentException::class, $build('pimcore.dataobject.preUpdate'), 'another event');
    throws(InvalidArgumentException::class, $build(id: 0), 'id 0');
    throws(InvalidArgumentException::class, $build(path: ''), 'empty path');
    throws(InvalidArgumentException::class, $build(class: ''), 'empty class');
    throws(InvalidArgumentException::class, $build(ts: -1), 'negative time');
    throws(JsonException::class, static fn () => ProductWebhookBody::build(ProductWebhookBody::POST_ADD, 0, 1, "/\xC3", true, 'Product', null), 'a path that is not UTF-8');
});

check('delivery ids are pimcore-<uuid v4>, unique, and of the worker\'s alphabet', static function (): void {
    $ids = [];
    for ($i = 0; $i < 2000; ++$i) {
        $id = DeliveryId::generate();
        truthy(preg_match(UUID_DELIVERY_ID, $id) === 1, 'not a pimcore-<uuid v4>: ' . $id);
        truthy(DeliveryId::isValid($id), 'refused by the pattern: ' . $id);
        $ids[$id] = true;
    }
    same(2000, count($ids), 'distinct ids');
});

check('the delivery id pattern is the worker\'s: 1–200 of [A-Za-z0-9_.:-], no trailing newline', static function (): void {
    foreach (['a', 'shein:42.v1_x-y', str_repeat('a', 200)] as $ok) {
        truthy(DeliveryId::isValid($ok), 'refused ' . $ok);
    }
    foreach (['', "a\n", 'a b', 'é', 'a/b', str_repeat('a', 201)] as $bad) {
        truthy(!DeliveryId::isValid($bad), 'accepted ' . json_encode($bad));
    }
});

check('the factory builds the POST with exactly the contract\'s headers', static function () use ($vector): void {
    $request = (new WebhookRequestFactory(URL, $vector['secret']))->build($vector['deliveryId'], $vector['body'], (int) $vector['timestamp']);
    same('POST', $request->method, 'method');
    same(URL, $request->url, 'url');
    same($vector['body'], $request->body, 'body');
    same([
        'Content-Type' => 'application/json',
        'X-Pimcore-Timestamp' => $vector['timestamp'],
        'X-Pimcore-Delivery' => $vector['deliveryId'],
        'X-Pimcore-Signature' => $vector['signature'],
    ], $request->headers, 'headers');
    same('X-Pimcore-Signature: ' . $vector['signature'], $request->headerLines()[3], 'header line');
});

check('each attempt is signed again: new timestamp and signature, same delivery id and body', static function () use ($vector): void {
    $factory = new WebhookRequestFactory(URL, SECRET);
    $first = $factory->build('pimcore-1', $vector['body'], 1800000000);
    $retry = $factory->build('pimcore-1', $vector['body'], 1800000600);
    same('1800000600', $retry->headers['X-Pimcore-Timestamp'], 'retry timestamp');
    truthy($first->headers['X-Pimcore-Signature'] !== $retry->headers['X-Pimcore-Signature'], 'the retry kept the old signature');
    same($first->headers['X-Pimcore-Delivery'], $retry->headers['X-Pimcore-Delivery'], 'delivery id');
    same($first->body, $retry->body, 'body');
});

check('the factory refuses a URL or a secret the worker cannot use, without echoing the secret', static function (): void {
    foreach (['', 'worker.example.com/webhooks/pimcore', '/webhooks/pimcore', 'ftp://worker.example.com/x'] as $url) {
        throws(InvalidArgumentException::class, static fn () => new WebhookRequestFactory($url, SECRET), 'URL ' . json_encode($url));
    }
    $bad = [
        str_repeat('s', 31),
        str_repeat('é', 31), // 62 bytes, but 31 characters: the worker counts characters
        'comma,' . str_repeat('s', 40),
        ' ' . str_repeat('s', 40),
        str_repeat('s', 40) . "\n",
    ];
    foreach ($bad as $secret) {
        $error = throws(InvalidArgumentException::class, static fn () => new WebhookRequestFactory(URL, $secret), 'secret ' . json_encode($secret));
        truthy(!str_contains($error->getMessage(), trim($secret)), 'the message repeats the secret: ' . $error->getMessage());
    }
    new WebhookRequestFactory(URL, str_repeat('s', 32));
    new WebhookRequestFactory('http://127.0.0.1:3000/webhooks/pimcore', str_repeat('é', 32));
});

check('the factory refuses a delivery id the worker would refuse', static function (): void {
    $factory = new WebhookRequestFactory(URL, SECRET);
    foreach (['', "id\n", 'a b', str_repeat('a', 201)] as $id) {
        throws(InvalidArgumentException::class, static fn () => $factory->build($id, '{}', 1800000000), 'delivery id ' . json_encode($id));
    }
});

check('verdicts: 200, 202 (and any 2xx) are delivered', static function (): void {
    foreach ([200, 202, 204] as $status) {
        $verdict = DeliveryVerdict::forStatus($status);
        same(DeliveryOutcome::Delivered, $verdict->outcome, (string) $status);
        same($status, $verdict->status, 'status');
    }
});

check('verdicts: 408, 429, 500, 502, 503, 504 and no answer are retried', static function (): void {
    foreach ([408, 429, 500, 502, 503, 504] as $status) {
        truthy(DeliveryVerdict::forStatus($status)->shouldRetry(), $status . ' is not retried');
    }
    $noAnswer = DeliveryVerdict::forNoAnswer('Connection refused');
    truthy($noAnswer->shouldRetry(), 'no answer is not retried');
    same(null, $noAnswer->status, 'status of no answer');
    truthy(str_contains($noAnswer->describe(), 'Connection refused'), 'the problem is kept: ' . $noAnswer->describe());
});

check('verdicts: 503\'s Retry-After is read, in seconds or as a date', static function (): void {
    same(5, DeliveryVerdict::forStatus(503, '5')->retryAfterSeconds, 'delay-seconds');
    same(120, DeliveryVerdict::forStatus(503, gmdate('D, d M Y H:i:s \G\M\T', 1800000120), 1800000000)->retryAfterSeconds, 'HTTP date');
    same(null, DeliveryVerdict::forStatus(503)->retryAfterSeconds, 'none given');
    same(null, DeliveryVerdict::forStatus(503, 'soon')->retryAfterSeconds, 'unreadable');
});

check('verdicts: 400, 401, 413 give up; only 401 raises the alarm', static function (): void {
    foreach ([400 => false, 401 => true, 413 => false] as $status => $alert) {
        $verdict = DeliveryVerdict::forStatus($status);
        truthy($verdict->isGiveUp(), $status . ' does not give up');
        same($alert, $verdict->alert, $status . ' alert');
    }
    truthy(str_contains(DeliveryVerdict::forStatus(401)->reason, 'clock'), '401 names the clock as a cause');
});

check('verdicts: redirects and other 4xx give up (a resend of the same request cannot succeed)', static function (): void {
    foreach ([301, 302, 307, 308, 403, 404, 405, 422, 100, 600] as $status) {
        truthy(DeliveryVerdict::forStatus($status)->isGiveUp(), $status . ' does not give up');
    }
});

check('the subscriber listens to postAdd, postUpdate, postDelete', static function (): void {
    same([
        DataObjectEvents::POST_ADD => 'onPostAdd',
        DataObjectEvents::POST_UPDATE => 'onPostUpdate',
        DataObjectEvents::POST_DELETE => 'onPostDelete',
    ], ProductWebhookSubscriber::getSubscribedEvents(), 'subscribed events');
});

check('the subscriber queues one message per Product save, with a fresh delivery id', static function (): void {
    $bus = new RecordingBus();
    $subscriber = new ProductWebhookSubscriber($bus, new RecordingLogger());
    $product = new Product(42, '/Products/Shein/robe-d’été', true, 'shein:42');
    $before = time();
    $subscriber->onPostUpdate(new DataObjectEvent($product));
    $subscriber->onPostAdd(new DataObjectEvent($product, ['isAutoSave' => false]));
    $subscriber->onPostDelete(new DataObjectEvent(new Product(43, '/Products/Shein/shein-43', false, null)));
    $after = time();

    same(3, count($bus->messages), 'messages');
    [$update, $add, $delete] = $bus->messages;
    truthy($update instanceof SendProductWebhook, 'a SendProductWebhook');
    truthy(preg_match(UUID_DELIVERY_ID, $update->deliveryId) === 1, 'delivery id ' . $update->deliveryId);
    truthy($update->deliveryId !== $add->deliveryId, 'two events share a delivery id');
    $body = json_decode($update->body, true, 8, JSON_THROW_ON_ERROR);
    truthy($body['general']['timestamp'] >= $before && $body['general']['timestamp'] <= $after, 'event time');
    same(
        ProductWebhookBody::build(ProductWebhookBody::POST_UPDATE, $body['general']['timestamp'], 42, '/Products/Shein/robe-d’été', true, 'Product', 'shein:42'),
        $update->body,
        'postUpdate body',
    );
    same('pimcore.dataobject.postAdd', json_decode($add->body, true)['general']['eventName'], 'postAdd event');
    $deleted = json_decode($delete->body, true);
    same(['pimcore.dataobject.postDelete', 43, null, false], [$deleted['general']['eventName'], $deleted['subject']['id'], $deleted['subject']['External ID (externalId)'], $deleted['subject']['published']], 'postDelete body');
});

check('the subscriber sends no drafts, auto-saves or other objects', static function (): void {
    $bus = new RecordingBus();
    $subscriber = new ProductWebhookSubscriber($bus, new RecordingLogger());
    $product = new Product(42, '/Products/Shein/shein-42', true, 'shein:42');
    $subscriber->onPostUpdate(new DataObjectEvent($product, ['saveVersionOnly' => true, 'isAutoSave' => false]));
    $subscriber->onPostUpdate(new DataObjectEvent($product, ['saveVersionOnly' => true, 'isAutoSave' => true]));
    $subscriber->onPostUpdate(new DataObjectEvent($product, ['isAutoSave' => true]));
    $subscriber->onPostUpdate(new DataObjectEvent(new Folder()));
    same(0, count($bus->messages), 'messages queued');
    $subscriber->onPostUpdate(new DataObjectEvent($product, ['saveVersionOnly' => false]));
    same(1, count($bus->messages), 'a save with saveVersionOnly=false is sent');
});

check('a failed dispatch never fails the editor\'s save, and is logged', static function (): void {
    $bus = new RecordingBus();
    $bus->failWith = new RuntimeException('database gone');
    $logger = new RecordingLogger();
    (new ProductWebhookSubscriber($bus, $logger))->onPostUpdate(new DataObjectEvent(new Product(42, '/p', true, 'shein:42')));
    same(['error'], $logger->levels(), 'log levels');
    same(42, $logger->records[0]['context']['objectId'], 'object id logged');
    truthy(DeliveryId::isValid($logger->records[0]['context']['deliveryId']), 'delivery id logged');
    truthy($logger->records[0]['context']['exception'] instanceof RuntimeException, 'exception logged');
});

check('the handler sends one signed attempt and returns on 202', static function (): void {
    $http = new FakeHttpClient(new FakeResponse(202, '{"accepted":true}'));
    $logger = new RecordingLogger();
    $body = vectorBody();
    $before = time();
    handler($http, $logger)(new SendProductWebhook('pimcore-abc', $body));
    $after = time();

    same(1, count($http->requests), 'requests');
    ['method' => $method, 'url' => $url, 'options' => $options] = $http->requests[0];
    same(['POST', URL, $body], [$method, $url, $options['body']], 'method, url, body');
    $headers = $options['headers'];
    $timestamp = (int) $headers['X-Pimcore-Timestamp'];
    truthy($timestamp >= $before && $timestamp <= $after, 'signed at send time');
    same((new WebhookRequestFactory(URL, SECRET))->build('pimcore-abc', $body, $timestamp)->headers, $headers, 'headers');
    same([5.0, 5.0, 0], [$options['timeout'], $options['max_duration'], $options['max_redirects']], 'timeout and redirects');
    same(['info'], $logger->levels(), 'log levels');
});

check('the handler retries through the retry strategy on 503 (not RecoverableMessageHandlingException)', static function (): void {
    $logger = new RecordingLogger();
    $http = new FakeHttpClient(new FakeResponse(503, '{"error":"busy"}', ['retry-after' => ['5']]));
    $error = throws(RetryableDeliveryFailure::class, static fn () => handler($http, $logger)(new SendProductWebhook('pimcore-abc', '{}')), '503');
    truthy(!$error instanceof RecoverableExceptionInterface && !$error instanceof UnrecoverableExceptionInterface, 'max_retries must decide');
    same(['warning'], $logger->levels(), 'log levels');
    same([503, 5, '{"error":"busy"}'], [$logger->records[0]['context']['status'], $logger->records[0]['context']['retryAfterSeconds'], $logger->records[0]['context']['answer']], 'logged');
});

check('the handler retries when the worker does not answer', static function (): void {
    $cause = new FakeTransportException('Idle timeout reached');
    $error = throws(RetryableDeliveryFailure::class, static fn () => handler(new FakeHttpClient($cause), new RecordingLogger())(new SendProductWebhook('pimcore-abc', '{}')), 'no answer');
    same($cause, $error->getPrevious(), 'cause');
    same(null, $error->verdict->status, 'status');
});

check('the handler gives up on 400 and 413, and alarms on 401', static function (): void {
    foreach ([400 => 'error', 413 => 'error', 401 => 'critical'] as $status => $level) {
        $logger = new RecordingLogger();
        throws(UnrecoverableMessageHandlingException::class, static fn () => handler(new FakeHttpClient(new FakeResponse($status, '{"problem":"x"}')), $logger)(new SendProductWebhook('pimcore-abc', '{}')), (string) $status);
        same([$level], $logger->levels(), $status . ' log levels');
    }
});

check('a misconfigured handler sends nothing and sends the message to the failure transport', static function (): void {
    foreach ([[SECRET, 'not a url'], ['too-short', URL]] as [$secret, $url]) {
        $http = new FakeHttpClient(new FakeResponse(202));
        $logger = new RecordingLogger();
        throws(UnrecoverableMessageHandlingException::class, static fn () => handler($http, $logger, $secret, $url)(new SendProductWebhook('pimcore-abc', '{}')), 'misconfigured');
        same(0, count($http->requests), 'requests');
        same(['critical'], $logger->levels(), 'log levels');
    }
});

check('the secret appears in no log line and no exception, traces included', static function (): void {
    $misconfigured = SECRET . ',' . SECRET; // refused: the worker would split it on the comma
    $cases = [
        [new FakeResponse(202), SECRET],
        [new FakeResponse(401), SECRET],
        [new FakeResponse(503), SECRET],
        [new FakeTransportException('reset'), SECRET],
        [new FakeResponse(202), $misconfigured],
    ];
    $seen = '';
    foreach ($cases as [$answer, $secret]) {
        $logger = new RecordingLogger();
        try {
            handler(new FakeHttpClient($answer), $logger, $secret)(new SendProductWebhook('pimcore-abc', '{}'));
        } catch (Throwable $error) {
            $seen .= $error . "\n";
        }
        $seen .= $logger->dump();
    }
    truthy(str_contains($seen, 'misconfigured'), 'the misconfigured case was not logged');
    truthy(!str_contains($seen, SECRET), 'the secret was logged or thrown');
});

echo "\n", $checks - count($failures), "/{$checks} checks passed\n";
if ($failures !== []) {
    echo 'FAILED: ', implode('; ', $failures), "\n";
    exit(1);
}
