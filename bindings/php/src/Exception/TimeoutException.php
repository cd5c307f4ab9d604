<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** The exchange timed out (15). */
class TimeoutException extends TransportException
{
}
