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

	/*
	 * The same rows in every order give the same score, bit for bit, and a
	 * mean of exactly 60 is 60 (class C under the defaults), not
	 * 59.99999999999999: 0.1 + 0.2 + ... sums differ in their last bits by
	 * order, the score is rounded to 9 decimals.
	 */
	{
		static const double sc[6] = {59.7, 60.1, 60.2, 59.9, 60.3, 59.8};
		static const int perm[4][6] = {{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {2, 0, 4, 1, 5, 3}, {3, 5, 1, 4, 0, 2}};
		double		first = -1;
		int			same = 1,
					p,
					k;

		for (p = 0; p < 4; p++)
		{
			risk_acc_init(&a);
			for (k = 0; k < 6; k++)
				risk_acc_add(&a, true, sc[perm[p][k]], true, 0.1 * (1 + perm[p][k] % 3), -1, NULL);
			if (!risk_acc_score(&a, &score))
				same = 0;
			else if (p == 0)
				first = score;
			else if (score != first)
				same = 0;
		}
		ok(same, "the score does not depend on the order of the rows (bit for bit)");
		risk_acc_init(&a);
		for (k = 0; k < 10; k++)
			risk_acc_add(&a, true, 60 + (k % 2 ? 0.1 : -0.1), true, 0.1, -1, NULL);
		ok(risk_acc_score(&a, &score) && score == 60, "a mean of exactly 60 is 60");
		is_int(risk_acc_class(&a), 2, "... and so C under the defaults (60 <= score < 70)");
	}

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

	/* overflow of the weighted sums: an error, never Infinity or NaN */
	risk_acc_init(&a);
	is_int(risk_acc_add(&a, true, 50, true, 1e308, -1, NULL), RC_SUM_OVERFLOW,
		   "score 50 with weight 1e308: weight * score overflows");
	ok(a.sum_ws == 0 && a.sum_w == 0 && a.nscored == 0, "... and the state is unchanged");
	is_int(risk_acc_add(&a, true, 0, true, 1e308, -1, NULL), RC_OK, "score 0 with weight 1e308 is fine");
	is_int(risk_acc_add(&a, true, 0, true, 1e308, -1, NULL), RC_SUM_OVERFLOW, "... twice: the weight sum overflows");
	ok(risk_acc_score(&a, &score) && score == 0, "... and the mean stays 0");
	risk_acc_init(&a);
	for (i = 0, bad = RC_OK; i < 10 && bad == RC_OK; i++)
		bad = risk_acc_add(&a, true, 100, true, 1e306, -1, NULL);
	is_int(bad, RC_SUM_OVERFLOW, "weights 1e306 at score 100: the sum overflows after a few rows");
	ok(risk_acc_score(&a, &score) && score == 100, "... the state before the overflow still means 100");
	risk_acc_init(&a);
	risk_acc_init(&b);
	risk_acc_add(&a, true, 50, true, 2e306, -1, NULL);
	risk_acc_add(&b, true, 50, true, 2e306, -1, NULL);
	whole = a;
	is_int(risk_acc_combine(&a, &b), RC_SUM_OVERFLOW, "combining two large sums overflows");
	ok(memcmp(&a, &whole, sizeof(a)) == 0, "... and the state is unchanged");

	/* row counts never wrap */
	risk_acc_init(&a);
	a.nscored = INT64_MAX;
	is_int(risk_acc_add(&a, true, 50, true, 1, -1, NULL), RC_COUNT_OVERFLOW, "nscored at INT64_MAX: refused");
	a.ncap[2] = INT64_MAX;
	is_int(risk_acc_add(&a, false, 0, false, 0, 2, NULL), RC_COUNT_OVERFLOW, "a cap count at INT64_MAX: refused");
	risk_acc_init(&b);
	b.ncap[2] = 1;
	is_int(risk_acc_combine(&b, &a), RC_COUNT_OVERFLOW, "combine past INT64_MAX: refused");
	{
		int64_t		t[4] = {1, INT64_MAX - 1, 0, 0};
		int64_t		u[4] = {5, 1, 0, 0};
		int64_t		v[4] = {5, 2, 0, 0};
		int64_t		w[4] = {0, 0, -1, 0};

		is_int(rc_counts_add(t, u, 4), RC_OK, "tally combine up to INT64_MAX");
		ok(t[0] == 6 && t[1] == INT64_MAX, "... adds");
		is_int(rc_counts_add(t, v, 4), RC_COUNT_OVERFLOW, "tally combine past INT64_MAX: refused");
		ok(t[0] == 6, "... and nothing is added");
		is_int(rc_counts_add(t, w, 4), RC_COUNT_NEGATIVE, "tally combine with a negative count: refused");
		t[0] = 0;
		is_int(rc_count_step(&t[0], -1), RC_COUNT_NEGATIVE, "inverse transition below zero: refused");
		ok(t[0] == 0, "... the count stays 0");
		is_int(rc_count_step(&t[0], 1), RC_OK, "transition: +1");
		is_int(rc_count_step(&t[0], -1), RC_OK, "inverse transition: -1");
		is_int(rc_count_step(&t[1], 1), RC_COUNT_OVERFLOW, "transition past INT64_MAX: refused");
		ok(t[1] == INT64_MAX, "... the count stays INT64_MAX");
	}

	/* thresholds: given and NULL (the default model) do not mix */
	{
		double		t90[3] = {90, 75, 60};

		risk_acc_init(&a);
		is_int(risk_acc_thresholds(&a, NULL), RC_OK, "a row with NULL thresholds");
		is_int(a.has_th, RC_TH_DEFAULT, "... the state is in the default model");
		is_int(risk_acc_thresholds(&a, NULL), RC_OK, "another NULL row");
		is_int(risk_acc_thresholds(&a, t90), RC_THRESHOLDS_MIXED, "then a row giving thresholds: refused");
		is_int(risk_acc_add(&a, true, 50, true, 1, -1, t90), RC_THRESHOLDS_MIXED, "... also through risk_acc_add");
		risk_acc_init(&a);
		is_int(risk_acc_thresholds(&a, t90), RC_OK, "a row giving thresholds");
		is_int(risk_acc_thresholds(&a, NULL), RC_THRESHOLDS_MIXED, "then a NULL row: refused");
		risk_acc_init(&a);
		risk_acc_init(&b);
		risk_acc_thresholds(&a, t90);
		risk_acc_thresholds(&b, NULL);
		is_int(risk_acc_combine(&a, &b), RC_THRESHOLDS_MIXED, "combine: given + NULL thresholds refused");
		is_int(risk_acc_combine(&b, &a), RC_THRESHOLDS_MIXED, "combine: NULL + given thresholds refused");
		risk_acc_init(&whole);
		is_int(risk_acc_combine(&whole, &b), RC_OK, "combine into an empty state takes the other's kind");
		is_int(whole.has_th, RC_TH_DEFAULT, "... default");
		risk_acc_init(&b);
		is_int(risk_acc_combine(&a, &b), RC_OK, "combine with a state without thresholds (risk_score)");
		is_int(a.has_th, RC_TH_GIVEN, "... keeps the thresholds");
	}

	/* text form: only states an aggregate could produce */
	{
		static const struct
		{
			const char *text;
			rc_error	want;
		}			cases[] = {
			{"(170,2,2,0,0,1,0,90,75,60)", RC_OK},
			{" ( 170 , 2 ,2,0,0,1,0, 90,75,60 ) ", RC_OK},
			{"(0,0,0,0,0,0,0,,,)", RC_OK},
			{"(50,1,1,0,0,0,3,default,default,default)", RC_OK},
			{"(0,0,5,0,0,0,0,,,)", RC_OK},	/* five rows of weight 0 */
			{"(1,2,3)", RC_STATE_SYNTAX},
			{"(1,2,3,4,5,6,7,8,9,10,11)", RC_STATE_SYNTAX},
			{"(170,2,2,0,0,1,0,90,75,60)x", RC_STATE_SYNTAX},
			{"170,2,2,0,0,1,0,90,75,60)", RC_STATE_SYNTAX},
			{"(170,2,2,0,0,1,0,90,75,60", RC_STATE_SYNTAX},
			{"(170,2,2,0,0,1,0,90,75,)", RC_STATE_SYNTAX},
			{"(170,2,2,0,0,1,0,default,,)", RC_STATE_SYNTAX},
			{"(170,2,junk,0,0,1,0,,,)", RC_STATE_SYNTAX},
			{"(170,2,2,0,0,1,0x,,,)", RC_STATE_SYNTAX},
			{"(170,,2,0,0,1,0,,,)", RC_STATE_SYNTAX},
			{"(170,2,2,0,0,1,99999999999999999999,,,)", RC_STATE_SYNTAX},
			{"(nan(1),2,2,0,0,1,0,,,)", RC_STATE_SYNTAX},
			{"(NaN,2,2,0,0,0,0,,,)", RC_STATE_NOT_FINITE},
			{"(100,inf,2,0,0,0,0,,,)", RC_STATE_NOT_FINITE},
			{"(1e999,2,2,0,0,0,0,,,)", RC_STATE_NOT_FINITE},
			{"(-1,2,2,0,0,0,0,,,)", RC_STATE_NEGATIVE},
			{"(100,2,-2,0,0,0,0,,,)", RC_STATE_NEGATIVE},
			{"(100,2,2,0,-1,0,0,,,)", RC_STATE_NEGATIVE},
			{"(100,2,0,0,0,0,0,,,)", RC_STATE_UNSCORED},
			{"(201,2,2,0,0,0,0,,,)", RC_STATE_MEAN},
			{"(1,0,2,0,0,0,0,,,)", RC_STATE_MEAN},
			{"(100,2,2,0,0,0,0,60,75,90)", RC_BAD_THRESHOLDS},
			{"(100,2,2,0,0,0,0,90,75,NaN)", RC_BAD_THRESHOLDS},
		};
		size_t		k;

		for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
			is_int(risk_acc_parse(cases[k].text, &a), cases[k].want, "risk_acc text \"%s\"", cases[k].text);
		risk_acc_parse("(50,1,1,0,0,0,3,default,default,default)", &a);
		ok(a.has_th == RC_TH_DEFAULT && a.ncap[3] == 3 && a.sum_ws == 50, "\"default\" thresholds parsed");
		risk_acc_parse("(170,2,2,0,0,1,0,95,80,70)", &a);
		ok(a.has_th == RC_TH_GIVEN && a.th[0] == 95 && a.th[2] == 70 && a.nscored == 2, "given thresholds parsed");
	}

	/* every state the aggregate produces passes risk_acc_check */
	bad = 0;
	for (i = 0; i < 2000; i++)
	{
		int			n = 1 + (int) (rnd01() * 200),
					k;

		risk_acc_init(&a);
		for (k = 0; k < n; k++)
			risk_acc_add(&a, true, rnd01() < 0.3 ? 100 : rnd01() * 100, true,
						 rnd01() < 0.5 ? rnd01() * 1e-300 : rnd01() * 1e300, -1, NULL);
		if (risk_acc_check(&a) != RC_OK || !risk_acc_score(&a, &score) || score < 0 || score > 100)
			bad++;
	}
	is_int(bad, 0, "2000 random produced states pass risk_acc_check and mean 0..100");
	return done_testing();
}
