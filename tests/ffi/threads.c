/*
 * threads: many threads share ONE vpsgate_provider handle against the sandbox.
 *
 *   threads BASE_URL [THREADS] [CALLS_PER_THREAD]
 *
 * Each thread runs `balance` (built-in transport), builds and parses `list` through
 * vpsgate_request_send, and decodes a PHP body, checking every result; at the end one more
 * balance call on the same handle must succeed. Prints the figures. Run under ASan (or
 * ThreadSanitizer) by scripts/test-ffi.sh.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>

#include "check.h"

struct job {
    const vpsgate_provider *p;
    int calls;
    int ok;
    int failed;
};

static void *work(void *arg) {
    struct job *job = arg;
    for (int i = 0; i < job->calls; i++) {
        char *json = NULL;
        vpsgate_error *err = NULL;
        vpsgate_status st = vpsgate_provider_step_run(job->p, "balance", NULL, 0, &json, &err);
        if (st == VPSGATE_OK && strstr(json, "\"currency\":\"USD\"") != NULL) {
            job->ok++;
        } else {
            fprintf(stderr, "balance: %u %s\n", st, vpsgate_error_message(err));
            job->failed++;
        }
        vpsgate_string_free(json);
        vpsgate_error_free(err);

        vpsgate_request *req = NULL;
        err = NULL;
        json = NULL;
        st = vpsgate_provider_step_request(job->p, "list", NULL, 0, &req, &err);
        if (st == VPSGATE_OK) {
            st = vpsgate_request_send(req, &json, &err);
        }
        if (st == VPSGATE_OK && json[0] == '[') {
            job->ok++;
        } else {
            fprintf(stderr, "list: %u %s\n", st, vpsgate_error_message(err));
            job->failed++;
        }
        vpsgate_request_free(req);
        vpsgate_string_free(json);
        vpsgate_error_free(err);

        json = NULL;
        const char *php = "a:2:{s:1:\"n\";i:42;s:1:\"s\";s:2:\"ok\";}";
        st = vpsgate_decode_to_json(php, strlen(php), VPSGATE_SOURCE_PHP, &json, NULL);
        if (st == VPSGATE_OK && strcmp(json, "{\"n\":42,\"s\":\"ok\"}") == 0) {
            job->ok++;
        } else {
            job->failed++;
        }
        vpsgate_string_free(json);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: threads BASE_URL [THREADS] [CALLS]\n");
        return 2;
    }
    int threads = argc > 2 ? atoi(argv[2]) : 16;
    int calls = argc > 3 ? atoi(argv[3]) : 25;
    if (threads < 1 || threads > 256 || calls < 1) {
        return 2;
    }
    char config[512];
    snprintf(config, sizeof config,
             "{\"provider\":\"friendhosting\",\"endpoint\":\"%s/apih.php\",\"login\":\"demo\","
             "\"api_key\":\"demo-key\",\"timeout_ms\":20000}",
             argv[1]);
    vpsgate_provider *p = NULL;
    vpsgate_error *err = NULL;
    if (vpsgate_provider_new(config, strlen(config), &p, &err) != VPSGATE_OK) {
        fprintf(stderr, "%s\n", vpsgate_error_message(err));
        vpsgate_error_free(err);
        return 1;
    }
    pthread_t tids[256];
    struct job jobs[256];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < threads; i++) {
        jobs[i] = (struct job){p, calls, 0, 0};
        if (pthread_create(&tids[i], NULL, work, &jobs[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    int ok = 0, failed = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(tids[i], NULL);
        ok += jobs[i].ok;
        failed += jobs[i].failed;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    CHECK(failed == 0);
    CHECK(ok == threads * calls * 3);
    /* The shared handle still works. */
    char *json = NULL;
    CHECK(vpsgate_provider_step_run(p, "balance", NULL, 0, &json, NULL) == VPSGATE_OK);
    CHECK_CONTAINS(json, "\"amount\":");
    vpsgate_string_free(json);
    vpsgate_provider_free(p);
    printf("threads: %d threads x %d rounds on one provider: %d calls ok, %d failed, %.2f s "
           "(%d HTTP requests, %.0f requests/s)\n",
           threads, calls, ok, failed, secs, threads * calls * 2, threads * calls * 2 / secs);
    return finish("threads");
}
