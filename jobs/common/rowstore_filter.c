/* rowstore_filter.c: the row-side filters of a scan (row regex, value
 * conditions, column projection), compiled once and applied the same way
 * whichever backend evaluates them (rowstore_backend.h). Used by the backends
 * and the HBase REST test server; calls neither the front nor a backend. */
#include "jobs/common/rowstore_backend.h"
#include "jobs/common/rowstore_regex.h"

#include <stdlib.h>
#include <string.h>

int rowstore_filter_init(struct rowstore_filter *f, const struct rowstore_scan_opts *opts,
			 struct rowstore_err *err)
{
	memset(f, 0, sizeof *f);
	char msg[300];
	if (opts->row_regex && *opts->row_regex) {
		if (rowstore_regcomp(&f->row_re, opts->row_regex, msg, sizeof msg))
			return rowstore_fail(err, ROWSTORE_EUSAGE, "row regex: %s", msg);
		f->has_row_re = 1;
	}
	if (opts->nwhere) {
		f->where = calloc(opts->nwhere, sizeof *f->where);
		if (!f->where)
			return rowstore_fail(err, ROWSTORE_EIO, "out of memory");
	}
	for (size_t i = 0; i < opts->nwhere; i++) {
		const struct rowstore_where *w = &opts->where[i];
		int rc = rowstore_split_column(w->column ? w->column : "", &f->where[i].family,
					       &f->where[i].qualifier, err);
		f->nwhere = i + 1;
		if (rc == ROWSTORE_OK && !f->where[i].qualifier)
			rc = rowstore_fail(err, ROWSTORE_EUSAGE,
					   "where: bad column '%s': expected FAMILY:QUALIFIER", w->column);
		if (rc) {
			rowstore_filter_free(f);
			return rc;
		}
		f->where[i].op = w->op;
		f->where[i].value = strdup(w->value ? w->value : "");
		if (w->op == ROWSTORE_WHERE_REGEX) {
			if (rowstore_regcomp(&f->where[i].re, f->where[i].value, msg, sizeof msg)) {
				f->where[i].op = ROWSTORE_WHERE_EQ;	/* nothing compiled to free */
				rowstore_filter_free(f);
				return rowstore_fail(err, ROWSTORE_EUSAGE, "where %s: %s", w->column, msg);
			}
		}
	}
	if (opts->ncolumns) {
		f->cols = calloc(opts->ncolumns, sizeof *f->cols);
		if (!f->cols) {
			rowstore_filter_free(f);
			return rowstore_fail(err, ROWSTORE_EIO, "out of memory");
		}
	}
	for (size_t i = 0; i < opts->ncolumns; i++) {
		int rc = rowstore_split_column(opts->columns[i] ? opts->columns[i] : "",
					       &f->cols[i].family, &f->cols[i].qualifier, err);
		f->ncols = i + 1;
		if (rc) {
			rowstore_filter_free(f);
			return rc;
		}
	}
	return ROWSTORE_OK;
}

void rowstore_filter_free(struct rowstore_filter *f)
{
	if (f->has_row_re)
		regfree(&f->row_re);
	for (size_t i = 0; i < f->nwhere; i++) {
		free(f->where[i].family);
		free(f->where[i].qualifier);
		free(f->where[i].value);
		if (f->where[i].op == ROWSTORE_WHERE_REGEX)
			regfree(&f->where[i].re);
	}
	free(f->where);
	for (size_t i = 0; i < f->ncols; i++) {
		free(f->cols[i].family);
		free(f->cols[i].qualifier);
	}
	free(f->cols);
	memset(f, 0, sizeof *f);
}

int rowstore_filter_row_ok(const struct rowstore_filter *f, const char *key)
{
	return !f->has_row_re || rowstore_regsearch(&f->row_re, key);
}

int rowstore_filter_where_ok(const struct rowstore_filter *f, const struct rowstore_row *row)
{
	for (size_t i = 0; i < f->nwhere; i++) {
		const struct rowstore_cell *hit = NULL;
		for (size_t j = 0; j < row->ncells && !hit; j++)
			if (strcmp(row->cells[j].family, f->where[i].family) == 0 &&
			    strcmp(row->cells[j].qualifier, f->where[i].qualifier) == 0)
				hit = &row->cells[j];
		if (!hit)
			return 0;
		if (f->where[i].op == ROWSTORE_WHERE_EQ) {
			size_t n = strlen(f->where[i].value);
			if (hit->value_len != n || memcmp(hit->value, f->where[i].value, n) != 0)
				return 0;
		} else if (!rowstore_regsearch(&f->where[i].re, hit->value)) {
			return 0;
		}
	}
	return 1;
}

int rowstore_filter_col_ok(const struct rowstore_filter *f, const char *family, const char *qualifier)
{
	if (f->ncols == 0)
		return 1;
	for (size_t i = 0; i < f->ncols; i++)
		if (strcmp(f->cols[i].family, family) == 0 &&
		    (!f->cols[i].qualifier || strcmp(f->cols[i].qualifier, qualifier) == 0))
			return 1;
	return 0;
}
