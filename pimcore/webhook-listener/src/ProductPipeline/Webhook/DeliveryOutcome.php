<?php

declare(strict_types=1);

namespace App\ProductPipeline\Webhook;

/** What to do after one attempt. */
enum DeliveryOutcome: string
{
    /** The worker has the event (or had it already, or does not need it): done. */
    case Delivered = 'delivered';
    /** A passing problem: send the same delivery again later, signed again. */
    case Retry = 'retry';
    /** Sending the same request again cannot succeed: stop, keep the message for a person. */
    case GiveUp = 'give-up';
}
