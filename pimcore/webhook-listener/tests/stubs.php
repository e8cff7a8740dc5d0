<?php

declare(strict_types=1);

/*
 * Stand-ins for the few Pimcore 11, Symfony 6.4 and PSR-3 types the subscriber and the handler use, with
 * the same names and the signatures of the methods they call, so tests/run.php can run them without a
 * Pimcore project. Only for the tests: a site never copies this file. It cannot prove the real classes
 * behave as these do; it proves what the listener does with them.
 */

namespace Psr\Log {
    interface LoggerInterface
    {
        public function emergency(string|\Stringable $message, array $context = []): void;

        public function alert(string|\Stringable $message, array $context = []): void;

        public function critical(string|\Stringable $message, array $context = []): void;

        public function error(string|\Stringable $message, array $context = []): void;

        public function warning(string|\Stringable $message, array $context = []): void;

        public function notice(string|\Stringable $message, array $context = []): void;

        public function info(string|\Stringable $message, array $context = []): void;

        public function debug(string|\Stringable $message, array $context = []): void;

        public function log($level, string|\Stringable $message, array $context = []): void;
    }
}

namespace Symfony\Component\EventDispatcher {
    interface EventSubscriberInterface
    {
        public static function getSubscribedEvents();
    }
}

namespace Symfony\Component\Messenger {
    final class Envelope
    {
        public function __construct(private object $message, private array $stamps = [])
        {
        }

        public function getMessage(): object
        {
            return $this->message;
        }
    }

    interface MessageBusInterface
    {
        public function dispatch(object $message, array $stamps = []): Envelope;
    }
}

namespace Symfony\Component\Messenger\Exception {
    interface ExceptionInterface extends \Throwable
    {
    }

    interface RecoverableExceptionInterface extends \Throwable
    {
    }

    interface UnrecoverableExceptionInterface extends \Throwable
    {
    }

    class RuntimeException extends \RuntimeException implements ExceptionInterface
    {
    }

    class UnrecoverableMessageHandlingException extends RuntimeException implements UnrecoverableExceptionInterface
    {
    }

    class RecoverableMessageHandlingException extends RuntimeException implements RecoverableExceptionInterface
    {
    }
}

namespace Symfony\Contracts\HttpClient\Exception {
    interface ExceptionInterface extends \Throwable
    {
    }

    interface TransportExceptionInterface extends ExceptionInterface
    {
    }
}

namespace Symfony\Contracts\HttpClient {
    interface ResponseInterface
    {
        public function getStatusCode(): int;

        public function getHeaders(bool $throw = true): array;

        public function getContent(bool $throw = true): string;
    }

    interface HttpClientInterface
    {
        public function request(string $method, string $url, array $options = []): ResponseInterface;
    }
}

namespace Pimcore\Event {
    final class DataObjectEvents
    {
        public const POST_ADD = 'pimcore.dataobject.postAdd';
        public const POST_UPDATE = 'pimcore.dataobject.postUpdate';
        public const POST_DELETE = 'pimcore.dataobject.postDelete';
    }
}

namespace Pimcore\Event\Model {
    class DataObjectEvent
    {
        public function __construct(private object $object, private array $arguments = [])
        {
        }

        public function getObject(): object
        {
            return $this->object;
        }

        public function hasArgument(string $key): bool
        {
            return \array_key_exists($key, $this->arguments);
        }

        public function getArgument(string $key): mixed
        {
            if (!$this->hasArgument($key)) {
                throw new \InvalidArgumentException(sprintf('Argument "%s" not found.', $key));
            }

            return $this->arguments[$key];
        }
    }
}

namespace Pimcore\Model\DataObject {
    /** Pimcore generates this class from the Product definition; only what the listener reads. */
    class Product
    {
        public function __construct(
            private ?int $id,
            private string $fullPath,
            private bool $published,
            private ?string $externalId,
        ) {
        }

        public function getId(): ?int
        {
            return $this->id;
        }

        public function getRealFullPath(): string
        {
            return $this->fullPath;
        }

        public function isPublished(): bool
        {
            return $this->published;
        }

        public function getClassName(): ?string
        {
            return 'Product';
        }

        public function getExternalId(): ?string
        {
            return $this->externalId;
        }
    }

    class Folder
    {
    }
}
