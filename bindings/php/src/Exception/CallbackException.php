<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** A GoVPSFX deferred-delivery callback with a missing or wrong hash (11) or an unreadable field (12). */
class CallbackException extends VpsgateException
{
}
