<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** The provider refused the request; `getUpstreamCode()` is its own code. */
class ProviderException extends VpsgateException
{
}
