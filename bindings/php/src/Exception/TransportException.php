<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** Sending failed (19, and the subclasses for 15-18). For a money-moving request `isOutcomeUnknown()` says whether it may have been executed. */
class TransportException extends VpsgateException
{
}
