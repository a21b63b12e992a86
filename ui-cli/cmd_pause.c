/* cmd_pause.c: `schedctl pause DAG` and `schedctl unpause DAG`. The flag is
 * written through store_set_paused (one transaction with its event); the
 * daemon stops creating and starting runs of a paused DAG, and for a stream
 * DAG stops or starts its tasks. */
#include "ui-cli/schedctl.h"

static int set_paused(struct cli *cli, int argc, char **argv, bool paused)
{
	const struct opt opts[] = { { OPT_END, NULL, NULL, NULL, NULL } };
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, paused ? "schedctl pause DAG" : "schedctl unpause DAG",
			   paused ? "Pauses a DAG: no new runs are created or started (running tries"
				    " finish); a stream DAG's tasks are stopped."
				  : "Unpauses a DAG; a stream DAG's tasks are started.",
			   pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 1) {
		cli_err("%s: which DAG? usage: schedctl %s DAG", argv[0], argv[0]);
		return SC_USAGE;
	}
	struct query_dag d;
	struct store *s = cli_open_dag(cli, true, pos[0], &d);
	if (!s)
		return SC_FAIL;
	int ret = SC_OK;
	if (d.paused == paused) {
		printf("%s was already %s\n", tsafe(d.dag_id), paused ? "paused" : "unpaused");
	} else if (store_set_paused(s, d.dag_id, paused, "schedctl") < 0) {
		cli_err("%s", s->err);
		ret = SC_FAIL;
	} else {
		printf("%s %s\n", tsafe(d.dag_id), paused ? "paused" : "unpaused");
	}
	query_dag_free(&d);
	store_close(s);
	return ret;
}

int cmd_pause(struct cli *cli, int argc, char **argv) { return set_paused(cli, argc, argv, true); }
int cmd_unpause(struct cli *cli, int argc, char **argv) { return set_paused(cli, argc, argv, false); }
