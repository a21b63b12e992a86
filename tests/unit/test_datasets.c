/* test_datasets.c: the dataset URI syntax (dataset.c) and the rule of
 * store_dataset.c: a consumer is due once every URI it waits for has an
 * event since its last dataset-triggered run; a new consumer ignores the
 * history before it; its run's triggering events as JSON; its data interval
 * from the producing runs; the state a cross-DAG sensor reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define STORE_FIXTURE_NAME "test_datasets"
#include "scheduler/dataset.h"
#include "scheduler/store_daemon.h"
#include "scheduler/store_dataset.h"
#include "tests/unit/store_fixture.h"

static char *uris[] = { "hdfs:///a", "s3://b" };

static void event(struct store *s, const char *uri, const char *extra)
{
	assert_int_equal(store_dataset_event(s, uri, "producer", 7, "t", 1000000, extra), 0);
}

static int due(struct store *s, int64_t *after, int64_t *upto)
{
	return store_dataset_due(s, "consumer", uris, 2, after, upto);
}

static void test_uri_syntax(void **state)
{
	(void)state;
	assert_null(dataset_uri_problem("hdfs:///collect/x=1"));
	assert_null(dataset_uri_problem("s3+x.y-z:b"));
	assert_non_null(dataset_uri_problem(""));
	assert_non_null(dataset_uri_problem("hdfs:"));
	assert_non_null(dataset_uri_problem("/local/path"));
	assert_non_null(dataset_uri_problem("1x:y"));
	assert_non_null(dataset_uri_problem("file:///a b"));
	assert_non_null(dataset_uri_problem("file:///a\tb"));
	assert_non_null(dataset_uri_problem("file:///{{ ds }}"));
	char big[DATASET_URI_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[4] = ':';
	assert_non_null(dataset_uri_problem(big));
	big[DATASET_URI_MAX] = '\0';
	assert_null(dataset_uri_problem(big));
}

static void test_every_uri_since_last_run(void **state)
{
	struct store *s = *state;
	int64_t after, upto;
	event(s, "hdfs:///a", NULL);	/* before the consumer exists: ignored */
	assert_int_equal(due(s, &after, &upto), 0);	/* registers it at event 1 */
	assert_int_equal(q1(s, "SELECT last_event FROM dataset_consumers WHERE dag_id='consumer'"), 1);
	event(s, "s3://b", NULL);
	assert_int_equal(due(s, &after, &upto), 0);	/* a has nothing new */
	event(s, "hdfs:///other", NULL);
	assert_int_equal(due(s, &after, &upto), 0);
	event(s, "hdfs:///a", "{\"rows\": 3}");
	event(s, "hdfs:///a", "not json");
	assert_int_equal(due(s, &after, &upto), 1);
	assert_int_equal(after, 1);
	assert_int_equal(upto, 5);
	assert_int_equal(store_dataset_consume(s, "consumer", 42, after, upto), 0);
	/* consumed: not due again until both have new events */
	assert_int_equal(due(s, &after, &upto), 0);
	event(s, "s3://b", NULL);
	assert_int_equal(due(s, &after, &upto), 0);
	event(s, "hdfs:///a", NULL);
	assert_int_equal(due(s, &after, &upto), 1);
	assert_int_equal(after, 5);
	assert_int_equal(upto, 7);

	char *json = NULL;
	assert_int_equal(store_dataset_triggering(s, 42, uris, 2, &json), 1);
	assert_string_equal(json,
		"{\"hdfs:///a\":[{\"id\":4,\"dag_id\":\"producer\",\"run_id\":null,\"task_id\":\"t\","
		"\"at\":\"1970-01-01T00:00:01.000Z\",\"extra\":{\"rows\":3}},"
		"{\"id\":5,\"dag_id\":\"producer\",\"run_id\":null,\"task_id\":\"t\","
		"\"at\":\"1970-01-01T00:00:01.000Z\",\"extra\":null}],"
		"\"s3://b\":[{\"id\":2,\"dag_id\":\"producer\",\"run_id\":null,\"task_id\":\"t\","
		"\"at\":\"1970-01-01T00:00:01.000Z\",\"extra\":null}]}");
	free(json);
	assert_int_equal(store_dataset_triggering(s, 43, uris, 2, &json), 1);	/* not dataset-triggered */
	assert_string_equal(json, "{}");
	free(json);
}

