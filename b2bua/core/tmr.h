/* Timers on the loop: the create-on-first-use-then-arm steps every module
 * needs, in one place. A timer is a su_timer_t * slot owned by its user;
 * NULL until first armed. */
#ifndef B2BUA_TMR_H
#define B2BUA_TMR_H

#include <sofia-sip/su_wait.h>

/* Arms *t to call fn(arg) once, ms from now (re-arming replaces the
 * previous expiry). 0, or -1 when the timer could not be made. */
int tmr_once(su_root_t *root, su_timer_t **t, long ms, su_timer_f fn, su_timer_arg_t *arg);
/* Arms *t to call fn(arg) every ms; ms <= 0 removes the timer. 0 or -1. */
int tmr_every(su_root_t *root, su_timer_t **t, long ms, su_timer_f fn, su_timer_arg_t *arg);
/* Disarms *t (if any); it stays for the next tmr_once. */
void tmr_stop(su_timer_t *t);
/* Destroys *t (if any) and sets it to NULL. */
void tmr_free(su_timer_t **t);

#endif
