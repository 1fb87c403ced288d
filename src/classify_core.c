/*
 * classify_core.c
 *	  Risk classification arithmetic (see classify_core.h).
 */
#include "classify_core.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
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

rc_error
risk_acc_thresholds(risk_acc *a, const double *th)
{
	rc_error	e;

	if (th == NULL)
	{
		if (a->has_th == RC_TH_GIVEN)
			return RC_THRESHOLDS_MIXED;
		a->has_th = RC_TH_DEFAULT;
		return RC_OK;
	}
	switch (a->has_th)
	{
		case RC_TH_NONE:
			/* validated when first set; later rows only have to match them */
			if ((e = risk_check_thresholds(th)) != RC_OK)
				return e;
			memcpy(a->th, th, sizeof(a->th));
			a->has_th = RC_TH_GIVEN;
			return RC_OK;
		case RC_TH_GIVEN:
			if (a->th[0] != th[0] || a->th[1] != th[1] || a->th[2] != th[2])
				return RC_THRESHOLDS_DIFFER;
			return RC_OK;
		default:
			return RC_THRESHOLDS_MIXED;
	}
}

/* *count += delta for a non-negative delta, without passing INT64_MAX */
static inline bool
count_add(int64_t *count, int64_t delta)
{
	if (delta < 0 || *count > INT64_MAX - delta)
		return false;
	*count += delta;
	return true;
}

rc_error
risk_acc_add(risk_acc *a, bool has_score, double score, bool has_weight,
			 double weight, int cap, const double *th)
{
	risk_acc	n = *a;
	rc_error	e;

	if (th != NULL && (e = risk_acc_thresholds(&n, th)) != RC_OK)
		return e;
	if (has_score && (!isfinite(score) || score < 0 || score > 100))
		return RC_BAD_SCORE;
	if (has_weight && (!isfinite(weight) || weight < 0))
		return RC_BAD_WEIGHT;
	if (has_score && has_weight)
	{
		n.sum_ws += weight * score;
		n.sum_w += weight;
		if (!isfinite(n.sum_ws) || !isfinite(n.sum_w))
			return RC_SUM_OVERFLOW;
		if (!count_add(&n.nscored, 1))
			return RC_COUNT_OVERFLOW;
	}
	if (cap >= 0 && cap < RC_NCLASSES && !count_add(&n.ncap[cap], 1))
		return RC_COUNT_OVERFLOW;
	*a = n;
	return RC_OK;
}

rc_error
risk_acc_combine(risk_acc *a, const risk_acc *b)
{
	risk_acc	n = *a;
	int			i;

	if (b->has_th != RC_TH_NONE)
	{
		if (n.has_th == RC_TH_NONE)
		{
			memcpy(n.th, b->th, sizeof(n.th));
			n.has_th = b->has_th;
		}
		else if (n.has_th != b->has_th)
			return RC_THRESHOLDS_MIXED;
		else if (n.has_th == RC_TH_GIVEN &&
				 (n.th[0] != b->th[0] || n.th[1] != b->th[1] || n.th[2] != b->th[2]))
			return RC_THRESHOLDS_DIFFER;
	}
	n.sum_ws += b->sum_ws;
	n.sum_w += b->sum_w;
	if (!isfinite(n.sum_ws) || !isfinite(n.sum_w))
		return RC_SUM_OVERFLOW;
	if (!count_add(&n.nscored, b->nscored))
		return b->nscored < 0 ? RC_COUNT_NEGATIVE : RC_COUNT_OVERFLOW;
	for (i = 0; i < RC_NCLASSES; i++)
		if (!count_add(&n.ncap[i], b->ncap[i]))
			return b->ncap[i] < 0 ? RC_COUNT_NEGATIVE : RC_COUNT_OVERFLOW;
	*a = n;
	return RC_OK;
}

rc_error
rc_counts_add(int64_t *t, const int64_t *u, int n)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		if (u[i] < 0)
			return RC_COUNT_NEGATIVE;
		if (t[i] > INT64_MAX - u[i])
			return RC_COUNT_OVERFLOW;
	}
	for (i = 0; i < n; i++)
		t[i] += u[i];
	return RC_OK;
}