static void test_ids_grow_after_deletes(void **state)
{
	struct store *s = *state;
	int64_t after, upto;
	assert_int_equal(due(s, &after, &upto), 0);
	event(s, "hdfs:///a", NULL);
	event(s, "s3://b", NULL);
	assert_int_equal(due(s, &after, &upto), 1);
	assert_int_equal(store_dataset_consume(s, "consumer", 1, after, upto), 0);
	/* history cleaned: a new event must still be seen as new */
	assert_int_equal(store_exec(s, "DELETE FROM dataset_events"), 0);
	event(s, "hdfs:///a", NULL);
	event(s, "s3://b", NULL);
	assert_int_equal(due(s, &after, &upto), 1);
	assert_int_equal(after, 2);
	assert_int_equal(upto, 4);
}

/* The data interval of a triggered run comes from the producing runs; the
 * state another DAG's sensor sees. */
static void test_interval_and_external_state(void **state)
{
	struct store *s = *state;
	char existing[64];
	int64_t r1 = store_create_run(s, "producer", "UTC", 86400, 2 * 86400, "manual", NULL, 0, 1, NULL, existing,
				      sizeof existing);
	int64_t r2 = store_create_run(s, "producer", "UTC", 3 * 86400, 4 * 86400, "manual", NULL, 0, 2, NULL,
				      existing, sizeof existing);
	assert_true(r1 > 0 && r2 > 0);
	assert_int_equal(store_dataset_event(s, "hdfs:///a", "producer", r2, "t", 1, NULL), 0);
	assert_int_equal(store_dataset_event(s, "s3://b", "producer", r1, "t", 1, NULL), 0);
	assert_int_equal(store_dataset_event(s, "hdfs:///other", "producer", 999, "t", 1, NULL), 0);
	time_t ld, end;
	assert_int_equal(store_dataset_interval(s, uris, 2, 0, 3, &ld, &end), 0);
	assert_int_equal(ld, 3 * 86400);	/* the newest producing run's */
	assert_int_equal(end, 4 * 86400);
	assert_int_equal(store_dataset_interval(s, uris, 2, 0, 1, &ld, &end), 0);	/* only event 1 */
	assert_int_equal(ld, 3 * 86400);
	assert_int_equal(store_dataset_interval(s, uris + 1, 1, 1, 3, &ld, &end), 0);
	assert_int_equal(ld, 86400);
	assert_int_equal(store_dataset_interval(s, uris, 2, 3, 3, &ld, &end), 0);	/* no event: 0 */
	assert_int_equal(ld, 0);

	char st[32] = "";
	assert_int_equal(store_external_state(s, "producer", 86400, NULL, st, sizeof st), 1);
	assert_string_equal(st, "queued");
	assert_int_equal(store_external_state(s, "producer", 86400, "t", st, sizeof st), 0);	/* no TI yet */
	assert_int_equal(store_ti_create(s, r1, "t", 1), 0);
	assert_int_equal(store_external_state(s, "producer", 86400, "t", st, sizeof st), 1);
	assert_string_equal(st, "none");
	assert_int_equal(store_external_state(s, "producer", 2 * 86400, NULL, st, sizeof st), 0);
	assert_int_equal(store_external_state(s, "other", 86400, NULL, st, sizeof st), 0);

	/* a deleted run takes its events and its consumption record along */
	assert_int_equal(store_dataset_consume(s, "consumer", r1, 0, 3), 0);
	assert_int_equal(store_dataset_forget_run(s, r2), 0);
	assert_int_equal(q1(s, "SELECT count(*) FROM dataset_events"), 2);
	assert_int_equal(store_dataset_forget_run(s, r1), 0);
	assert_int_equal(q1(s, "SELECT count(*) FROM dataset_events"), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM dataset_runs"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_syntax),
		cmocka_unit_test_setup_teardown(test_every_uri_since_last_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_grow_after_deletes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interval_and_external_state, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
