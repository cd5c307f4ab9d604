<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** Malformed PHP serialize data (2, `getOffset()`), malformed JSON (3), or a value PHP format cannot hold (4). */
class DecodeException extends VpsgateException
{
}
