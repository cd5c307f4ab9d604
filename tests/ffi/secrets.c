/*
 * secrets: a known password, API key and md5 secret never appear in the C library's error
 * strings (vpsgate_error_message, vpsgate_error_json), whatever fails: a bad configuration,
 * an unsupported or insecure URL, a refused connection for every command and step (GET puts the
 * credentials in the URL), upstream refusals and unreadable answers. Nor does a server password
 * carried by an unreadable answer appear in the message. No network beyond 127.0.0.1.
 * Built with -Wall -Wextra -Werror -pedantic and run under AddressSanitizer by scripts/test-ffi.sh.
 */
#include "check.h"

#define PASSWORD "Pa55-w0rd-91"
#define API_KEY "Ap1-k3y-92"
#define SECRET "Md5-s3cret-93"
#define SERVER_PW "S3rver-pw-94"

static int checked = 0;

/* The error's message and JSON hold none of the account secrets; the message no server
 * password either. Frees the error. */
static void check_clean(vpsgate_error *err, const char *what) {
    const char *message = vpsgate_error_message(err);
    const char *json = vpsgate_error_json(err);
    const char *secrets[] = {PASSWORD, API_KEY, SECRET};
    CHECK(err != NULL);
    if (err == NULL) {
        return;
    }
    CHECK(message != NULL && message[0] != '\0');
    for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++) {
        if (strstr(message, secrets[i]) != NULL || strstr(json, secrets[i]) != NULL) {
            fprintf(stderr, "%s: a secret in %s / %s\n", what, message, json);
            failures++;
        }
    }
    if (strstr(message, SERVER_PW) != NULL) {
        fprintf(stderr, "%s: the server password in %s\n", what, message);
        failures++;
    }
    checked++;
    vpsgate_error_free(err);
}

static vpsgate_provider *provider(const char *config) {
    vpsgate_provider *p = NULL;
    vpsgate_error *err = NULL;
    if (vpsgate_provider_new(config, strlen(config), &p, &err) != VPSGATE_OK) {
        fprintf(stderr, "provider_new: %s\n", vpsgate_error_message(err));
        vpsgate_error_free(err);
        exit(1);
    }
    return p;
}

static void test_config_errors(void) {
    const char *bad[] = {
        "{\"provider\":\"friendhosting\",\"login\":\"x\",\"password\":\"" PASSWORD
        "\",\"api_key\":\"" API_KEY "\"}",
        "{\"provider\":\"friendhosting\",\"login\":\"x\",\"api_key\":\"" API_KEY
        "\",\"secret\":\"" SECRET "\"}",
        "{\"provider\":\"govpsfx\",\"partner_code\":\"1\",\"secret\":\"" SECRET
        "\",\"login\":\"x\"}",
        "{\"provider\":\"govpsfx\",\"partner_code\":\"1\",\"secret\":\"" SECRET
        "\",\"retry_attempts\":11}",
        "{\"provider\":\"govpsfx\",\"partner_code\":\"1\",\"secret\":[\"" SECRET "\"]}",
        "{\"provider\":\"friendhosting\",\"login\":\"x\",\"password\":\"" PASSWORD
        "\",\"passwrod\":\"" API_KEY "\"}",
        "{\"provider\":\"friendhosting\",\"login\":\"x\",\"password\":\"" PASSWORD "\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vpsgate_provider *p = NULL;
        vpsgate_error *err = NULL;
        CHECK(vpsgate_provider_new(bad[i], strlen(bad[i]), &p, &err) == VPSGATE_INVALID_INPUT);
        CHECK(p == NULL);
        check_clean(err, bad[i]);
    }
}

static const char *COMMANDS[][2] = {
    {"getBalance", "{}"},
    {"getTarifs", "{\"vid\":\"vds\"}"},
    {"getOrders", "{}"},
    {"createOrder", "{\"tarifid\":\"201\",\"period\":1,\"vid\":\"vds\"}"},
    {"renewOrder", "{\"orderid\":\"1\",\"period\":1}"},
    {"suspendOrder", "{\"orderid\":\"1\"}"},
    {"unSuspendOrder", "{\"orderid\":\"1\"}"},
    {"restartOrder", "{\"orderid\":\"1\"}"},
    {"reinstallOrder", "{\"orderid\":\"1\"}"},
};

static const char *GV_COMMANDS[][2] = {
    {"lease", "{\"rate\":\"singapore\",\"term\":1,\"client_id\":\"C1\"}"},
    {"extend", "{\"term\":1,\"client_id\":\"C1\"}"},
    {"recall", "{\"server_id\":\"ID1\"}"},
};

static const char *STEPS[][2] = {
    {"balance", "{}"},
    {"list", "{}"},
    {"info", "{\"id\":\"1\"}"},
    {"create", "{\"plan\":\"201\",\"months\":1,\"client_id\":\"C1\"}"},
    {"renew", "{\"id\":\"1\",\"months\":1,\"client_id\":\"C1\"}"},
    {"suspend", "{\"id\":\"1\"}"},
    {"terminate", "{\"id\":\"1\"}"},
};

