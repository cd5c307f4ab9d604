<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** The provider has no such operation (14); nothing was sent. */
class UnsupportedException extends VpsgateException
{
}
