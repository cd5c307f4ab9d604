/* A tiny assertion kit shared by the C suites of tests/ffi. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vpsgate.h"

static int failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

#define CHECK_STR(got, want)                                                              \
    do {                                                                                  \
        const char *g_ = (got), *w_ = (want);                                             \
        if (g_ == NULL || strcmp(g_, w_) != 0) {                                          \
            fprintf(stderr, "%s:%d: got  %s\n%*swant %s\n", __FILE__, __LINE__,           \
                    g_ == NULL ? "(NULL)" : g_, (int)strlen(__FILE__) + 8, "", w_);       \
            failures++;                                                                   \
        }                                                                                 \
    } while (0)

#define CHECK_CONTAINS(got, needle)                                                      \
    do {                                                                                 \
        const char *g_ = (got);                                                          \
        if (g_ == NULL || strstr(g_, (needle)) == NULL) {                                \
            fprintf(stderr, "%s:%d: %s does not contain %s\n", __FILE__, __LINE__,       \
                    g_ == NULL ? "(NULL)" : g_, (needle));                               \
            failures++;                                                                  \
        }                                                                                \
    } while (0)


static inline int finish(const char *suite) {
    if (failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", suite, failures);
        return 1;
    }
    printf("%s: all checks passed\n", suite);
    return 0;
}
