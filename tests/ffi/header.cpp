// header: include/vpsgate.h compiles as C++ (-Wall -Wextra -Werror -pedantic) and links.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

extern "C" {
#include "vpsgate.h"
}

int main() {
    const char *php = "a:1:{i:0;b:0;}";
    char *json = nullptr;
    vpsgate_error *err = nullptr;
    vpsgate_status st = vpsgate_decode_to_json(php,
                                               std::strlen(php), VPSGATE_SOURCE_PHP, &json, &err);
    bool ok = st == VPSGATE_OK && std::strcmp(json, "[false]") == 0;
    vpsgate_string_free(json);
    vpsgate_error_free(err);
    std::printf("header (C++): libvpsgate %s, decode %s\n", vpsgate_version(), ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
