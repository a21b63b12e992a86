/* test_notify_send.c: the outbox sender's parts that need no network: the
 * retry delay, the channel templates, the summary text, and one pass of
 * the state machine over rows with command channels (delivered, retry,
 * given up for good or after give_up_after, skipped, not due). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define STORE_FIXTURE_NAME "test_notify_send"
#include "store_fixture.h"

#include "scheduler/notify_send.h"

static void test_retry_delay(void **state)
{
	(void)state;
	assert_int_equal(notify_retry_delay_us(1, 0.5), NOTIFY_FIRST_RETRY_US);
	assert_int_equal(notify_retry_delay_us(2, 0.5), 2 * NOTIFY_FIRST_RETRY_US);
	assert_int_equal(notify_retry_delay_us(3, 0.0), (int64_t)(4 * NOTIFY_FIRST_RETRY_US * 0.8));
	assert_true(notify_retry_delay_us(1, 0.9999) < (int64_t)(NOTIFY_FIRST_RETRY_US * 1.2));
	assert_int_equal(notify_retry_delay_us(40, 0.5), NOTIFY_MAX_RETRY_US);
	assert_int_equal(notify_retry_delay_us(1000000, 0.5), NOTIFY_MAX_RETRY_US);
}

static char *render(const char *s, const char *payload, char *err)
{
	json_t *p = json_loads(payload, 0, NULL);
	char *r = notify_render(s, p, err, 256);
	json_decref(p);
	return r;
}

static void test_render(void **state)
{
	(void)state;
	char err[256];
	char *r = render("{{ dag_id }}/{{task_id}}-{{ try_number }} {{ url }}.", "{\"dag_id\":\"etl\",\"task_id\":\"t\","
			 "\"try_number\":3,\"url\":null}", err);
	assert_string_equal(r, "etl/t-3 .");
	free(r);
	setenv("NOTIFY_UNIT_URL", "http://x", 1);
	r = render("{{ env.NOTIFY_UNIT_URL }}/a", "{}", err);
	assert_string_equal(r, "http://x/a");
	free(r);
	unsetenv("NOTIFY_UNIT_URL");
	assert_null(render("{{ env.NOTIFY_UNIT_URL }}", "{}", err));
	assert_string_equal(err, "environment variable NOTIFY_UNIT_URL is not set");
	assert_null(render("x {{ dagid }}", "{\"dag_id\":\"etl\"}", err));
	assert_string_equal(err, "unknown template name 'dagid'");
	assert_null(render("ab {{ dag_id", "{\"dag_id\":\"etl\"}", err));
	assert_string_equal(err, "template at offset 3: '{{' without '}}'");
	assert_null(render("{{  }}", "{}", err));
	assert_string_equal(err, "template at offset 0: empty name");
	r = render("no template", "[]", err);
	assert_string_equal(r, "no template");
	free(r);
}

static void test_summary(void **state)
{
	(void)state;
	json_t *p = json_loads("{\"event\":\"task_failed\",\"dag_id\":\"etl\",\"task_id\":\"load\",\"try_number\":2,"
			       "\"run_id\":\"r1\",\"state\":\"failed\",\"cause\":\"exit code 3\",\"url\":null,"
			       "\"log_tail\":\"oops\"}", 0, NULL);
	char *s = notify_summary(p);
	assert_string_equal(s, "[task_failed] etl.load try 2 (run r1): failed, exit code 3\nlast lines of the log:\noops");
	free(s);
	json_decref(p);
}

static void add_row(struct store *s, const char *key, const char *channel, int64_t created, int64_t due)
{
	sqlite3_stmt *st = store_prepare(s, "INSERT INTO notifications(key, created_us, event, dag_id, channel,"
					    " payload, next_attempt_us) VALUES(?1, ?2, 'task_failed', 'etl', ?3,"
					    " '{\"dag_id\":\"etl\",\"cause\":\"exit code 3\"}', ?4)");
	assert_non_null(st);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, created);
	sqlite3_bind_text(st, 3, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, due);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static char *row(struct store *s, const char *key)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT state || '|' || attempts || '|' || coalesce(last_error, '')"
					    " FROM notifications WHERE key=?1");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *r = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return r;
}

static void assert_row(struct store *s, const char *key, const char *want_prefix)
{
	char *r = row(s, key);
	if (strncmp(r, want_prefix, strlen(want_prefix)) != 0)
		fail_msg("%s: '%s' does not start with '%s'", key, r, want_prefix);
	free(r);
}

static void test_pass(void **state)
{
	struct store *s = *state;
	int64_t now = store_now_us();
	add_row(s, "ok", "{\"type\":\"command\",\"argv\":[\"true\",\"{{ dag_id }}\"]}", now, now);
	add_row(s, "fails", "{\"type\":\"command\",\"argv\":[\"sh\",\"-c\",\"echo no >&2; exit 4\"]}", now, now);
	add_row(s, "old", "{\"type\":\"command\",\"argv\":[\"false\"],\"give_up_after\":\"1s\"}", now - 10000000, now);
	add_row(s, "noprog", "{\"type\":\"command\",\"argv\":[\"/nonexistent/notify-tool\"]}", now, now);
	add_row(s, "badtype", "{\"type\":\"pigeon\"}", now, now);
	add_row(s, "badjson", "{\"type\":", now, now);
	add_row(s, "tmpl", "{\"type\":\"command\",\"argv\":[\"true\",\"{{ nope }}\"]}", now, now);
	add_row(s, "off", "{\"type\":\"command\",\"argv\":[\"{{ env.NOTIFY_UNIT_EMPTY }}\"]}", now, now);
	add_row(s, "later", "{\"type\":\"command\",\"argv\":[\"true\"]}", now, now + 3600000000LL);
	setenv("NOTIFY_UNIT_EMPTY", "", 1);
	int64_t next = notify_send_pass(s, now);
	assert_row(s, "ok", "delivered|1|");
	assert_row(s, "fails", "pending|1|command sh: exit 4: no");
	assert_row(s, "old", "given_up|1|command false: exit 1 (retried for 10s, given up)");
	assert_row(s, "noprog", "given_up|1|command: cannot run /nonexistent/notify-tool");
	assert_row(s, "badtype", "given_up|1|channel type 'pigeon' is not webhook, email or command");
	assert_row(s, "badjson", "given_up|1|the row's channel is not a JSON object");
	assert_row(s, "tmpl", "given_up|1|argv[1]: unknown template name 'nope'");
	assert_row(s, "off", "skipped|1|argv[0] renders empty");
	assert_row(s, "later", "pending|0|");
	/* the next due: the failed one's retry, about a second away */
	int64_t retry = q1(s, "SELECT next_attempt_us FROM notifications WHERE key='fails'");
	assert_int_equal(next, retry);
	assert_true(retry >= now + 800000 && retry < store_now_us() + 1200000);
	assert_int_equal(q1(s, "SELECT count(*) FROM notifications WHERE state!='pending' AND done_us IS NULL"), 0);
	/* a second pass at the same instant touches nothing */
	assert_int_equal(notify_send_pass(s, now), retry);
	assert_row(s, "fails", "pending|1|");
	unsetenv("NOTIFY_UNIT_EMPTY");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_delay),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_summary),
		cmocka_unit_test_setup_teardown(test_pass, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
