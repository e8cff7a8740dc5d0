<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

use Pimcore\Event\DataObjectEvents;
use Pimcore\Event\Model\DataObjectEvent;
use Pimcore\Model\DataObject\Product;
use Psr\Log\LoggerInterface;
use Symfony\Component\EventDispatcher\EventSubscriberInterface;
use Symfony\Component\Messenger\MessageBusInterface;

/**
 * Queues a webhook for every saved or deleted Product: Pimcore's pimcore.dataobject.postAdd, postUpdate and
 * postDelete. Drafts ("save version only") and auto-saves are not sent: they change nothing published.
 *
 * It only queues (SendProductWebhook on Symfony Messenger); SendProductWebhookHandler sends, in the
 * messenger:consume process. It never throws into Pimcore: a failure to queue is logged, and the editor's
 * save goes through.
 */
final class ProductWebhookSubscriber implements EventSubscriberInterface
{
    /** The arguments Pimcore 11 passes with a save that only stores a version (Concrete::saveVersion()). */
    private const VERSION_ONLY_ARGUMENTS = ['saveVersionOnly', 'isAutoSave'];

    public function __construct(
        private readonly MessageBusInterface $bus,
        private readonly LoggerInterface $logger,
    ) {
    }

    public static function getSubscribedEvents(): array
    {
        return [
            DataObjectEvents::POST_ADD => 'onPostAdd',
            DataObjectEvents::POST_UPDATE => 'onPostUpdate',
            DataObjectEvents::POST_DELETE => 'onPostDelete',
        ];
    }

    public function onPostAdd(DataObjectEvent $event): void
    {
        $this->queue($event, ProductWebhookBody::POST_ADD);
    }

    public function onPostUpdate(DataObjectEvent $event): void
    {
        $this->queue($event, ProductWebhookBody::POST_UPDATE);
    }

    public function onPostDelete(DataObjectEvent $event): void
    {
        $this->queue($event, ProductWebhookBody::POST_DELETE);
    }

    private function queue(DataObjectEvent $event, string $eventName): void
    {
        $context = ['event' => $eventName];
        try {
            $object = $event->getObject();
            if (!$object instanceof Product || self::isVersionOnly($event)) {
                return;
            }
            $context['objectId'] = $object->getId();
            $body = ProductWebhookBody::build(
                $eventName,
                time(),
                (int) $object->getId(),
                $object->getRealFullPath(),
                $object->isPublished(),
                (string) $object->getClassName(),
                $object->getExternalId(),
            );
            $context['deliveryId'] = DeliveryId::generate();
            $this->bus->dispatch(new SendProductWebhook($context['deliveryId'], $body));
            $this->logger->info('Product webhook queued', $context);
        } catch (\Throwable $error) {
            // Never fail the editor's save: the product is saved, only its webhook is missing.
            $this->logger->error(
                'Product webhook NOT queued: the worker will not hear of this change until the product is saved again',
                $context + ['exception' => $error],
            );
        }
    }

    private static function isVersionOnly(DataObjectEvent $event): bool
    {
        foreach (self::VERSION_ONLY_ARGUMENTS as $argument) {
            if ($event->hasArgument($argument) && (bool) $event->getArgument($argument)) {
                return true;
            }
        }

        return false;
    }
}
