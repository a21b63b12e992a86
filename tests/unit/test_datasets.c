/* test_datasets.c: the dataset URI syntax (dataset.c) and the rule of
 * store_dataset.c: a consumer is due once every URI it waits for has an
 * event since its last dataset-triggered run; a new consumer ignores the
 * history before it; its run's triggering events as JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define STORE_FIXTURE_NAME "test_datasets"
#include "scheduler/dataset.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_syntax),
		cmocka_unit_test_setup_teardown(test_every_uri_since_last_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_grow_after_deletes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
