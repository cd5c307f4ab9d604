/*
 * api: every export of libvpsgate against known answers, with no network: exact request bytes,
 * canned answers, error numbers, upstream codes and the error JSON, the panic boundary.
 * Built with -Wall -Wextra -Werror -pedantic and run under AddressSanitizer by scripts/test-ffi.sh.
 */
#include "check.h"

static const char *FH_CONFIG =
    "{\"provider\":\"friendhosting\",\"endpoint\":\"http://127.0.0.1:9/apih.php\","
    "\"login\":\"demo\",\"api_key\":\"k3y\",\"format\":\"json\"}";
static const char *FX_CONFIG =
    "{\"provider\":\"govpsfx\",\"endpoint\":\"http://127.0.0.1:9\","
    "\"partner_code\":\"14321\",\"secret\":\"sdsd4223dsd\"}";

static vpsgate_provider *provider(const char *config) {
    vpsgate_provider *p = NULL;
    vpsgate_error *err = NULL;
    vpsgate_status st = vpsgate_provider_new(config, strlen(config), &p, &err);
    if (st != VPSGATE_OK) {
        fprintf(stderr, "provider_new: %s\n", vpsgate_error_message(err));
        vpsgate_error_free(err);
        exit(1);
    }
    return p;
}

/* The body of `req` as a NUL-terminated copy (freed by the caller). */
static char *body_of(const vpsgate_request *req) {
    size_t n = vpsgate_request_body_len(req);
    char *s = malloc(n + 1);
    if (s == NULL) {
        exit(1);
    }
    if (n) {
        memcpy(s, vpsgate_request_body(req), n);
    }
    s[n] = '\0';
    return s;
}

static void test_version_and_names(void) {
    CHECK_STR(vpsgate_version(), "0.1.0");
    CHECK_STR(vpsgate_status_name(VPSGATE_OK), "ok");
    CHECK_STR(vpsgate_status_name(7), "gateway");
    CHECK_STR(vpsgate_status_name(19), "transport");
    CHECK_STR(vpsgate_status_name(VPSGATE_PANIC), "panic");
    CHECK_STR(vpsgate_status_name(101), "null_argument");
    CHECK_STR(vpsgate_status_name(102), "invalid_utf8");
    CHECK_STR(vpsgate_status_name(103), "invalid_argument");
    CHECK_STR(vpsgate_status_name(20), "unknown");
    CHECK_STR(vpsgate_status_name(99), "unknown");
    /* The numbers of docs/CONTRACT.md. */
    CHECK(VPSGATE_INVALID_INPUT == 1 && VPSGATE_PHP_SYNTAX == 2 && VPSGATE_JSON_SYNTAX == 3);
    CHECK(VPSGATE_GATEWAY == 7 && VPSGATE_REFUSED == 9 && VPSGATE_UNSUPPORTED == 14);
    CHECK(VPSGATE_TIMEOUT == 15 && VPSGATE_CONNECT == 16 && VPSGATE_TRANSPORT == 19);
}

static void test_decode(void) {
    char *json = NULL;
    vpsgate_error *err = NULL;
    const char *php = "a:2:{i:0;s:1:\"a\";i:1;d:0.1;}";
    CHECK(vpsgate_decode_to_json(php, strlen(php), VPSGATE_SOURCE_AUTO, &json, &err) == VPSGATE_OK);
    CHECK_STR(json, "[\"a\",0.1]");
    vpsgate_string_free(json);
    json = NULL;

    const char *obj = "a:1:{s:4:\"k\xc3\xa9y\";b:1;}";
    CHECK(vpsgate_decode_to_json(obj, strlen(obj), VPSGATE_SOURCE_PHP, &json, NULL) == VPSGATE_OK);
    CHECK_STR(json, "{\"k\xc3\xa9y\":true}");
    vpsgate_string_free(json);
    json = NULL;

    const char *js = " { \"b\" : [1, 2.50] }\n";
    CHECK(vpsgate_decode_to_json(js, strlen(js), VPSGATE_SOURCE_JSON, &json, NULL) == VPSGATE_OK);
    CHECK_STR(json, "{\"b\":[1,2.50]}");
    vpsgate_string_free(json);
    json = NULL;

    /* Malformed: the PHP error names the byte; the output is not written. */
    const char *bad = "a:2:{i:0;s:5:\"a\";}";
    CHECK(vpsgate_decode_to_json(bad, strlen(bad), VPSGATE_SOURCE_PHP, &json, &err) == VPSGATE_PHP_SYNTAX);
    CHECK(json == NULL);
    CHECK(vpsgate_error_code(err) == VPSGATE_PHP_SYNTAX);
    CHECK_STR(vpsgate_error_name(err), "php_syntax");
    CHECK_CONTAINS(vpsgate_error_message(err), "byte");
    CHECK_CONTAINS(vpsgate_error_json(err), "\"code\":2,");
    CHECK_CONTAINS(vpsgate_error_json(err), "\"name\":\"php_syntax\"");
    CHECK(vpsgate_error_has_upstream_code(err) == 0);
    vpsgate_error_free(err);
    err = NULL;

    const char *badjson = "{\"a\":1,\n \"b\":}";
    CHECK(vpsgate_decode_to_json(badjson, strlen(badjson), VPSGATE_SOURCE_JSON, &json, &err) == VPSGATE_JSON_SYNTAX);
    CHECK_CONTAINS(vpsgate_error_json(err), "\"offset\":13");
    vpsgate_error_free(err);
    err = NULL;

    CHECK(vpsgate_decode_to_json(php, strlen(php), 3, &json, &err) == VPSGATE_INVALID_ARGUMENT);
    CHECK_CONTAINS(vpsgate_error_json(err), "\"field\":\"source\"");
    CHECK_CONTAINS(vpsgate_error_json(err), "\"code\":103");
    vpsgate_error_free(err);
}

