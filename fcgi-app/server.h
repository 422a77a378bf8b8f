/* Accepting threads: each takes FastCGI requests in FCGX_Accept_r and runs
 * them (server.c). */
#ifndef WEB_SERVER_H
#define WEB_SERVER_H

#include "web.h"

/* The thread function; arg is the thread's struct wthread. */
void *server_thread(void *arg);
/* Runs one request read from envp and body on thread t and writes the
 * serialized response to out (tests use this without FastCGI). The request
 * is in arena a. */
void server_handle(struct wthread *t, struct req *r, char **envp, const char *body, size_t len);

#endif
