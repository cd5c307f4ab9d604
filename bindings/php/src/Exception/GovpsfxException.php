<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** A GoVPSFX refusal: 8 invalid_parameters (HTTP 400), 9 refused (403: bad hash or refused), 10 provider_error (500, outcome unknown for a lease or extend); `getUpstreamCode()` is the HTTP status. */
class GovpsfxException extends ProviderException
{
}
