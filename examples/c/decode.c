/*
 * decode: print the PHP serialize() data in FILE as one line of JSON, exactly as
 * `vpsgate decode --from php FILE` does.
 *
 *   examples/c/build/decode FILE
 *
 * Exit 0 on success; on malformed input one line on stderr and exit 10 + the library's error
 * number (12 for malformed PHP data), like the CLI. Exit 1 when FILE cannot be read, 2 on usage.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vpsgate.h"

/* The CLI's default --max-size. */
#define MAX_INPUT ((size_t)256 * 1024 * 1024)

static int read_file(const char *path, uint8_t **out, size_t *out_len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len < cap) {
            break;
        }
        if (cap >= MAX_INPUT + 1) {
            break;
        }
        size_t next = cap * 2 > MAX_INPUT + 1 ? MAX_INPUT + 1 : cap * 2;
        uint8_t *grown = realloc(buf, next);
        if (grown == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap = next;
    }
    int failed = buf == NULL || ferror(f) || len > MAX_INPUT;
    fclose(f);
    if (failed) {
        free(buf);
        return -1;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: decode FILE\n");
        return 2;
    }
    uint8_t *input = NULL;
    size_t len = 0;
    if (read_file(argv[1], &input, &len) != 0) {
        fprintf(stderr, "decode: cannot read %s (or it is over 256 MiB)\n", argv[1]);
        return 1;
    }
    char *json = NULL;
    vpsgate_error *err = NULL;
    vpsgate_status st = vpsgate_decode_to_json((const char *)input, len, VPSGATE_SOURCE_PHP, &json, &err);
    free(input);
    if (st != VPSGATE_OK) {
        fprintf(stderr, "decode: %s\n", vpsgate_error_message(err));
        vpsgate_error_free(err);
        return (int)(10 + st);
    }
    int ok = puts(json) >= 0 && fflush(stdout) == 0;
    vpsgate_string_free(json);
    return ok ? 0 : 1;
}
