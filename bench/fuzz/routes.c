/* fuzz-routes: prints the web app's route table (fcgi-app/route.h), one
 * route a line: "METHOD PATTERN ACCESS CSRF KIND", admin resources' routes
 * included, for the HTTP fuzzer (bench/fuzz/webfuzz.py). Built from the
 * table itself, so a new route is fuzzed without a change here. */
#include "fcgi-app/route.h"

#include <stdio.h>

int main(void)
{
#define PRINT(m, p, h, acc, csrf, kind) puts(#m " " p " " #acc " " #csrf " " #kind);
	WEB_ROUTES(PRINT)
#undef PRINT
#define RES_PRINT(m, p, h, acc, csrf, kind, n) puts(#m " " p " " #acc " " #csrf " " #kind);
#define RES(n) RES_ROUTES(RES_PRINT, n)
	WEB_RESOURCES(RES)
#undef RES
#undef RES_PRINT
	return 0;
}
