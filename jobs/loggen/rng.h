/* rng.h: the generator's random numbers. A splitmix64 stream per (seed, car,
 * log kind), so each car's values depend on nothing but those three numbers:
 * the same seed gives the same bytes whatever the thread count or order. */
#ifndef LOGGEN_RNG_H
#define LOGGEN_RNG_H

#include <stdint.h>

typedef struct rng {
	uint64_t s;
} rng;

static inline uint64_t rng_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rng_next(rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return rng_mix(r->s);
}

/* Stream for one car and kind (0 identity, 1 status, 2 driver, 3 garbage). */
static inline rng rng_for(uint64_t seed, uint64_t car, uint64_t kind)
{
	rng r = { rng_mix(rng_mix(seed ^ 0x5eed5eed5eedULL) + car * 0x9e3779b97f4a7c15ULL + kind) };
	return r;
}

/* Uniform in [0, 1e6) as an integer: weights in the domain are given to 4
 * decimals of a percent, so parts per million are exact. */
static inline uint32_t rng_ppm(rng *r)
{
	return (uint32_t)(((rng_next(r) >> 32) * 1000000ULL) >> 32);
}

/* Uniform integer in [lo, hi]. */
static inline int rng_range(rng *r, int lo, int hi)
{
	return lo + (int)(((rng_next(r) >> 32) * (uint64_t)(hi - lo + 1)) >> 32);
}

#endif
