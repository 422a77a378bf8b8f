/* The ACD's ordered sets (b2bua/acd/avl.c): after every one of many random
 * inserts and removes the tree is balanced, its sizes add up, and its
 * order, k-th, rank and first-after answers are those of a sorted array. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdlib.h>

#include "b2bua/acd/avl.h"

struct item {
	int key;
	bool in;
	struct avl_node node;
};

static int cmp_item(const struct avl_node *a, const struct avl_node *b)
{
	int x = avl_entry(a, struct item, node)->key, y = avl_entry(b, struct item, node)->key;
	return (x > y) - (x < y);
}

static int cmp_key(const struct avl_node *n, const void *key)
{
	int x = avl_entry(n, struct item, node)->key, y = *(const int *)key;
	return (x > y) - (x < y);
}

/* Checks n's subtree: heights, sizes, order between lo and hi; its height. */
static int check(const struct avl_node *n, int lo, int hi)
{
	if (!n)
		return 0;
	int k = avl_entry(n, struct item, node)->key;
	assert_true(k > lo && k < hi);
	int l = check(n->left, lo, k), r = check(n->right, k, hi);
	assert_true(l - r <= 1 && r - l <= 1);
	assert_int_equal(n->height, (l > r ? l : r) + 1);
	assert_int_equal(n->size, avl_count(n->left) + avl_count(n->right) + 1);
	return n->height;
}

#define N 600

static void random_operations_match_a_sorted_array(void **state)
{
	(void)state;
	static struct item items[N];
	for (int i = 0; i < N; i++)
		items[i] = (struct item){ .key = i * 3 };	/* room between keys for probes */
	struct avl_node *root = NULL;
	srand(7);
	for (int step = 0; step < 20000; step++) {
		struct item *it = &items[rand() % N];
		if (it->in)
			avl_remove(&root, &it->node, cmp_item);
		else
			avl_insert(&root, &it->node, cmp_item);
		it->in = !it->in;
		if (step % 97 && step < 19900)
			continue;
		check(root, -1, N * 3);
		/* The items in the tree, in order: items[] is sorted by key. */
		unsigned n = 0;
		for (int i = 0; i < N; i++) {
			if (!items[i].in)
				continue;
			assert_ptr_equal(avl_at(root, n), &items[i].node);
			assert_int_equal(avl_rank(root, &items[i].node, cmp_item), n);
			n++;
		}
		assert_int_equal(avl_count(root), n);
		assert_null(avl_at(root, n));
		for (int probe = -2; probe < N * 3 + 1; probe += 2) {
			const struct item *want = NULL;
			for (int i = 0; i < N && !want; i++)
				if (items[i].in && items[i].key > probe)
					want = &items[i];
			struct avl_node *got = avl_after(root, cmp_key, &probe);
			assert_ptr_equal(got, want ? &want->node : NULL);
		}
		struct avl_node *first = avl_first(root);
		assert_ptr_equal(first, avl_at(root, 0));
	}
}

static void an_empty_tree(void **state)
{
	(void)state;
	int k = 0;
	assert_null(avl_first(NULL));
	assert_null(avl_at(NULL, 0));
	assert_null(avl_after(NULL, cmp_key, &k));
	assert_int_equal(avl_count(NULL), 0);
	/* Removing a node that is not there changes nothing. */
	struct item a = { .key = 1 }, b = { .key = 2 };
	struct avl_node *root = NULL;
	avl_insert(&root, &a.node, cmp_item);
	avl_remove(&root, &b.node, cmp_item);
	assert_ptr_equal(root, &a.node);
	avl_remove(&root, &a.node, cmp_item);
	assert_null(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_operations_match_a_sorted_array),
		cmocka_unit_test(an_empty_tree),
	};
	return cmocka_run_group_tests_name("avl", tests, NULL, NULL);
}
