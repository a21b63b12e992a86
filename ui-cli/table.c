/* table.c: human output: aligned tables, one colour per state, one letter per
 * state for grids printed where colour is not allowed. Colour codes are only
 * emitted when the caller says the output is a terminal without NO_COLOR. */
#include "ui-cli/schedctl.h"

#include "lib/termsafe.h"

#include <stdlib.h>
#include <string.h>

void table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
}

/* Cells are escaped here (lib/termsafe.h): every table cell may hold a name
 * from a DAG file or the state file, and colours are added at printing. */
void table_add(struct table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cells, cap * t->ncols * sizeof *c);
		const char **k = realloc(t->colors, cap * t->ncols * sizeof *k);
		if (!c || !k) {
			free(c ? c : t->cells);
			free(k ? (void *)k : (void *)t->colors);
			t->cells = NULL;
			t->colors = NULL;
			t->nrows = t->cap = 0;
			return;
		}
		t->cells = c;
		t->colors = k;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		const char *c = cells[i] ? cells[i] : "-";
		t->cells[t->nrows * t->ncols + i] = termsafe_is_clean(c) ? strdup(c) : termsafe_dup(c);
		t->colors[t->nrows * t->ncols + i] = NULL;
	}
	t->nrows++;
}

void table_color_last(struct table *t, size_t col, const char *ansi)
{
	if (t->nrows && col < t->ncols)
		t->colors[(t->nrows - 1) * t->ncols + col] = ansi;
}

void table_print(const struct table *t, FILE *f, bool color)
{
	size_t w[32] = { 0 };
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols && c < 32; c++) {
			size_t l = strlen(t->cells[r * t->ncols + c]);
			if (l > w[c])
				w[c] = l;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			const char *k = color ? t->colors[r * t->ncols + c] : NULL;
			bool last = c + 1 == t->ncols;
			if (r == 0 && color)
				fputs("\033[1m", f);
			if (k)
				fprintf(f, "\033[%sm", k);
			fputs(cell, f);
			if (k || (r == 0 && color))
				fputs("\033[0m", f);
			if (!last)
				fprintf(f, "%*s", (int)(w[c < 32 ? c : 31] - strlen(cell) + 2), "");
		}
		fputc('\n', f);
	}
}

void table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->colors);
	memset(t, 0, sizeof *t);
}

static const struct {
	const char *state, *color;
	char letter;
} states[] = {
	{ "success", "32", 'S' },	/* green */
	{ "failed", "31", 'F' },	/* red */
	{ "upstream_failed", "33", 'U' },	/* yellow */
	{ "up_for_retry", "35", 'R' },	/* magenta */
	{ "running", "36", 'r' },	/* cyan */
	{ "restarting", "34", 'x' },	/* blue: cleared while running, starts again */
	{ "crash_loop", "1;31", 'C' },	/* bold red: a stream task that keeps exiting */
	{ "queued", "37", 'q' },
	{ "scheduled", "37", 's' },
	{ "skipped", "35", 'k' },
	{ "none", "2", '.' },
};

const char *state_color(const char *state)
{
	for (size_t i = 0; state && i < sizeof states / sizeof states[0]; i++)
		if (strcmp(state, states[i].state) == 0)
			return states[i].color;
	return NULL;
}

char state_letter(const char *state)
{
	if (!state)
		return ' ';
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (strcmp(state, states[i].state) == 0)
			return states[i].letter;
	return '?';
}
