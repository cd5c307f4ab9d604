/*
 * hostile: every export fed NULLs, zero lengths, short lengths and garbage. Run under
 * AddressSanitizer + LeakSanitizer by scripts/test-ffi.sh: the checks below assert the status a
 * correct library gives, and ASan fails the run on any out-of-bounds read, use after free or
 * leak. Outputs must stay untouched on failure.
 */
#include "check.h"

static const char *CONFIG =
    "{\"provider\":\"friendhosting\",\"endpoint\":\"http://127.0.0.1:9/apih.php\","
    "\"login\":\"demo\",\"api_key\":\"k3y\",\"timeout_ms\":200,\"connect_timeout_ms\":200}";

/* Call `expr`, check its status, free the error it gives (which must be set). */
#define EXPECT(expr, want)                                                                 \
    do {                                                                                   \
        vpsgate_error *e_ = NULL;                                                          \
        vpsgate_error **err = &e_;                                                         \
        vpsgate_status s_ = (expr);                                                        \
        if (s_ != (vpsgate_status)(want)) {                                                \
            fprintf(stderr, "%s:%d: %s gave %u (%s), want %u\n", __FILE__, __LINE__, #expr, \
                    s_, vpsgate_error_message(e_), (unsigned)(want));                      \
            failures++;                                                                    \
        }                                                                                  \
        if ((want) != VPSGATE_OK && e_ == NULL) {                                          \
            fprintf(stderr, "%s:%d: no error handle\n", __FILE__, __LINE__);               \
            failures++;                                                                    \
        }                                                                                  \
        vpsgate_error_free(e_);                                                            \
    } while (0)

/* Deterministic garbage. */
static uint32_t seed = 12345;
static uint8_t next_byte(void) {
    seed = seed * 1103515245u + 12345u;
    return (uint8_t)(seed >> 16);
}

