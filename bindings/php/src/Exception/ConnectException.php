<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** The connection failed: DNS, refused, TLS (16). */
class ConnectException extends TransportException
{
}
