/* path.h: paths built from names that came from input (DAG ids, task ids,
 * run ids, dates, partition names) and the roots they must stay under.
 *
 * Invariants:
 * - A name that passes path_name_problem() is exactly one path component:
 *   1 to PATH_NAME_MAX bytes, no '/', no NUL or control byte (below 0x20,
 *   0x7f), and not made only of dots ("." and ".." name other directories;
 *   "..." is refused too so no rule depends on counting dots).
 * - path_join_under() writes root + "/" + rel only when every '/'-separated
 *   component of rel passes path_name_problem(), so the result names a file
 *   under root whatever root is (lexically: symbolic links inside root are
 *   the operator's, not the input's). On refusal out holds "" and nothing is
 *   created anywhere. This is the one place such paths are joined; every
 *   builder of a log, lock, state or partition path goes through it. */
#ifndef BASE_PATH_H
#define BASE_PATH_H

#include <stddef.h>

/* The longest name, in bytes: below NAME_MAX (255) with room for a suffix
 * such as ".log" or ".tmp" (Airflow bounds its ids to 250 too). */
#define PATH_NAME_MAX 250

/* NULL when name can be one path component, else why not, as a phrase
 * ("contains '/'", "is longer than 250 bytes", ...). */
const char *path_name_problem(const char *name);

/* Joins root and rel into out (outlen bytes). Returns 0, or -1 with errno
 * EINVAL (root or rel is empty, rel is absolute, or a component of it fails
 * path_name_problem) or ENAMETOOLONG (the result does not fit out). */
int path_join_under(char *out, size_t outlen, const char *root, const char *rel);

#endif