static void nulls_everywhere(void) {
    char *s = (char *)0x1; /* must stay untouched on failure */
    vpsgate_provider *p = (vpsgate_provider *)0x1;
    vpsgate_request *r = (vpsgate_request *)0x1;

    EXPECT(vpsgate_decode_to_json(NULL, 5, 0, &s, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_decode_to_json("i:1;", 4, 0, NULL, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_decode_to_json(NULL, 0, 0, &s, err), VPSGATE_JSON_SYNTAX); /* empty input */
    EXPECT(vpsgate_decode_to_json("i:1;", (size_t)-1, 0, &s, err), VPSGATE_INVALID_ARGUMENT);
    CHECK(s == (char *)0x1);
    /* NULL out_error: the status alone. */
    CHECK(vpsgate_decode_to_json(NULL, 5, 0, &s, NULL) == VPSGATE_NULL_ARGUMENT);

    EXPECT(vpsgate_govpsfx_sign(NULL, "a", "1", NULL, "1", &s, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_govpsfx_sign("x", "a", "1", NULL, "1", NULL, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_govpsfx_sign("x", "\xff\xfe", NULL, NULL, NULL, &s, err), VPSGATE_INVALID_UTF8);
    CHECK(s == (char *)0x1);

    EXPECT(vpsgate_provider_new(NULL, 10, &p, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_new(NULL, 0, &p, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_new(CONFIG, strlen(CONFIG), NULL, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_new(CONFIG, strlen(CONFIG) - 1, &p, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_new(CONFIG, 0, &p, err), VPSGATE_INVALID_INPUT);
    CHECK(p == (vpsgate_provider *)0x1);

    EXPECT(vpsgate_provider_step_request(NULL, "balance", NULL, 0, &r, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_command_request(NULL, "getBalance", NULL, 0, &r, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_step_run(NULL, "balance", NULL, 0, &s, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_command_run(NULL, "getBalance", NULL, 0, &s, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_verify_callback(NULL, NULL, "x", 1, &s, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_request_parse_response(NULL, 200, "x", 1, &s, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_request_send(NULL, &s, err), VPSGATE_NULL_ARGUMENT);
    CHECK(s == (char *)0x1 && r == (vpsgate_request *)0x1);

    /* Accessors and frees on NULL. */
    CHECK_STR(vpsgate_provider_name(NULL), "");
    CHECK_STR(vpsgate_request_method(NULL), "");
    CHECK_STR(vpsgate_request_url(NULL), "");
    CHECK(vpsgate_request_body(NULL) == NULL);
    CHECK(vpsgate_request_body_len(NULL) == 0);
    CHECK(vpsgate_request_header_count(NULL) == 0);
    CHECK(vpsgate_request_header_name(NULL, 0) == NULL);
    CHECK(vpsgate_request_header_value(NULL, 0) == NULL);
    CHECK_STR(vpsgate_request_operation(NULL), "");
    CHECK(vpsgate_request_moves_money(NULL) == 0);
    CHECK(vpsgate_request_read_only(NULL) == 0);
    CHECK(vpsgate_error_code(NULL) == VPSGATE_NULL_ARGUMENT);
    CHECK_STR(vpsgate_error_name(NULL), "");
    CHECK_STR(vpsgate_error_message(NULL), "");
    CHECK_STR(vpsgate_error_json(NULL), "");
    CHECK(vpsgate_error_has_upstream_code(NULL) == 0);
    CHECK(vpsgate_error_upstream_code(NULL) == 0);
    CHECK(vpsgate_error_outcome_unknown(NULL) == 0);
    CHECK_STR(vpsgate_status_name(0xffffffffu), "unknown");
    vpsgate_string_free(NULL);
    vpsgate_error_free(NULL);
    vpsgate_provider_free(NULL);
    vpsgate_request_free(NULL);
}

static void with_a_provider(void) {
    vpsgate_provider *p = NULL;
    CHECK(vpsgate_provider_new(CONFIG, strlen(CONFIG), &p, NULL) == VPSGATE_OK);
    char *s = (char *)0x1;
    vpsgate_request *r = (vpsgate_request *)0x1;

    EXPECT(vpsgate_provider_step_request(p, NULL, NULL, 0, &r, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_step_request(p, "balance", NULL, 0, NULL, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_step_request(p, "balance", NULL, 3, &r, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_step_request(p, "bal\xe9nce", NULL, 0, &r, err), VPSGATE_INVALID_UTF8);
    EXPECT(vpsgate_provider_step_request(p, "", NULL, 0, &r, err), VPSGATE_INVALID_INPUT);
    /* A short length cuts the JSON: invalid arguments, not a read past the end. */
    const char *args = "{\"id\":\"100001\"}";
    EXPECT(vpsgate_provider_step_request(p, "suspend", args, 5, &r, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_step_request(p, "suspend", "[1,2]", 5, &r, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_step_request(p, "suspend", "{\"id\":7}", 8, &r, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_step_request(p, "suspend", "{\"id\":\"\xff\"}", 10, &r, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_step_request(p, "renew", "{\"id\":\"1\",\"months\":-1}", 23, &r, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_step_request(p, "renew", "{\"id\":\"1\",\"months\":0}", 22, &r, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_command_request(p, NULL, NULL, 0, &r, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_command_request(p, "createOrder", "{}", 2, &r, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_command_request(p, "createOrder", "{\"tarifid\":\"\",\"period\":1}", 26, &r, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_command_run(p, "getBalance", "{\"x\":1}", 7, &s, err), VPSGATE_INVALID_INPUT);
    EXPECT(vpsgate_provider_command_run(p, "getBalance", NULL, 0, NULL, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_provider_step_run(p, NULL, NULL, 0, &s, err), VPSGATE_NULL_ARGUMENT);
    /* Nothing listens on port 9: a connect failure, reported, not a crash. */
    EXPECT(vpsgate_provider_step_run(p, "balance", NULL, 0, &s, err), VPSGATE_CONNECT);
    EXPECT(vpsgate_provider_verify_callback(p, NULL, NULL, 0, &s, err), VPSGATE_UNSUPPORTED);
    CHECK(s == (char *)0x1 && r == (vpsgate_request *)0x1);

    vpsgate_request *req = NULL;
    CHECK(vpsgate_provider_step_request(p, "list", "  \n", 3, &req, NULL) == VPSGATE_OK);
    EXPECT(vpsgate_request_parse_response(req, 200, NULL, 4, &s, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_request_parse_response(req, 200, "x", 1, NULL, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_request_parse_response(req, 0, "x", 1, &s, err), VPSGATE_INVALID_ARGUMENT);
    EXPECT(vpsgate_request_parse_response(req, 70000, "x", 1, &s, err), VPSGATE_INVALID_ARGUMENT);
    EXPECT(vpsgate_request_parse_response(req, 200, NULL, 0, &s, err), VPSGATE_MALFORMED_RESPONSE);
    EXPECT(vpsgate_request_parse_response(req, 200, "a:1:{s:6:\"status\";s:7:\"SUCC", 25, &s, err), VPSGATE_MALFORMED_RESPONSE);
    EXPECT(vpsgate_request_send(req, NULL, err), VPSGATE_NULL_ARGUMENT);
    EXPECT(vpsgate_request_send(req, &s, err), VPSGATE_CONNECT);
    CHECK(s == (char *)0x1);
    CHECK(vpsgate_request_header_name(req, (size_t)-1) == NULL);

    /* Garbage answers of every length up to 300: a status, never a crash. */
    char junk[300];
    for (size_t n = 0; n < sizeof junk; n++) {
        for (size_t i = 0; i < n; i++) {
            junk[i] = (char)next_byte();
        }
        char *out = NULL;
        vpsgate_error *e = NULL;
        vpsgate_status st = vpsgate_request_parse_response(req, 200, junk, n, &out, &e);
        CHECK((st == VPSGATE_OK) == (out != NULL));
        CHECK((st == VPSGATE_OK) == (e == NULL));
        vpsgate_string_free(out);
        vpsgate_error_free(e);
        out = NULL;
        e = NULL;
        st = vpsgate_decode_to_json(junk, n, (uint32_t)(n % 3), &out, &e);
        CHECK((st == VPSGATE_OK) == (out != NULL));
        vpsgate_string_free(out);
        vpsgate_error_free(e);
        vpsgate_provider *q = NULL;
        e = NULL;
        st = vpsgate_provider_new(junk, n, &q, &e);
        CHECK(st == VPSGATE_INVALID_INPUT || st == VPSGATE_OK);
        vpsgate_provider_free(q);
        vpsgate_error_free(e);
        vpsgate_request *r2 = NULL;
        st = vpsgate_provider_step_request(p, "create", junk, n, &r2, NULL);
        CHECK(st == VPSGATE_INVALID_INPUT || st == VPSGATE_OK);
        vpsgate_request_free(r2);
    }
    vpsgate_request_free(req);

    /* A deep PHP nest and a deep JSON nest: an error or a value, never a stack overflow. */
    size_t depth = 100000;
    char *deep = malloc(depth * 9);
    if (deep != NULL) {
        for (size_t i = 0; i < depth; i++) {
            memcpy(deep + i * 9, "a:1:{i:0;", 9);
        }
        char *out = NULL;
        vpsgate_status st = vpsgate_decode_to_json(deep, depth * 9, VPSGATE_SOURCE_PHP, &out, NULL);
        CHECK(st == VPSGATE_PHP_SYNTAX);
        vpsgate_string_free(out);
        memset(deep, '[', depth);
        out = NULL;
        st = vpsgate_decode_to_json(deep, depth, VPSGATE_SOURCE_JSON, &out, NULL);
        CHECK(st == VPSGATE_JSON_SYNTAX);
        vpsgate_string_free(out);
        free(deep);
    }
    vpsgate_provider_free(p);
}

int main(void) {
    nulls_everywhere();
    with_a_provider();
    return finish("hostile");
}
