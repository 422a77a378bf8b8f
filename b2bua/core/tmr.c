/* Timers on the loop: see tmr.h. */
#include "b2bua/core/tmr.h"

int tmr_once(su_root_t *root, su_timer_t **t, long ms, su_timer_f fn, su_timer_arg_t *arg)
{
	if (!*t && !(*t = su_timer_create(su_root_task(root), 0)))
		return -1;
	return su_timer_set_interval(*t, fn, arg, (su_duration_t)(ms > 0 ? ms : 0)) < 0 ? -1 : 0;
}

int tmr_every(su_root_t *root, su_timer_t **t, long ms, su_timer_f fn, su_timer_arg_t *arg)
{
	tmr_free(t);
	if (ms <= 0)
		return 0;
	if (!(*t = su_timer_create(su_root_task(root), (su_duration_t)ms)))
		return -1;
	return su_timer_set_for_ever(*t, fn, arg) < 0 ? -1 : 0;
}

void tmr_stop(su_timer_t *t)
{
	if (t)
		su_timer_reset(t);
}

void tmr_free(su_timer_t **t)
{
	if (*t) {
		su_timer_destroy(*t);
		*t = NULL;
	}
}
