<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

use Psr\Log\LoggerInterface;
use Symfony\Component\DependencyInjection\Attribute\Autowire;
use Symfony\Component\Messenger\Attribute\AsMessageHandler;
use Symfony\Component\Messenger\Exception\UnrecoverableMessageHandlingException;
use Symfony\Contracts\HttpClient\Exception\TransportExceptionInterface;
use Symfony\Contracts\HttpClient\HttpClientInterface;

/**
 * Sends one queued product webhook (one attempt per call), signed at send time.
 *
 * - delivered (202, 200): returns; Messenger acknowledges the message.
 * - retry (503, other 5xx, 408, 429, no answer): throws RetryableDeliveryFailure; the transport's
 *   retry_strategy sends it again later, then moves it to the failure transport when retries run out.
 * - give up (400, 401, 413, redirects, other 4xx): throws UnrecoverableMessageHandlingException; the message
 *   goes straight to the failure transport (messenger:failed:show / messenger:failed:retry).
 *
 * The secret is never logged: log lines carry the delivery id, the status, the verdict and the worker's
 * answer (which holds no secret).
 */
#[AsMessageHandler]
final class SendProductWebhookHandler
{
    /** How much of the worker's answer goes into a log line. */
    private const ANSWER_LOG_LIMIT = 500;

    public function __construct(
        private readonly HttpClientInterface $httpClient,
        private readonly LoggerInterface $logger,
        #[Autowire(env: 'PRODUCT_PIPELINE_WEBHOOK_URL')]
        private readonly string $webhookUrl,
        #[Autowire(env: 'PRODUCT_PIPELINE_WEBHOOK_SECRET')]
        #[\SensitiveParameter]
        private readonly string $webhookSecret,
        /** Per attempt, connecting and answering included. */
        private readonly float $timeoutSeconds = 10.0,
    ) {
    }

    public function __invoke(SendProductWebhook $message): void
    {
        $context = ['deliveryId' => $message->deliveryId];
        try {
            $request = (new WebhookRequestFactory($this->webhookUrl, $this->webhookSecret))
                ->build($message->deliveryId, $message->body, time());
        } catch (\InvalidArgumentException $error) {
            $this->logger->critical(
                'Product webhook not sent: the listener is misconfigured ({problem}); fix it, then run messenger:failed:retry',
                $context + ['problem' => $error->getMessage()],
            );
            throw new UnrecoverableMessageHandlingException('product webhook not sent: ' . $error->getMessage(), 0, $error);
        }

        [$verdict, $answer, $failure] = $this->attempt($request);
        $context += [
            'status' => $verdict->status,
            'outcome' => $verdict->outcome->value,
            'reason' => $verdict->reason,
            'answer' => substr($answer, 0, self::ANSWER_LOG_LIMIT),
        ];
        if ($verdict->retryAfterSeconds !== null) {
            $context['retryAfterSeconds'] = $verdict->retryAfterSeconds;
        }

        if ($verdict->isDelivered()) {
            $this->logger->info('Product webhook delivered', $context);

            return;
        }
        if ($verdict->shouldRetry()) {
            $this->logger->warning('Product webhook not delivered, will retry: {reason}', $context);
            throw new RetryableDeliveryFailure($message->deliveryId, $verdict, $failure);
        }
        if ($verdict->alert) {
            // Every webhook fails the same way until someone fixes the secret or the clock.
            $this->logger->critical('Product webhook REFUSED by the worker: {reason}', $context);
        } else {
            $this->logger->error('Product webhook given up: {reason}', $context);
        }
        throw new UnrecoverableMessageHandlingException(
            sprintf('product webhook %s given up (%s)', $message->deliveryId, $verdict->describe()),
        );
    }

    /**
     * @return array{DeliveryVerdict, string, ?\Throwable} the verdict, the answer's text, the transport error
     */
    private function attempt(WebhookRequest $request): array
    {
        try {
            $response = $this->httpClient->request($request->method, $request->url, [
                'headers' => $request->headers,
                'body' => $request->body,
                'timeout' => $this->timeoutSeconds,
                'max_duration' => $this->timeoutSeconds,
                // A redirect would be followed without the signed body's guarantees; refuse it (verdict: give up).
                'max_redirects' => 0,
            ]);
            $status = $response->getStatusCode();
        } catch (TransportExceptionInterface $error) {
            return [DeliveryVerdict::forNoAnswer($error->getMessage()), '', $error];
        }

        // The status decides; the answer and Retry-After are for the logs, so failing to read them is no failure.
        $answer = '';
        $retryAfter = null;
        try {
            $retryAfter = $response->getHeaders(false)['retry-after'][0] ?? null;
            $answer = $response->getContent(false);
        } catch (TransportExceptionInterface) {
        }

        return [DeliveryVerdict::forStatus($status, $retryAfter), $answer, null];
    }
}
