<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** A request or configuration could not be built (code 1; the C library's 101 null_argument, 102 invalid_utf8, 103 invalid_argument): nothing was sent. `getField()` names the field. */
class InvalidInputException extends VpsgateException
{
}
