/* The ACD's ordered sets: see avl.h. Recursion is as deep as the tree is
 * high (under 45 levels for 2^31 nodes). */
#include "b2bua/acd/avl.h"

static unsigned char height(const struct avl_node *n)
{
	return n ? n->height : 0;
}

static void fix(struct avl_node *n)
{
	unsigned char l = height(n->left), r = height(n->right);
	n->height = (unsigned char)((l > r ? l : r) + 1);
	n->size = avl_count(n->left) + avl_count(n->right) + 1;
}

static struct avl_node *rotate_right(struct avl_node *n)
{
	struct avl_node *l = n->left;
	n->left = l->right;
	l->right = n;
	fix(n);
	fix(l);
	return l;
}

static struct avl_node *rotate_left(struct avl_node *n)
{
	struct avl_node *r = n->right;
	n->right = r->left;
	r->left = n;
	fix(n);
	fix(r);
	return r;
}

/* n's subtrees are balanced and differ in height by at most 2: n's
 * subtree balanced again, its new root returned. */
static struct avl_node *balance(struct avl_node *n)
{
	fix(n);
	int d = height(n->left) - height(n->right);
	if (d > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (d < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

static struct avl_node *insert(struct avl_node *n, struct avl_node *x, avl_cmp_h cmp)
{
	if (!n) {
		x->left = x->right = NULL;
		fix(x);
		return x;
	}
	if (cmp(x, n) < 0)
		n->left = insert(n->left, x, cmp);
	else
		n->right = insert(n->right, x, cmp);
	return balance(n);
}

void avl_insert(struct avl_node **root, struct avl_node *x, avl_cmp_h cmp)
{
	*root = insert(*root, x, cmp);
}

/* n's subtree without its first node, which goes to *min. */
static struct avl_node *take_first(struct avl_node *n, struct avl_node **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = take_first(n->left, min);
	return balance(n);
}

static struct avl_node *remove_node(struct avl_node *n, struct avl_node *x, avl_cmp_h cmp)
{
	if (!n)
		return NULL;	/* x is not there: nothing to do (never with unique keys) */
	if (n != x) {
		if (cmp(x, n) < 0)
			n->left = remove_node(n->left, x, cmp);
		else
			n->right = remove_node(n->right, x, cmp);
		return balance(n);
	}
	if (!n->left || !n->right)
		return n->left ? n->left : n->right;
	struct avl_node *next;
	struct avl_node *right = take_first(n->right, &next);
	next->left = n->left;
	next->right = right;
	return balance(next);
}

void avl_remove(struct avl_node **root, struct avl_node *x, avl_cmp_h cmp)
{
	*root = remove_node(*root, x, cmp);
	x->left = x->right = NULL;
}

struct avl_node *avl_first(struct avl_node *root)
{
	while (root && root->left)
		root = root->left;
	return root;
}

struct avl_node *avl_at(struct avl_node *root, unsigned k)
{
	struct avl_node *n = root;
	while (n) {
		unsigned l = avl_count(n->left);
		if (k == l)
			return n;
		if (k < l) {
			n = n->left;
		} else {
			k -= l + 1;
			n = n->right;
		}
	}
	return NULL;
}

unsigned avl_rank(const struct avl_node *root, const struct avl_node *x, avl_cmp_h cmp)
{
	unsigned before = 0;
	const struct avl_node *n = root;
	while (n && n != x) {
		if (cmp(x, n) < 0) {
			n = n->left;
		} else {
			before += avl_count(n->left) + 1;
			n = n->right;
		}
	}
	return before + (n ? avl_count(n->left) : 0);
}

struct avl_node *avl_after(struct avl_node *root, avl_key_h cmp, const void *key)
{
	struct avl_node *best = NULL, *n = root;
	while (n) {
		if (cmp(n, key) > 0) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}
