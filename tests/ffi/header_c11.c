/* header_c11: include/vpsgate.h compiles as C11 (-Wall -Wextra -Werror -pedantic) and links. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vpsgate.h"

int main(void) {
    printf("header (C11): libvpsgate %s\n", vpsgate_version());
    return vpsgate_status_name(VPSGATE_INVALID_ARGUMENT)[0] == 'i' ? 0 : 1;
}
