/*
 * lifecycle: a whole order lifecycle at a Friendhosting gateway through libvpsgate, twice:
 * once with the library's built-in transport, once building the requests with the library and
 * sending the bytes with libcurl. Then prints the account balance.
 *
 *   examples/c/build/lifecycle http://127.0.0.1:PORT      (a `vpsgate sandbox --port PORT`)
 *
 * Uses the sandbox's funded account demo / API key demo-key. Exit 0 when every step succeeded;
 * otherwise one line on stderr and exit 10 + the library's error number (1 for other failures).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "vpsgate.h"

/* A growable byte buffer for curl's answer. */
struct buffer {
    char *data;
    size_t len;
};

/* Bounded like the built-in transport: 16 MiB. */
#define MAX_ANSWER ((size_t)16 * 1024 * 1024)

static size_t collect(char *ptr, size_t size, size_t nmemb, void *userdata) {
    struct buffer *b = userdata;
    size_t n = size * nmemb;
    if (n > MAX_ANSWER - b->len) {
        return 0; /* makes curl fail: too large */
    }
    char *grown = realloc(b->data, b->len + n + 1);
    if (grown == NULL) {
        return 0;
    }
    b->data = grown;
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    return n;
}

/* Report a failed call, free the error, give the exit status. */
static int fail(const char *what, vpsgate_status st, vpsgate_error *err) {
    fprintf(stderr, "lifecycle: %s: %s (%s, error %u)\n", what, vpsgate_error_message(err),
            vpsgate_status_name(st), st);
    vpsgate_error_free(err);
    return (int)(10 + st);
}

/* Send `req` with libcurl; on success hand the answer to the library. */
static vpsgate_status send_with_curl(const vpsgate_request *req, char **out_json,
                                     vpsgate_error **out_err, int *curl_failed) {
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        *curl_failed = 1;
        return VPSGATE_OK;
    }
    struct curl_slist *headers = NULL;
    for (size_t i = 0; i < vpsgate_request_header_count(req); i++) {
        const char *name = vpsgate_request_header_name(req, i);
        const char *value = vpsgate_request_header_value(req, i);
        size_t n = strlen(name) + strlen(value) + 3;
        char *line = malloc(n);
        if (line == NULL) {
            continue;
        }
        snprintf(line, n, "%s: %s", name, value);
        headers = curl_slist_append(headers, line);
        free(line);
    }
    struct buffer answer = {NULL, 0};
    curl_easy_setopt(curl, CURLOPT_URL, vpsgate_request_url(req));
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, vpsgate_request_method(req));
    if (strcmp(vpsgate_request_method(req), "POST") == 0) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, (const char *)vpsgate_request_body(req));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)vpsgate_request_body_len(req));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    vpsgate_status st = VPSGATE_OK;
    if (rc != CURLE_OK) {
        fprintf(stderr, "lifecycle: curl: %s\n", curl_easy_strerror(rc));
        *curl_failed = 1;
    } else {
        st = vpsgate_request_parse_response(req, (uint32_t)status, answer.data, answer.len,
                                            out_json, out_err);
    }
    free(answer.data);
    return st;
}

/* One lifecycle step, through the built-in transport (`use_curl` 0) or libcurl (1). */
static int step(const vpsgate_provider *p, int use_curl, const char *name, const char *args,
                char **out_json) {
    vpsgate_error *err = NULL;
    vpsgate_status st;
    size_t args_len = args == NULL ? 0 : strlen(args);
    if (!use_curl) {
        st = vpsgate_provider_step_run(p, name, args, args_len, out_json, &err);
        return st == VPSGATE_OK ? 0 : fail(name, st, err);
    }
    vpsgate_request *req = NULL;
    st = vpsgate_provider_step_request(p, name, args, args_len, &req, &err);
    if (st != VPSGATE_OK) {
        return fail(name, st, err);
    }
    int curl_failed = 0;
    st = send_with_curl(req, out_json, &err, &curl_failed);
    vpsgate_request_free(req);
    if (curl_failed) {
        return 1;
    }
    return st == VPSGATE_OK ? 0 : fail(name, st, err);
}

