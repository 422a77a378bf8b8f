/* Private to b2bua/http/: the client and a request, shared by client.c
 * (the loop's side: sockets, timers, finished transfers) and request.c
 * (starting, cancelling and ending a request). */
#ifndef B2BUA_HTTP_PRIV_H
#define B2BUA_HTTP_PRIV_H

#include <stdbool.h>
#include <curl/curl.h>

#include "http.h"

struct http_sock;

struct http_req {
	struct http_client *c;
	struct http_req *prev, *next;	/* c->active or c->failing */
	CURL *easy;			/* NULL for a request that fails unstarted */
	struct curl_slist *headers;
	http_reply_h *h;
	void *arg;
	const char *fail;		/* why it fails unstarted (static text) */
	unsigned long long seq;		/* order of failing requests */
	long long start_ms;
	unsigned timeout_ms;
	char *rbuf;			/* the reply body so far, NUL-terminated */
	size_t rlen, rcap;
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
};

struct http_list {
	struct http_req *head, *tail;
	unsigned n;
};

struct http_client {
	su_root_t *root;
	CURLM *multi;
	su_timer_t *timer;		/* curl's timeout */
	su_timer_t *fail_timer;		/* failures due on the next turn */
	struct http_limits lim;		/* defaults filled in; strings owned */
	struct http_list active;	/* handed to curl */
	struct http_list failing;	/* to fail on the next turn */
	unsigned long long seq;
	struct http_sock *socks;	/* curl's sockets registered with the loop */
	int depth;			/* dispatchers on the stack */
	bool closing;
};

long long http_now_ms(void);

void http_list_add(struct http_list *l, struct http_req *r);
void http_list_del(struct http_list *l, struct http_req *r);

/* request.c: ends r with its callback (for a transfer curl finished, code
 * is curl's result) and frees it. r is on one of c's lists. */
void http_req_finish_curl(struct http_req *r, CURLcode code);
void http_req_finish(struct http_req *r, enum http_result result, const char *error);

/* client.c: queues r to fail with r->fail on a later turn of the loop. */
void http_client_fail_later(struct http_client *c, struct http_req *r);

#endif
