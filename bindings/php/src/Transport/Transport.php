<?php

declare(strict_types=1);

namespace Vpsgate\Transport;

use Vpsgate\Request;

/**
 * Something that sends a built {@see Request} once and returns the HTTP status and body, for
 * panels that must use their own HTTP stack (proxy settings, logging). Nothing retries: an
 * implementation must send each request at most once, follow no redirect, and report a failure
 * as a {@see \Vpsgate\Exception\TransportException}.
 */
interface Transport
{
    /**
     * @return array{0:int,1:string} the HTTP status and the body as received
     */
    public function send(Request $request): array;
}
