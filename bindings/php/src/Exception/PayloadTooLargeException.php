<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** Input or an answer over the configured limit (13). */
class PayloadTooLargeException extends VpsgateException
{
}
