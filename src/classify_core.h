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
	double		th[3];			/* thresholds for A, B, C */
	int32_t		has_th;			/* th[] set (from the first row giving them) */
	int32_t		pad;
} risk_acc;

typedef enum rc_error
{
	RC_OK = 0,
	RC_BAD_SCORE,				/* score outside 0..100 or not finite */
	RC_BAD_WEIGHT,				/* weight negative or not finite */
	RC_BAD_THRESHOLDS,			/* not three finite values, descending, in 0..100 */
	RC_THRESHOLDS_DIFFER		/* two rows of one group give other thresholds */
} rc_error;

extern void risk_acc_init(risk_acc *a);

/*
 * Add one row.  score/weight may be absent (has_* false): the row then only
 * counts for its cap.  cap is a class ordinal or -1.  th is NULL or three
 * thresholds.
 */
extern rc_error risk_acc_add(risk_acc *a, bool has_score, double score,
							 bool has_weight, double weight, int cap,
							 const double *th);

/* a += b (combine of partial states); RC_THRESHOLDS_DIFFER if they disagree */
extern rc_error risk_acc_combine(risk_acc *a, const risk_acc *b);

extern rc_error risk_check_thresholds(const double *th);

/* weighted mean; false when there is none (no weighted score) */
extern bool risk_acc_score(const risk_acc *a, double *score);

/* the class of a mean score under thresholds (NULL th: the default model) */
extern int	risk_class_of_score(double score, const double *th);

/*
 * The class: the mean's class, made no better than the worst cap seen;
 * the worst cap alone when nothing was scored; -1 when neither exists.
 */
extern int	risk_acc_class(const risk_acc *a);

#endif							/* CREDIT_CLASSIFY_CORE_H */
