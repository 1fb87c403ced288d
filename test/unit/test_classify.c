/*
 * test_classify.c
 *	  Unit tests for classify_core.c: thresholds, caps, NULL handling,
 *	  combine = sequential accumulation, and input validation.
 */
#include "classify_core.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed = 88172645463325252ULL;

static double
rnd01(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (double) (seed >> 11) / (double) (1ULL << 53);
}

int
main(void)
{
	risk_acc	a,
				b,
				whole;
	double		score;
	double		th[3] = {95, 80, 70};
	double		bad1[3] = {60, 75, 90};
	double		bad2[3] = {90, 75, NAN};
	int			i,
				bad;

	risk_acc_init(&a);
	ok(risk_acc_class(&a) == -1 && !risk_acc_score(&a, &score), "empty: no class, no score");
	risk_acc_add(&a, true, 80, true, 1, -1, NULL);
	risk_acc_add(&a, true, 100, true, 3, -1, NULL);
	risk_acc_add(&a, true, 60, true, 1, -1, NULL);
	ok(risk_acc_score(&a, &score) && fabs(score - 88) < 1e-12, "weighted mean (80 + 300 + 60) / 5 = 88");
	is_int(risk_acc_class(&a), 1, "88 is B under 90/75/60");
	risk_acc_add(&a, false, 0, false, 0, 2, NULL);
	is_int(risk_acc_class(&a), 2, "a C cap makes it C");
	risk_acc_add(&a, false, 0, false, 0, 1, NULL);
	is_int(risk_acc_class(&a), 2, "a B cap does not improve it");
	risk_acc_add(&a, false, 0, false, 0, 3, NULL);
	is_int(risk_acc_class(&a), 3, "a D cap (veto) makes it D");

	risk_acc_init(&a);
	risk_acc_add(&a, false, 0, false, 0, 3, NULL);
	is_int(risk_acc_class(&a), 3, "a cap alone classifies");
	risk_acc_init(&a);
	risk_acc_add(&a, true, 50, false, 0, -1, NULL);
	risk_acc_add(&a, false, 0, true, 1, -1, NULL);
	ok(risk_acc_class(&a) == -1, "rows missing score or weight are not scored");
	risk_acc_add(&a, true, 70, true, 0, -1, NULL);
	ok(!risk_acc_score(&a, &score), "zero weights: no score");

	is_int(risk_class_of_score(90, NULL), 0, "90 is A (thresholds are minimums)");
	is_int(risk_class_of_score(89.999, NULL), 1, "89.999 is B");
	is_int(risk_class_of_score(60, NULL), 2, "60 is C");
	is_int(risk_class_of_score(59.9, NULL), 3, "59.9 is D");
	is_int(risk_class_of_score(94, th), 1, "94 is B under 95/80/70");

	risk_acc_init(&a);
	is_int(risk_acc_add(&a, true, 101, true, 1, -1, NULL), RC_BAD_SCORE, "score above 100 refused");
	is_int(risk_acc_add(&a, true, NAN, true, 1, -1, NULL), RC_BAD_SCORE, "NaN score refused");
	is_int(risk_acc_add(&a, true, 50, true, -1, -1, NULL), RC_BAD_WEIGHT, "negative weight refused");
	is_int(risk_acc_add(&a, true, 50, true, INFINITY, -1, NULL), RC_BAD_WEIGHT, "infinite weight refused");
	is_int(risk_acc_add(&a, true, 50, true, 1, -1, bad1), RC_BAD_THRESHOLDS, "ascending thresholds refused");
	is_int(risk_acc_add(&a, true, 50, true, 1, -1, bad2), RC_BAD_THRESHOLDS, "NaN threshold refused");
	is_int(risk_acc_add(&a, true, 50, true, 1, -1, th), RC_OK, "thresholds accepted");
	is_int(risk_acc_add(&a, true, 50, true, 1, -1, th), RC_OK, "the same thresholds again");
	th[0] = 96;
	is_int(risk_acc_add(&a, true, 50, true, 1, -1, th), RC_THRESHOLDS_DIFFER, "other thresholds in the same group refused");

	/* combine(split) == sequential, on random data */
	bad = 0;
	for (i = 0; i < 2000; i++)
	{
		int			n = 1 + (int) (rnd01() * 50),
					cut = (int) (rnd01() * n),
					k;
		double		s1,
					s2;

		risk_acc_init(&a);
		risk_acc_init(&b);
		risk_acc_init(&whole);
		for (k = 0; k < n; k++)
		{
			bool		hs = rnd01() > 0.1,
						hw = rnd01() > 0.1;
			double		sc = rnd01() * 100,
						w = rnd01() * 5;
			int			cap = rnd01() < 0.1 ? (int) (rnd01() * 4) : -1;

			risk_acc_add(k < cut ? &a : &b, hs, sc, hw, w, cap, NULL);
			risk_acc_add(&whole, hs, sc, hw, w, cap, NULL);
		}
		risk_acc_combine(&a, &b);
		if (risk_acc_class(&a) != risk_acc_class(&whole) ||
			risk_acc_score(&a, &s1) != risk_acc_score(&whole, &s2) ||
			(risk_acc_score(&a, &s1) && fabs(s1 - s2) > 1e-9))
			bad++;
	}
	is_int(bad, 0, "combine of two partial states equals one sequential pass (2000 random groups)");
	risk_acc_init(&a);
	risk_acc_init(&b);
	risk_acc_add(&a, true, 50, true, 1, -1, (double[3]) {90, 75, 60});
	risk_acc_add(&b, true, 50, true, 1, -1, (double[3]) {91, 75, 60});
	is_int(risk_acc_combine(&a, &b), RC_THRESHOLDS_DIFFER, "combining states with other thresholds is refused");
	return done_testing();
}
