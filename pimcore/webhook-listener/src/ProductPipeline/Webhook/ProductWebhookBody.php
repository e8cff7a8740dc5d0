<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

/**
 * The webhook body, in the shape of Pimcore's Datahub Webhooks ("Example Requests"), so that the worker
 * has one reader for both senders:
 *
 *     {"general":{"eventName":…,"timestamp":…,"subjectType":"object","versionOnly":false},
 *      "subject":{"id":…,"path":…,"External ID (externalId)":…,"published":…,"type":"Product"}}
 *
 * Built from plain values, so it needs neither Pimcore nor Symfony.
 */
final class ProductWebhookBody
{
    public const POST_ADD = 'pimcore.dataobject.postAdd';
    public const POST_UPDATE = 'pimcore.dataobject.postUpdate';
    public const POST_DELETE = 'pimcore.dataobject.postDelete';
    public const EVENT_NAMES = [self::POST_ADD, self::POST_UPDATE, self::POST_DELETE];

    /**
     * Datahub Webhooks labels a field "<title> (<name>)"; "External ID" is the field's title in
     * pimcore/class_Product_export.json.
     */
    public const EXTERNAL_ID_KEY = 'External ID (externalId)';

    /** Slashes and non-ASCII characters as they are (a path like /Products/Shein/robe-d’été stays readable). */
    public const JSON_FLAGS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;

    /**
     * @param string      $eventName      one of EVENT_NAMES
     * @param int         $eventTimestamp unix seconds at which the event happened
     * @param string|null $externalId     the object's externalId; null (or '') when it has none
     *
     * @throws \InvalidArgumentException for an unknown event, a non-positive id, an empty class or path
     * @throws \JsonException            for text that is not UTF-8
     */
    public static function build(
        string $eventName,
        int $eventTimestamp,
        int $id,
        string $path,
        bool $published,
        string $className,
        ?string $externalId,
        bool $versionOnly = false,
    ): string {
        if (!\in_array($eventName, self::EVENT_NAMES, true)) {
            throw new \InvalidArgumentException(sprintf(
                'eventName must be one of %s, got "%s"',
                implode(', ', self::EVENT_NAMES),
                $eventName,
            ));
        }
        if ($eventTimestamp < 0) {
            throw new \InvalidArgumentException('eventTimestamp must be unix seconds, got ' . $eventTimestamp);
        }
        if ($id < 1) {
            throw new \InvalidArgumentException('id must be a Pimcore object id (1 or more), got ' . $id);
        }
        if ($path === '' || $className === '') {
            throw new \InvalidArgumentException('path and className must not be empty');
        }

        return json_encode([
            'general' => [
                'eventName' => $eventName,
                'timestamp' => $eventTimestamp,
                'subjectType' => 'object',
                'versionOnly' => $versionOnly,
            ],
            'subject' => [
                'id' => $id,
                'path' => $path,
                self::EXTERNAL_ID_KEY => $externalId === '' ? null : $externalId,
                'published' => $published,
                'type' => $className,
            ],
        ], self::JSON_FLAGS);
    }
}
