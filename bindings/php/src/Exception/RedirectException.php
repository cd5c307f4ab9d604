<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** The server redirected (18); redirects are never followed. */
class RedirectException extends TransportException
{
}
