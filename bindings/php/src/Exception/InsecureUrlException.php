<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** Plain http to a non-loopback host without `allow_insecure_http` (17); nothing was sent. */
class InsecureUrlException extends TransportException
{
}
