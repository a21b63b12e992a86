/* dataset.h: what a dataset URI is (docs/datasets.md).
 *
 * A dataset is named by a URI: a scheme ("hdfs", "file", "rowstore", ...),
 * a colon, then anything printable without spaces, at most DATASET_URI_MAX
 * bytes. The scheduler never opens it: the URI is only a name producers and
 * consumers agree on. Compared byte for byte (no normalisation: "file:///a"
 * and "file:/a" are two datasets). */
#ifndef SCHED_DATASET_H
#define SCHED_DATASET_H

#define DATASET_URI_MAX 1024
#define DATASET_MAX_PER_DAG 64	/* URIs in one schedule, outlets of one task */

/* NULL when uri is a valid dataset URI, else why not (a static string). */
const char *dataset_uri_problem(const char *uri);

#endif
