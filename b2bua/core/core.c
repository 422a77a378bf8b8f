/* The core's small helpers. */
#include "b2bua/core/core.h"

#include <time.h>

long long core_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}