rc_error
risk_acc_check(const risk_acc *a)
{
	int			i;

	if (!isfinite(a->sum_ws) || !isfinite(a->sum_w))
		return RC_STATE_NOT_FINITE;
	if (a->sum_ws < 0 || a->sum_w < 0 || a->nscored < 0)
		return RC_STATE_NEGATIVE;
	for (i = 0; i < RC_NCLASSES; i++)
		if (a->ncap[i] < 0)
			return RC_STATE_NEGATIVE;
	if (a->nscored == 0 && (a->sum_ws != 0 || a->sum_w != 0))
		return RC_STATE_UNSCORED;
	/* every score is at most 100, so sum_ws <= 100 * sum_w up to rounding */
	if (a->sum_ws > 100 * a->sum_w * (1 + RC_MEAN_SLACK))
		return RC_STATE_MEAN;
	switch (a->has_th)
	{
		case RC_TH_NONE:
		case RC_TH_DEFAULT:
			break;
		case RC_TH_GIVEN:
			if (risk_check_thresholds(a->th) != RC_OK)
				return RC_BAD_THRESHOLDS;
			break;
		default:
			return RC_STATE_SYNTAX;
	}
	return RC_OK;
}

static inline bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* is [s, e) blank, or empty? */
static bool
field_empty(const char *s, const char *e)
{
	while (s < e && is_blank(*s))
		s++;
	return s == e;
}

/* does [s, e) hold word, blanks around it allowed? */
static bool
field_is(const char *s, const char *e, const char *word)
{
	size_t		n = strlen(word);

	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		e--;
	return (size_t) (e - s) == n && memcmp(s, word, n) == 0;
}

/*
 * A number filling [s, e).  The field ends at ',' or ')', which strtod and
 * strtoll never consume.
 */
static bool
field_double(const char *s, const char *e, double *out)
{
	char	   *end;

	if (field_empty(s, e))
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return end != s && field_empty(end, e);
}

static bool
field_int64(const char *s, const char *e, int64_t *out)
{
	char	   *end;
	long long	v;

	if (field_empty(s, e))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno == ERANGE || !field_empty(end, e))
		return false;
	*out = (int64_t) v;
	return true;
}

rc_error
risk_acc_parse(const char *str, risk_acc *a)
{
	const char *start[RC_ACC_TEXT_FIELDS];
	const char *stop[RC_ACC_TEXT_FIELDS];
	const char *p = str;
	int			nf = 0;
	int			i;

	risk_acc_init(a);
	while (is_blank(*p))
		p++;
	if (*p++ != '(')
		return RC_STATE_SYNTAX;
	start[0] = p;
	for (;; p++)
	{
		if (*p == '\0' || *p == '(')
			return RC_STATE_SYNTAX;
		if (*p != ',' && *p != ')')
			continue;
		if (nf == RC_ACC_TEXT_FIELDS)
			return RC_STATE_SYNTAX;
		stop[nf++] = p;
		if (*p == ')')
			break;
		if (nf < RC_ACC_TEXT_FIELDS)
			start[nf] = p + 1;
	}
	if (nf != RC_ACC_TEXT_FIELDS)
		return RC_STATE_SYNTAX;
	for (p++; is_blank(*p); p++)
		;
	if (*p != '\0')
		return RC_STATE_SYNTAX;

	if (!field_double(start[0], stop[0], &a->sum_ws) ||
		!field_double(start[1], stop[1], &a->sum_w) ||
		!field_int64(start[2], stop[2], &a->nscored))
		return RC_STATE_SYNTAX;
	for (i = 0; i < RC_NCLASSES; i++)
		if (!field_int64(start[3 + i], stop[3 + i], &a->ncap[i]))
			return RC_STATE_SYNTAX;
	if (field_empty(start[7], stop[7]) && field_empty(start[8], stop[8]) &&
		field_empty(start[9], stop[9]))
		a->has_th = RC_TH_NONE;
	else if (field_is(start[7], stop[7], "default") && field_is(start[8], stop[8], "default") &&
			 field_is(start[9], stop[9], "default"))
		a->has_th = RC_TH_DEFAULT;
	else
	{
		for (i = 0; i < 3; i++)
			if (!field_double(start[7 + i], stop[7 + i], &a->th[i]))
				return RC_STATE_SYNTAX;
		a->has_th = RC_TH_GIVEN;
	}
	return risk_acc_check(a);
}

bool
risk_acc_score(const risk_acc *a, double *score)
{
	if (a->nscored == 0 || a->sum_w <= 0)
		return false;
	*score = a->sum_ws / a->sum_w;
	/*
	 * To 9 decimals: the sums' last bits depend on the order the rows came
	 * in (another plan, another node of a cluster), and a mean of exactly
	 * 60 must not come out as 59.99999999999999 under one order and 60 under
	 * another, one side of a class threshold or the other.
	 */
	*score = round(*score * 1e9) / 1e9;
	/* a mean of scores in 0..100, whatever the rounding of the sums */
	if (*score > 100)
		*score = 100;
	else if (!(*score >= 0))
		*score = 0;
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
			break;
	worst_cap = i;
	if (risk_acc_score(a, &score))
		cls = risk_class_of_score(score, a->has_th == RC_TH_GIVEN ? a->th : NULL);
	return cls > worst_cap ? cls : worst_cap;
}
