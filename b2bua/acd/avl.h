/* An intrusive AVL tree with subtree sizes: the ACD's ordered sets (the
 * available members of a queue's level, a queue's entries in line). The
 * node lives inside the object it orders; the tree allocates nothing. The
 * order is a comparison function given to every call that needs it: keys
 * must be unique, and the keys a node was inserted with must not change
 * while it is in the tree (the ACD files copies of them beside the node).
 *
 * Height is at most 1.44 log2(n): insert, remove, the k-th, a rank and the
 * first node past a key are O(log n). An empty tree is a NULL root. */
#ifndef B2BUA_ACD_AVL_H
#define B2BUA_ACD_AVL_H

#include <stddef.h>

struct avl_node {
	struct avl_node *left, *right;
	unsigned size;		/* nodes in this subtree, itself included */
	unsigned char height;	/* 1 for a leaf */
};

/* < 0, 0 or > 0 as a orders before, with or after b. */
typedef int (*avl_cmp_h)(const struct avl_node *a, const struct avl_node *b);

/* x (not in any tree) goes in. */
void avl_insert(struct avl_node **root, struct avl_node *x, avl_cmp_h cmp);
/* x (in this tree, found by its keys) goes out. */
void avl_remove(struct avl_node **root, struct avl_node *x, avl_cmp_h cmp);

static inline unsigned avl_count(const struct avl_node *root)
{
	return root ? root->size : 0;
}

/* The first node in order, or NULL. */
struct avl_node *avl_first(struct avl_node *root);
/* The k-th node in order (0: the first), or NULL when k >= the count. */
struct avl_node *avl_at(struct avl_node *root, unsigned k);
/* How many nodes order before x (x in the tree). */
unsigned avl_rank(const struct avl_node *root, const struct avl_node *x, avl_cmp_h cmp);
/* < 0, 0 or > 0 as n orders before, at or after key (a key of the tree's
 * order, not necessarily a node's). */
typedef int (*avl_key_h)(const struct avl_node *n, const void *key);
/* The first node that orders after key, or NULL. */
struct avl_node *avl_after(struct avl_node *root, avl_key_h cmp, const void *key);

#define avl_entry(node, type, member) ((type *)((char *)(node) - offsetof(type, member)))

#endif
