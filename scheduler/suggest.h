/* suggest.h: the nearest-word suggestions now live in the base library
 * (lib/suggest.h), shared with every program's option parser. */
#ifndef SCHED_SUGGEST_H
#define SCHED_SUGGEST_H
#include "lib/suggest.h"
#endif
