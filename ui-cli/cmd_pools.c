/* cmd_pools.c: `schedctl pools [--json]`, `schedctl pools set NAME SLOTS
 * [--description TEXT]`, `schedctl pools delete NAME` (docs/pools.md). The
 * list comes from query_pools, the writes go through store_pool_set and
 * store_pool_delete (one transaction each, with its event); the daemon reads
 * the pools again at its next pass (the write rings it). */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

#include "scheduler/store_cli.h"

#define POOL_MAX_SLOTS 1000000

static void print_json(const struct query_pools *l)
{
	json_t *list = json_array();
	for (size_t i = 0; i < l->n; i++) {
		const struct query_pool *p = &l->v[i];
		json_t *o = json_object();
		jx_set(o, "name", jv_str(p->name));
		jx_set(o, "exists", json_boolean(!p->missing));
		jx_set(o, "slots", json_integer(p->slots));
		jx_set(o, "running_slots", json_integer(p->running));
		jx_set(o, "queued_slots", json_integer(p->queued));
		jx_set(o, "open_slots", json_integer(p->slots - p->running - p->queued));
		jx_set(o, "description", p->description ? jv_str(p->description) : json_null());
		json_array_append_new(list, o);
	}
	json_t *doc = json_object();
	jx_set(doc, "pools", list);
	json_print(doc);
}

static void print_table(const struct cli *cli, const struct query_pools *l)
{
	if (l->n == 0) {
		printf("no pools (schedctl pools set NAME SLOTS creates one; a task without pool: is in none)\n");
		return;
	}
	struct table t;
	table_init(&t, 6);
	const char *hdr[] = { "POOL", "SLOTS", "RUNNING", "QUEUED", "OPEN", "DESCRIPTION" };
	table_add(&t, hdr);
	for (size_t i = 0; i < l->n; i++) {
		const struct query_pool *p = &l->v[i];
		char slots[24], run[24], q[24], open[24];
		snprintf(slots, sizeof slots, "%d", p->slots);
		snprintf(run, sizeof run, "%lld", (long long)p->running);
		snprintf(q, sizeof q, "%lld", (long long)p->queued);
		snprintf(open, sizeof open, "%lld", (long long)(p->slots - p->running - p->queued));
		const char *desc = p->missing ? "(missing: its tasks wait; schedctl pools set NAME SLOTS)"
				   : p->description ? p->description : "-";
		const char *row[] = { p->name, p->missing ? "-" : slots, run, q, p->missing ? "-" : open, desc };
		table_add(&t, row);
	}
	table_print(&t, stdout, cli->color);
	table_free(&t);
}

static int pools_list(struct cli *cli, bool json)
{
	struct store *s = cli_open_store(cli, false);
	if (!s)
		return SC_FAIL;
	struct query_pools l;
	char err[1024];
	int q = query_pools(s, &l, err, sizeof err);
	store_close(s);
	if (q != Q_OK) {
		cli_err("pools: %s", err);
		return SC_FAIL;
	}
	if (json)
		print_json(&l);
	else
		print_table(cli, &l);
	query_pools_free(&l);
	return SC_OK;
}

/* A pool name follows the task id rule (docs/dag-format.md). */
static bool name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 250 || strspn(name, ".") == n)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static int pools_set(struct cli *cli, const char *name, const char *slots_text, const char *description)
{
	char *end;
	long slots = strtol(slots_text, &end, 10);
	if (!*slots_text || *end || slots < 0 || slots > POOL_MAX_SLOTS) {
		cli_err("pools set: SLOTS '%s' is not a number from 0 to %d", slots_text, POOL_MAX_SLOTS);
		return SC_USAGE;
	}
	if (!name_ok(name)) {
		cli_err("pools set: bad pool name '%s' (1 to 250 letters, digits, '_', '.', '-', not only dots)",
			name);
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, true);
	if (!s)
		return SC_FAIL;
	int ret = SC_OK;
	if (store_pool_set(s, name, (int)slots, description, cli_actor()) < 0) {
		cli_err("pools set: %s", s->err);
		ret = SC_FAIL;
	} else {
		printf("pool %s: %ld slots\n", tsafe(name), slots);
	}
	store_close(s);
	return ret;
}

static int pools_delete(struct cli *cli, const char *name)
{
	struct store *s = cli_open_store(cli, true);
	if (!s)
		return SC_FAIL;
	int ret = SC_OK;
	int rc = store_pool_delete(s, name, cli_actor());
	if (rc <= 0) {
		cli_err("pools delete: %s", s->err);
		ret = SC_FAIL;
	} else {
		printf("pool %s deleted (tasks naming it wait until it exists again)\n", tsafe(name));
	}
	store_close(s);
	return ret;
}

int cmd_pools(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	const char *description = NULL;
	const struct opt opts[] = {
		{ OPT_FLAG, "json", &json, NULL, "JSON output (list only; see docs/schedctl.md)" },
		{ OPT_STRING, "description", &description, "TEXT", "set: the pool's description" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[3];
	size_t npos;
	int rc = opt_parse(argc, argv, opts,
			   "schedctl pools [--json]\n"
			   "       schedctl pools set NAME SLOTS [--description TEXT]\n"
			   "       schedctl pools delete NAME",
			   "Lists the pools (slots, slots held by running and queued tries), creates or resizes"
			   " one, or deletes one (docs/pools.md).", pos, 3, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos == 0)
		return pools_list(cli, json);
	if (strcmp(pos[0], "set") == 0 && npos == 3)
		return pools_set(cli, pos[1], pos[2], description);
	if (strcmp(pos[0], "delete") == 0 && npos == 2)
		return pools_delete(cli, pos[1]);
	cli_err("pools: usage: schedctl pools [--json] | pools set NAME SLOTS [--description TEXT] |"
		" pools delete NAME");
	return SC_USAGE;
}
