<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/** libvpsgate could not be loaded (200 library_unavailable, the message names `VPSGATE_LIB` and the configured path), or a bug inside it was caught (100 panic: the library stays usable). */
class LibraryException extends VpsgateException
{
}
