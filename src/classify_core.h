/*
 * classify_core.h
 *	  Risk classification (A/B/C/D) arithmetic behind the aggregates
 *	  credit.risk_score, credit.risk_class, credit.class_counts and
 *	  credit.class_migration.  No PostgreSQL headers.
 *
 * Classes are ordinals 0..3 = A..D (A = low risk); -1 means "none".
 */
#ifndef CREDIT_CLASSIFY_CORE_H
#define CREDIT_CLASSIFY_CORE_H

#include <stdbool.h>
#include <stdint.h>

#define RC_NCLASSES 4

/* default model: minimum weighted mean score for A, B and C */
#define RC_DEFAULT_A 90.0
#define RC_DEFAULT_B 75.0
#define RC_DEFAULT_C 60.0

/*
 * Transition state of risk_score and risk_class: the stored form of the SQL
 * type credit.risk_acc (fixed length, 88 bytes, updated in place).
 */
typedef struct risk_acc
{
	double		sum_ws;			/* sum of weight * score */
	double		sum_w;			/* sum of weights */
	int64_t		nscored;		/* rows with a score and a weight */
	int64_t		ncap[RC_NCLASSES];	/* rows capped at each class */
	double		th[3];			/* thresholds for A, B, C (RC_TH_GIVEN only) */
	int32_t		has_th;			/* RC_TH_*: what the rows said about thresholds */
	int32_t		pad;
} risk_acc;

/*
 * risk_acc.has_th.  Every row of one group must agree: all rows give the same
 * thresholds, or all give NULL (the default model).  risk_score's rows say
 * nothing about thresholds and leave RC_TH_NONE.
 */
#define RC_TH_NONE		0		/* no row has said anything (risk_score) */
#define RC_TH_GIVEN		1		/* rows gave the thresholds th[] */
#define RC_TH_DEFAULT	2		/* rows gave NULL thresholds: the default model */

/* text form of a state: (sum_ws,sum_w,nscored,nA,nB,nC,nD,tA,tB,tC) */
#define RC_ACC_TEXT_FIELDS 10

/*
 * risk_acc_check() tolerance: a state's weighted sum may exceed 100 times its
 * weight sum by this relative amount (rounding in sums of many rows).
 */
#define RC_MEAN_SLACK 1e-6

typedef enum rc_error
{
	RC_OK = 0,
	RC_BAD_SCORE,				/* score outside 0..100 or not finite */
	RC_BAD_WEIGHT,				/* weight negative or not finite */
	RC_BAD_THRESHOLDS,			/* not three finite values, descending, in 0..100 */
	RC_THRESHOLDS_DIFFER,		/* two rows of one group give other thresholds */
	RC_THRESHOLDS_MIXED,		/* rows give thresholds, other rows of the group NULL */
	RC_SUM_OVERFLOW,			/* a weighted sum is no longer a finite double */
	RC_COUNT_OVERFLOW,			/* a count would pass INT64_MAX */
	RC_COUNT_NEGATIVE,			/* a count would go below zero */
	/* risk_acc_parse() / risk_acc_check(): a state no aggregate produces */
	RC_STATE_SYNTAX,			/* not (10 fields) as risk_acc_out writes them */
	RC_STATE_NOT_FINITE,		/* sum_ws or sum_w infinite or NaN */
	RC_STATE_NEGATIVE,			/* a sum or a count below zero */
	RC_STATE_UNSCORED,			/* non-zero sums with nscored = 0 */
	RC_STATE_MEAN				/* sum_ws > 100 * sum_w: a mean above 100 */
} rc_error;

extern void risk_acc_init(risk_acc *a);

/*
 * Add one row.  score/weight may be absent (has_* false): the row then only
 * counts for its cap.  cap is a class ordinal or -1.  th is NULL (the row says
 * nothing about thresholds) or three thresholds (as risk_acc_thresholds).
 * Scores are 0..100, weights finite and >= 0; the sums must stay finite and
 * the counts below INT64_MAX.  On error *a is unchanged.
 */
extern rc_error risk_acc_add(risk_acc *a, bool has_score, double score,
							 bool has_weight, double weight, int cap,
							 const double *th);

/*
 * A risk_class row's thresholds: th = three thresholds, or NULL for a row
 * giving NULL (the default model).  RC_THRESHOLDS_MIXED when the group's other
 * rows gave the other kind, RC_THRESHOLDS_DIFFER when they gave other values.
 */
extern rc_error risk_acc_thresholds(risk_acc *a, const double *th);

/*
 * a += b (combine of partial states); RC_THRESHOLDS_DIFFER / _MIXED if they
 * disagree, RC_SUM_OVERFLOW / RC_COUNT_OVERFLOW past the limits.  On error
 * *a is unchanged.
 */
extern rc_error risk_acc_combine(risk_acc *a, const risk_acc *b);

/*
 * Is *a a state the aggregates could have produced?  RC_OK or the first
 * RC_STATE_* / RC_BAD_THRESHOLDS problem.
 */
extern rc_error risk_acc_check(const risk_acc *a);

/*
 * Parse the text form (sum_ws,sum_w,nscored,nA,nB,nC,nD,tA,tB,tC): the
 * thresholds are three numbers, three empty fields (RC_TH_NONE) or three
 * times "default" (RC_TH_DEFAULT).  Blanks around the fields are allowed.
 * The result is checked with risk_acc_check().
 */
extern rc_error risk_acc_parse(const char *str, risk_acc *a);

/*
 * Tally counters: one row more (delta +1) or less (-1, the inverse transition
 * of a moving window).  Never past INT64_MAX, never below zero.
 */
static inline rc_error
rc_count_step(int64_t *count, int delta)
{
	if (delta > 0)
	{
		if (*count == INT64_MAX)
			return RC_COUNT_OVERFLOW;
	}
	else if (*count <= 0)
		return RC_COUNT_NEGATIVE;
	*count += delta;
	return RC_OK;
}

/*
 * t[i] += u[i] for n counters (combine of two tallies), all or nothing:
 * RC_COUNT_NEGATIVE if a u[i] is negative, RC_COUNT_OVERFLOW past INT64_MAX.
 */
extern rc_error rc_counts_add(int64_t *t, const int64_t *u, int n);

extern rc_error risk_check_thresholds(const double *th);

/*
 * weighted mean, within 0..100 (rounding of the sums never pushes it out);
 * false when there is none (no weighted score)
 */
extern bool risk_acc_score(const risk_acc *a, double *score);

/* the class of a mean score under thresholds (NULL th: the default model) */
extern int	risk_class_of_score(double score, const double *th);

/*
 * The class: the mean's class, made no better than the worst cap seen;
 * the worst cap alone when nothing was scored; -1 when neither exists.
 */
extern int	risk_acc_class(const risk_acc *a);

#endif							/* CREDIT_CLASSIFY_CORE_H */
