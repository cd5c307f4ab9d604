<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** A Friendhosting critical error (7); `getUpstreamCode()` is its `errorCode` (1-29, 54, or an unknown one as sent). Warnings 30/31 are never this: they are successes. */
class GatewayException extends ProviderException
{
}
