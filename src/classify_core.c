/*
 * classify_core.c
 *	  Risk classification arithmetic (see classify_core.h).
 */
#include "classify_core.h"

#include <math.h>
#include <string.h>

void
risk_acc_init(risk_acc *a)
{
	memset(a, 0, sizeof(*a));
}

rc_error
risk_check_thresholds(const double *th)
{
	int			i;

	for (i = 0; i < 3; i++)
		if (!isfinite(th[i]) || th[i] < 0 || th[i] > 100)
			return RC_BAD_THRESHOLDS;
	if (!(th[0] >= th[1] && th[1] >= th[2]))
		return RC_BAD_THRESHOLDS;
	return RC_OK;
}

static rc_error
set_thresholds(risk_acc *a, const double *th)
{
	if (!a->has_th)
	{
		memcpy(a->th, th, sizeof(a->th));
		a->has_th = 1;
		return RC_OK;
	}
	if (a->th[0] != th[0] || a->th[1] != th[1] || a->th[2] != th[2])
		return RC_THRESHOLDS_DIFFER;
	return RC_OK;
}

rc_error
risk_acc_add(risk_acc *a, bool has_score, double score, bool has_weight,
			 double weight, int cap, const double *th)
{
	rc_error	e;

	if (th != NULL)
	{
		/* validated when first set; later rows only have to match them */
		if (!a->has_th && (e = risk_check_thresholds(th)) != RC_OK)
			return e;
		if ((e = set_thresholds(a, th)) != RC_OK)
			return e;
	}
	if (has_score && (!isfinite(score) || score < 0 || score > 100))
		return RC_BAD_SCORE;
	if (has_weight && (!isfinite(weight) || weight < 0))
		return RC_BAD_WEIGHT;
	if (has_score && has_weight)
	{
		a->sum_ws += weight * score;
		a->sum_w += weight;
		a->nscored++;
	}
	if (cap >= 0 && cap < RC_NCLASSES)
		a->ncap[cap]++;
	return RC_OK;
}

rc_error
risk_acc_combine(risk_acc *a, const risk_acc *b)
{
	int			i;

	if (b->has_th)
	{
		rc_error	e = set_thresholds(a, b->th);

		if (e != RC_OK)
			return e;
	}
	a->sum_ws += b->sum_ws;
	a->sum_w += b->sum_w;
	a->nscored += b->nscored;
	for (i = 0; i < RC_NCLASSES; i++)
		a->ncap[i] += b->ncap[i];
	return RC_OK;
}

bool
risk_acc_score(const risk_acc *a, double *score)
{
	if (a->nscored == 0 || a->sum_w <= 0)
		return false;
	*score = a->sum_ws / a->sum_w;
	return true;
}

int
risk_class_of_score(double score, const double *th)
{
	static const double def[3] = {RC_DEFAULT_A, RC_DEFAULT_B, RC_DEFAULT_C};

	if (th == NULL)
		th = def;
	if (score >= th[0])
		return 0;
	if (score >= th[1])
		return 1;
	if (score >= th[2])
		return 2;
	return 3;
}

int
risk_acc_class(const risk_acc *a)
{
	int			worst_cap = -1;
	int			cls = -1;
	double		score;
	int			i;

	for (i = RC_NCLASSES - 1; i >= 0; i--)
		if (a->ncap[i] > 0)
		{
			worst_cap = i;
			break;
		}
	if (risk_acc_score(a, &score))
		cls = risk_class_of_score(score, a->has_th ? a->th : NULL);
	return cls > worst_cap ? cls : worst_cap;
}