/* Every command and step of `config` through the built-in transport; every one must fail. */
static void run_all(const char *config, const char *(*commands)[2], size_t n) {
    vpsgate_provider *p = provider(config);
    for (size_t i = 0; i < n; i++) {
        char *json = NULL;
        vpsgate_error *err = NULL;
        vpsgate_status st = vpsgate_provider_command_run(p, commands[i][0], commands[i][1],
                                                         strlen(commands[i][1]), &json, &err);
        CHECK(st != VPSGATE_OK && json == NULL);
        check_clean(err, commands[i][0]);
    }
    for (size_t i = 0; i < sizeof STEPS / sizeof *STEPS; i++) {
        char *json = NULL;
        vpsgate_error *err = NULL;
        vpsgate_status st = vpsgate_provider_step_run(p, STEPS[i][0], STEPS[i][1],
                                                      strlen(STEPS[i][1]), &json, &err);
        CHECK(st != VPSGATE_OK && json == NULL);
        check_clean(err, STEPS[i][0]);
    }
    vpsgate_provider_free(p);
}

#define FH(endpoint, cred, extra)                                                          \
    "{\"provider\":\"friendhosting\",\"endpoint\":\"" endpoint "\",\"login\":\"demo\"," cred \
    ",\"timeout_ms\":2000" extra "}"
#define GV(endpoint) \
    "{\"provider\":\"govpsfx\",\"endpoint\":\"" endpoint "\",\"partner_code\":\"14321\",\"secret\":\"" SECRET "\",\"timeout_ms\":2000}"

static void test_transport_errors(void) {
    const size_t nf = sizeof COMMANDS / sizeof *COMMANDS;
    const size_t ng = sizeof GV_COMMANDS / sizeof *GV_COMMANDS;
    /* Port 1 on loopback: nothing listens. */
    run_all(FH("http://127.0.0.1:1/apih.php", "\"api_key\":\"" API_KEY "\"", ""), COMMANDS, nf);
    run_all(FH("http://127.0.0.1:1/apih.php", "\"password\":\"" PASSWORD "\"", ",\"method\":\"get\""),
            COMMANDS, nf);
    run_all(FH("https://127.0.0.1:1/apih.php", "\"api_key\":\"" API_KEY "\"", ",\"method\":\"get\""),
            COMMANDS, nf);
    run_all(GV("http://127.0.0.1:1"), GV_COMMANDS, ng);
    /* Refused before connecting: plain http off loopback, and a scheme no transport has. */
    run_all(FH("http://192.0.2.1/apih.php", "\"password\":\"" PASSWORD "\"", ",\"method\":\"get\""),
            COMMANDS, nf);
    run_all(FH("ftp://127.0.0.1:1/apih.php", "\"api_key\":\"" API_KEY "\"", ""), COMMANDS, nf);
    run_all(GV("ftp://127.0.0.1:1"), GV_COMMANDS, ng);
}

/* Answers a host's own HTTP client received, read by the library. */
static void test_answer_errors(void) {
    struct {
        const char *config, *command, *args;
        int status;
        const char *body;
    } cases[] = {
        {FH("http://127.0.0.1:1/apih.php", "\"api_key\":\"" API_KEY "\"", ""), "getBalance", "{}",
         200, "{\"status\":\"ERROR\",\"errorCode\":7,\"errorMsg\":\"Authorization failed\"}"},
        {FH("http://127.0.0.1:1/apih.php", "\"api_key\":\"" API_KEY "\"", ""), "createOrder",
         "{\"tarifid\":\"201\",\"period\":1}", 200,
         "{\"status\":\"SUCCESS\",\"orderid\":\"7\",\"serverpassword\":\"" SERVER_PW "\",\"co"},
        {FH("http://127.0.0.1:1/apih.php", "\"password\":\"" PASSWORD "\"", ""), "createOrder",
         "{\"tarifid\":\"201\",\"period\":1}", 502, "<html>Bad gateway " SERVER_PW "</html>"},
        {GV("http://127.0.0.1:1"), "lease", "{\"rate\":\"singapore\",\"term\":1,\"client_id\":\"C1\"}",
         403, "bad hash"},
        {GV("http://127.0.0.1:1"), "lease", "{\"rate\":\"singapore\",\"term\":1,\"client_id\":\"C1\"}",
         200,
         "{\"server_id\":\"ID1\",\"ip\":\"203.0.113.1\",\"port\":22,\"login\":\"root\",\"password\":\"" SERVER_PW
         "\",\"created_at\":\"yesterday\",\"end_at\":\"01.02.2026\",\"rate\":\"singapore\",\"client_id\":\"C1\"}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        vpsgate_provider *p = provider(cases[i].config);
        vpsgate_request *req = NULL;
        vpsgate_error *err = NULL;
        CHECK(vpsgate_provider_command_request(p, cases[i].command, cases[i].args,
                                               strlen(cases[i].args), &req, &err) == VPSGATE_OK);
        char *json = NULL;
        vpsgate_status st = vpsgate_request_parse_response(
            req, (uint32_t)cases[i].status, cases[i].body, strlen(cases[i].body), &json, &err);
        CHECK(st != VPSGATE_OK && json == NULL);
        check_clean(err, cases[i].body);
        vpsgate_request_free(req);
        vpsgate_provider_free(p);
    }
}

int main(void) {
    test_config_errors();
    test_transport_errors();
    test_answer_errors();
    /* 7 configurations; 7 providers x (commands + 7 steps); 5 answers. */
    CHECK(checked == 7 + 5 * (9 + 7) + 2 * (3 + 7) + 5);
    return finish("secrets");
}