/* The value of the first "id":"..." in a Created result (ids are digits). */
static int service_id(const char *json, char *out, size_t cap) {
    const char *at = strstr(json, "\"id\":\"");
    if (at == NULL) {
        return -1;
    }
    at += 6;
    size_t n = strcspn(at, "\"");
    if (n == 0 || n >= cap) {
        return -1;
    }
    memcpy(out, at, n);
    out[n] = '\0';
    return 0;
}

static int lifecycle(const vpsgate_provider *p, int use_curl) {
    const char *how = use_curl ? "curl" : "native";
    char *json = NULL;
    int rc;

    /* The tariffs: an upstream command (getTarifs), not a lifecycle step. */
    if (!use_curl) {
        vpsgate_error *err = NULL;
        const char *args = "{\"vid\":\"vds\"}";
        vpsgate_status st = vpsgate_provider_command_run(p, "getTarifs", args,
                                                         strlen(args), &json, &err);
        if (st != VPSGATE_OK) {
            return fail("getTarifs", st, err);
        }
    } else {
        vpsgate_error *err = NULL;
        vpsgate_request *req = NULL;
        const char *args = "{\"vid\":\"vds\"}";
        vpsgate_status st = vpsgate_provider_command_request(p, "getTarifs", args,
                                                             strlen(args), &req, &err);
        if (st != VPSGATE_OK) {
            return fail("getTarifs", st, err);
        }
        int curl_failed = 0;
        st = send_with_curl(req, &json, &err, &curl_failed);
        vpsgate_request_free(req);
        if (curl_failed) {
            return 1;
        }
        if (st != VPSGATE_OK) {
            return fail("getTarifs", st, err);
        }
    }
    printf("[%s] tariffs: %s\n", how, json);
    vpsgate_string_free(json);

    if ((rc = step(p, use_curl, "create", "{\"plan\":\"201\",\"months\":1,\"kind\":\"vds\"}",
                   &json)) != 0) {
        return rc;
    }
    printf("[%s] create: %s\n", how, json);
    char id[64];
    int bad = service_id(json, id, sizeof id);
    vpsgate_string_free(json);
    if (bad) {
        fprintf(stderr, "lifecycle: create gave no service id\n");
        return 1;
    }

    char args[128];
    const char *names[3] = {"suspend", "unsuspend", "renew"};
    for (int i = 0; i < 3; i++) {
        if (i < 2) {
            snprintf(args, sizeof args, "{\"id\":\"%s\"}", id);
        } else {
            snprintf(args, sizeof args, "{\"id\":\"%s\",\"months\":1}", id);
        }
        if ((rc = step(p, use_curl, names[i], args, &json)) != 0) {
            return rc;
        }
        printf("[%s] %s %s: %s\n", how, names[i], id, json);
        vpsgate_string_free(json);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: lifecycle BASE_URL   (e.g. http://127.0.0.1:8080)\n");
        return 2;
    }
    char config[512];
    int n = snprintf(config, sizeof config,
                     "{\"provider\":\"friendhosting\",\"endpoint\":\"%s/apih.php\","
                     "\"login\":\"demo\",\"api_key\":\"demo-key\",\"format\":\"json\","
                     "\"timeout_ms\":10000,\"connect_timeout_ms\":2000}",
                     argv[1]);
    if (n < 0 || (size_t)n >= sizeof config) {
        fprintf(stderr, "lifecycle: base URL too long\n");
        return 2;
    }
    printf("libvpsgate %s\n", vpsgate_version());
    vpsgate_provider *p = NULL;
    vpsgate_error *err = NULL;
    vpsgate_status st = vpsgate_provider_new(config, strlen(config), &p, &err);
    if (st != VPSGATE_OK) {
        return fail("configuration", st, err);
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        vpsgate_provider_free(p);
        return 1;
    }
    int rc = lifecycle(p, 0);
    if (rc == 0) {
        rc = lifecycle(p, 1);
    }
    if (rc == 0) {
        char *json = NULL;
        rc = step(p, 0, "balance", NULL, &json);
        if (rc == 0) {
            printf("balance: %s\n", json);
            vpsgate_string_free(json);
        }
    }
    vpsgate_provider_free(p);
    curl_global_cleanup();
    return rc;
}