static void test_sign(void) {
    char *hash = NULL;
    CHECK(vpsgate_govpsfx_sign("sdsd4223dsd", "singapore", "1", NULL, "14321", &hash, NULL) == VPSGATE_OK);
    CHECK_STR(hash, "8cfff6fb2b39a4f0c9d6d7413e9439f6");
    vpsgate_string_free(hash);
    hash = NULL;
    /* A different field set signs differently. */
    CHECK(vpsgate_govpsfx_sign("sdsd4223dsd", NULL, NULL, "S1", "14321", &hash, NULL) == VPSGATE_OK);
    CHECK(hash != NULL && strlen(hash) == 32 && strcmp(hash, "8cfff6fb2b39a4f0c9d6d7413e9439f6") != 0);
    vpsgate_string_free(hash);
}

static void test_config_errors(void) {
    struct {
        const char *json;
        const char *field;
    } cases[] = {
        {"{\"login\":\"x\"}", "\"field\":\"provider\""},
        {"{\"provider\":\"aws\"}", "\"field\":\"provider\""},
        {"{\"provider\":\"friendhosting\",\"password\":\"hunter2\"}", "\"field\":\"login\""},
        {"{\"provider\":\"govpsfx\",\"partner_code\":\"1\",\"secret\":\"hunter2\",\"login\":\"x\"}", "\"field\":\"login\""},
        {"{\"provider\":\"govpsfx\",\"partnercode\":\"1\"}", "\"field\":\"config\""},
        {"{\"provider\":", "\"field\":\"config\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vpsgate_provider *p = NULL;
        vpsgate_error *err = NULL;
        CHECK(vpsgate_provider_new(cases[i].json, strlen(cases[i].json), &p, &err) == VPSGATE_INVALID_INPUT);
        CHECK(p == NULL);
        CHECK_CONTAINS(vpsgate_error_json(err), cases[i].field);
        CHECK(strstr(vpsgate_error_json(err), "hunter2") == NULL);
        CHECK(strstr(vpsgate_error_message(err), "hunter2") == NULL);
        vpsgate_error_free(err);
    }
}

static void test_friendhosting_requests(void) {
    vpsgate_provider *p = provider(FH_CONFIG);
    CHECK_STR(vpsgate_provider_name(p), "friendhosting");
    vpsgate_request *req = NULL;
    vpsgate_error *err = NULL;

    CHECK(vpsgate_provider_step_request(p, "balance", NULL, 0, &req, &err) == VPSGATE_OK);
    CHECK_STR(vpsgate_request_method(req), "POST");
    CHECK_STR(vpsgate_request_url(req), "http://127.0.0.1:9/apih.php");
    char *body = body_of(req);
    CHECK_STR(body, "command=getBalance&login=demo&apikey=k3y&json=1");
    free(body);
    CHECK_STR(vpsgate_request_operation(req), "balance");
    CHECK(vpsgate_request_moves_money(req) == 0);
    CHECK(vpsgate_request_read_only(req) == 1);
    int saw_type = 0;
    for (size_t i = 0; i < vpsgate_request_header_count(req); i++) {
        if (strcmp(vpsgate_request_header_name(req, i), "content-type") == 0) {
            CHECK_STR(vpsgate_request_header_value(req, i), "application/x-www-form-urlencoded");
            saw_type = 1;
        }
    }
    CHECK(saw_type);
    CHECK(vpsgate_request_header_name(req, 99) == NULL);

    /* A canned PHP-format answer through the parser. */
    const char *answer = "a:3:{s:6:\"status\";s:7:\"SUCCESS\";s:7:\"balance\";s:5:\"12.50\";s:8:\"currency\";s:3:\"EUR\";}";
    char *json = NULL;
    CHECK(vpsgate_request_parse_response(req, 200, answer, strlen(answer), &json, &err) == VPSGATE_OK);
    CHECK_STR(json, "{\"amount\":\"12.50\",\"currency\":\"EUR\"}");
    vpsgate_string_free(json);
    json = NULL;

    /* A gateway error: status 7, the gateway's own code 22 as the upstream code. */
    const char *refused = "{\"status\":\"ERROR\",\"errorCode\":22,\"errorMsg\":\"Insufficient funds\"}";
    CHECK(vpsgate_request_parse_response(req, 200, refused, strlen(refused), &json, &err) == VPSGATE_GATEWAY);
    CHECK(json == NULL);
    CHECK(vpsgate_error_has_upstream_code(err) == 1);
    CHECK(vpsgate_error_upstream_code(err) == 22);
    CHECK_CONTAINS(vpsgate_error_json(err), "\"upstream_code\":22");
    CHECK(vpsgate_error_outcome_unknown(err) == 0);
    vpsgate_error_free(err);
    err = NULL;

    CHECK(vpsgate_request_parse_response(req, 1000, answer, strlen(answer), &json, &err) == VPSGATE_INVALID_ARGUMENT);
    vpsgate_error_free(err);
    err = NULL;
    vpsgate_request_free(req);
    req = NULL;

    /* create moves money: an unreadable answer leaves its outcome unknown. */
    const char *create = "{\"plan\":\"201\",\"months\":3,\"kind\":\"vds\",\"addons\":[\"11\"]}";
    CHECK(vpsgate_provider_step_request(p, "create", create, strlen(create), &req, &err) == VPSGATE_OK);
    body = body_of(req);
    CHECK_STR(body, "command=createOrder&login=demo&apikey=k3y&vid=vds&tarifid=201&period=3&addons=11&json=1");
    free(body);
    CHECK(vpsgate_request_moves_money(req) == 1);
    CHECK(vpsgate_request_read_only(req) == 0);
    const char *html = "<html>502 Bad Gateway</html>";
    CHECK(vpsgate_request_parse_response(req, 200, html, strlen(html), &json, &err) == VPSGATE_MALFORMED_RESPONSE);
    CHECK(vpsgate_error_outcome_unknown(err) == 1);
    CHECK_CONTAINS(vpsgate_error_json(err), "\"raw_body\":\"<html>502 Bad Gateway</html>\"");
    vpsgate_error_free(err);
    err = NULL;
    vpsgate_request_free(req);
    req = NULL;

    /* The command form: createOrder with its own argument names. */
    const char *order = "{\"tarifid\":\"201\",\"period\":1,\"vid\":\"vds\",\"domain\":\"x.example\"}";
    CHECK(vpsgate_provider_command_request(p, "createOrder", order, strlen(order), &req, &err) == VPSGATE_OK);
    body = body_of(req);
    CHECK_STR(body, "command=createOrder&login=demo&apikey=k3y&vid=vds&tarifid=201&period=1&domain=x.example&json=1");
    free(body);
    CHECK_STR(vpsgate_request_operation(req), "createOrder");
    const char *placed = "{\"status\":\"SUCCESS\",\"orderid\":100001,\"cost\":\"4.99\"}";
    CHECK(vpsgate_request_parse_response(req, 200, placed, strlen(placed), &json, &err) == VPSGATE_OK);
    CHECK_CONTAINS(json, "\"command\":\"createOrder\"");
    CHECK_CONTAINS(json, "\"warning\":null");
    CHECK_CONTAINS(json, "\"orderid\":\"100001\"");
    vpsgate_string_free(json);
    json = NULL;
    vpsgate_request_free(req);
    req = NULL;

    /* Friendhosting has no terminate; GoVPSFX commands are not Friendhosting's. */
    const char *id = "{\"id\":\"1\"}";
    CHECK(vpsgate_provider_step_request(p, "terminate", id, strlen(id), &req, &err) == VPSGATE_UNSUPPORTED);
    CHECK(req == NULL);
    vpsgate_error_free(err);
    err = NULL;
    const char *recall = "{\"server_id\":\"S1\"}";
    CHECK(vpsgate_provider_command_request(p, "recall", recall, strlen(recall), &req, &err) == VPSGATE_UNSUPPORTED);
    CHECK_CONTAINS(vpsgate_error_message(err), "friendhosting does not support recall");
    vpsgate_error_free(err);
    err = NULL;
    /* Unknown names and arguments are invalid input naming the field. */
    CHECK(vpsgate_provider_step_request(p, "explode", NULL, 0, &req, &err) == VPSGATE_INVALID_INPUT);
    CHECK_CONTAINS(vpsgate_error_json(err), "\"field\":\"step\"");
    vpsgate_error_free(err);
    err = NULL;
    CHECK(vpsgate_provider_command_request(p, "powerOff", NULL, 0, &req, &err) == VPSGATE_INVALID_INPUT);
    CHECK_CONTAINS(vpsgate_error_json(err), "\"field\":\"command\"");
    vpsgate_error_free(err);
    err = NULL;
    const char *typo = "{\"idd\":\"1\"}";
    CHECK(vpsgate_provider_step_request(p, "suspend", typo, strlen(typo), &req, &err) == VPSGATE_INVALID_INPUT);
    CHECK_CONTAINS(vpsgate_error_message(err), "unknown field `idd`");
    vpsgate_error_free(err);
    err = NULL;
    CHECK(vpsgate_provider_command_request(p, "suspendOrder", typo, strlen(typo), &req, &err) == VPSGATE_INVALID_INPUT);
    CHECK_CONTAINS(vpsgate_error_json(err), "\"field\":\"args\"");
    vpsgate_error_free(err);
    err = NULL;
    /* A callback is GoVPSFX's. */
    char *out = NULL;
    CHECK(vpsgate_provider_verify_callback(p, NULL, "{}", 2, &out, &err) == VPSGATE_UNSUPPORTED);
    vpsgate_error_free(err);

    vpsgate_provider_free(p);
}

static void test_govpsfx(void) {
    vpsgate_provider *p = provider(FX_CONFIG);
    CHECK_STR(vpsgate_provider_name(p), "govpsfx");
    vpsgate_request *req = NULL;
    vpsgate_error *err = NULL;
    char *json = NULL;

    const char *lease = "{\"rate\":\"singapore\",\"term\":1,\"client_id\":\"ID16773\"}";
    CHECK(vpsgate_provider_command_request(p, "lease", lease, strlen(lease), &req, &err) == VPSGATE_OK);
    CHECK_STR(vpsgate_request_url(req), "http://127.0.0.1:9/server/server/get");
    char *body = body_of(req);
    CHECK_STR(body, "rate=singapore&term=1&partner_code=14321&client_id=ID16773&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6");
    free(body);
    CHECK(vpsgate_request_moves_money(req) == 1);
    CHECK(vpsgate_request_read_only(req) == 0);
    CHECK(vpsgate_request_parse_response(req, 202, "order created", 13, &json, &err) == VPSGATE_OK);
    CHECK_STR(json, "{\"message\":\"order created\",\"status\":\"pending\"}");
    vpsgate_string_free(json);
    json = NULL;
    CHECK(vpsgate_request_parse_response(req, 403, "bad hash", 8, &json, &err) == VPSGATE_REFUSED);
    CHECK(vpsgate_error_upstream_code(err) == 403);
    vpsgate_error_free(err);
    err = NULL;
    CHECK(vpsgate_request_parse_response(req, 500, "oops", 4, &json, &err) == VPSGATE_PROVIDER_ERROR);
    CHECK(vpsgate_error_upstream_code(err) == 500);
    vpsgate_error_free(err);
    err = NULL;
    /* A lease answered 200 with an unreadable body may have been executed. */
    CHECK(vpsgate_request_parse_response(req, 200, "{\"ip\":", 6, &json, &err) == VPSGATE_MALFORMED_RESPONSE);
    CHECK(vpsgate_error_outcome_unknown(err) == 1);
    CHECK_CONTAINS(vpsgate_error_json(err), "\"outcome_unknown\":true");
    vpsgate_error_free(err);
    err = NULL;
    vpsgate_request_free(req);
    req = NULL;

    /* A lease term GoVPSFX does not offer names `term`. */
    const char *bad_term = "{\"rate\":\"singapore\",\"term\":2,\"client_id\":\"ID1\"}";
    CHECK(vpsgate_provider_command_request(p, "lease", bad_term, strlen(bad_term), &req, &err) == VPSGATE_INVALID_INPUT);
    CHECK_CONTAINS(vpsgate_error_json(err), "\"field\":\"term\"");
    vpsgate_error_free(err);
    err = NULL;

    const char *extend = "{\"term\":3,\"client_id\":\"ID16773\"}";
    CHECK(vpsgate_provider_command_request(p, "extend", extend, strlen(extend), &req, &err) == VPSGATE_OK);
    const char *end = "{\"end_at\":\"30.12.2026\"}";
    CHECK(vpsgate_request_parse_response(req, 200, end, strlen(end), &json, &err) == VPSGATE_OK);
    CHECK_STR(json, "{\"end_at\":\"2026-12-30\"}");
    vpsgate_string_free(json);
    json = NULL;
    vpsgate_request_free(req);
    req = NULL;

    /* Suspend is not a GoVPSFX step: nothing to send. */
    const char *id = "{\"id\":\"S1\"}";
    CHECK(vpsgate_provider_step_request(p, "suspend", id, strlen(id), &req, &err) == VPSGATE_UNSUPPORTED);
    CHECK_STR(vpsgate_error_name(err), "unsupported");
    vpsgate_error_free(err);
    err = NULL;
    CHECK(vpsgate_provider_command_request(p, "getBalance", NULL, 0, &req, &err) == VPSGATE_UNSUPPORTED);
    vpsgate_error_free(err);
    err = NULL;

    /* A deferred delivery signed over rate, server_id and partner_code. */
    char *hash = NULL;
    CHECK(vpsgate_govpsfx_sign("sdsd4223dsd", "singapore", NULL, "S77", "14321", &hash, NULL) == VPSGATE_OK);
    char delivery[512];
    snprintf(delivery, sizeof delivery,
             "ip=203.0.113.7&port=22&login=root&password=pw1&created_at=01.12.2026&end_at=01.01.2027"
             "&rate=singapore&client_id=ID16773&server_id=S77&partner_code=14321&hash=%s",
             hash);
    vpsgate_string_free(hash);
    CHECK(vpsgate_provider_verify_callback(p, "application/x-www-form-urlencoded", delivery, strlen(delivery), &json, &err) == VPSGATE_OK);
    CHECK_CONTAINS(json, "\"server_id\":\"S77\"");
    CHECK_CONTAINS(json, "\"password\":\"pw1\"");
    CHECK_CONTAINS(json, "\"end_at\":\"2027-01-01\"");
    vpsgate_string_free(json);
    json = NULL;
    /* Tampered: the hash no longer matches. */
    char *at = strstr(delivery, "S77");
    at[2] = '8';
    CHECK(vpsgate_provider_verify_callback(p, NULL, delivery, strlen(delivery), &json, &err) == VPSGATE_BAD_SIGNATURE);
    CHECK(json == NULL);
    vpsgate_error_free(err);
    err = NULL;

    vpsgate_provider_free(p);
}

static void test_panic_boundary(void) {
    vpsgate_error *err = NULL;
    CHECK(vpsgate_test_panic(&err) == VPSGATE_PANIC);
    CHECK(vpsgate_error_code(err) == VPSGATE_PANIC);
    CHECK_STR(vpsgate_error_name(err), "panic");
    CHECK_CONTAINS(vpsgate_error_message(err), "vpsgate_test_panic");
    CHECK_CONTAINS(vpsgate_error_message(err), "deliberate panic");
    CHECK_CONTAINS(vpsgate_error_json(err), "\"code\":100");
    vpsgate_error_free(err);
    /* Without an error handle, and again: the library lives on. */
    CHECK(vpsgate_test_panic(NULL) == VPSGATE_PANIC);
    char *json = NULL;
    CHECK(vpsgate_decode_to_json("i:5;", 4, VPSGATE_SOURCE_AUTO, &json, NULL) == VPSGATE_OK);
    CHECK_STR(json, "5");
    vpsgate_string_free(json);
}

int main(void) {
    test_version_and_names();
    test_decode();
    test_sign();
    test_config_errors();
    test_friendhosting_requests();
    test_govpsfx();
    test_panic_boundary();
    return finish("api");
}
