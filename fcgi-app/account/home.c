/* GET /cc/: to the user's home by role. */
#include "../route.h"

const char *home_get(struct req *r)
{
	if (!r->sess) {
		resp_redirect(r, "/cc/login");
		return NULL;
	}
	if (r->sess->agent)
		resp_redirect(r, "/cc/workbench");
	else if (r->sess->admin)
		resp_redirect(r, "/cc/admin");
	else if (r->sess->outbound)
		resp_redirect(r, "/cc/admin/tasks");
	else if (r->sess->monitor)
		resp_redirect(r, "/cc/wallboard");
	else
		return "no_role";
	return NULL;
}
