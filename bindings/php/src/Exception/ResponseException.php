<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** An answer that could not be read (5 malformed_response) or an HTTP status the API does not define (6 unexpected_status, the status in `getUpstreamCode()`); `getRawBody()` keeps the body. */
class ResponseException extends VpsgateException
{
}
