/*
 * repair_core.c
 *	  Credit-repair eligibility (see repair_core.h).
 *
 * Every applicable reason is reported, not only the first.  earliest_on is
 * the first date on which the time-based conditions hold together: the
 * minimum publicity period has passed, and the same-type and repair-count
 * windows of earlier repairs have run out.  It is NULL (has_earliest false)
 * when that never happens: the record is final, unpublished or not
 * repairable, or the publication ends first.
 */
#include "repair_core.h"

#include <stdlib.h>

#include "workday_core.h"

const char *const repair_reason_codes[RP_NREASONS] = {
	"min_period_not_elapsed",
	"not_repairable_category",
	"not_corrected",
	"same_type_repaired_recently",
	"repair_limit_reached",
	"commitment_missing",
	"interview_missing",
	"training_missing",
	"credit_report_missing",
	"objection_open",
	"already_repaired",
	"not_published",
	"expired",
};

static int
cmp_desc(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return (x < y) - (x > y);
}

void
repair_evaluate(const repair_rule *rule, const repair_facts *f, int64_t as_of,
				repair_result *out)
{
	unsigned	r = 0;
	bool		never = false;
	int64_t		t;
	int			i;

	/* final states and publication */
	if (f->state == RS_REPAIRED)
		r |= RP_ALREADY_REPAIRED;
	if (f->state == RS_EXPIRED || (f->has_max_end && as_of >= f->max_end))
		r |= RP_EXPIRED;
	if (f->state == RS_REVOKED || !rule->published || !f->has_starts || as_of < f->starts)
		r |= RP_NOT_PUBLISHED;
	if (!rule->repairable || f->excluded)
		r |= RP_NOT_REPAIRABLE;
	never = f->state == RS_REPAIRED || f->state == RS_EXPIRED ||
		f->state == RS_REVOKED || !rule->published || !f->has_starts ||
		!rule->repairable || f->excluded;

	/* the minimum period (no minimum: from the first day shown) */
	t = f->has_min_end ? f->min_end : f->starts;
	if (f->has_min_end && as_of < f->min_end)
		r |= RP_MIN_PERIOD;

	/* earlier repairs of the same subject */
	if (rule->has_same_type_window)
	{
		for (i = 0; i < f->nprior; i++)
		{
			int64_t		free_from;

			if (!f->prior[i].same_type)
				continue;
			free_from = wd_add_months_days(f->prior[i].decided_on,
										   rule->same_type_months, rule->same_type_days);
			if (as_of < free_from)
				r |= RP_SAME_TYPE;
			if (free_from > t)
				t = free_from;
		}
	}
	if (rule->repair_limit > 0 && f->nprior >= rule->repair_limit)
	{
		int64_t		stack[16];
		int64_t    *d = f->nprior <= 16 ? stack : malloc(sizeof(int64_t) * f->nprior);
		int			inside = 0;

		if (d != NULL)
		{
			for (i = 0; i < f->nprior; i++)
				d[i] = f->prior[i].decided_on;
			qsort(d, f->nprior, sizeof(int64_t), cmp_desc);
			for (i = 0; i < f->nprior; i++)
				if (as_of < wd_add_months_days(d[i], rule->limit_months, rule->limit_days))
					inside++;
			if (inside >= rule->repair_limit)
				r |= RP_LIMIT;
			/* fewer than `limit` inside the window once the limit-th latest leaves it */
			{
				int64_t		free_from = wd_add_months_days(d[rule->repair_limit - 1],
														   rule->limit_months, rule->limit_days);

				if (free_from > t)
					t = free_from;
			}
			if (d != stack)
				free(d);
		}
	}

	/* what must be on file */
	if (rule->requires_correction && (!f->has_corrected || f->corrected_on > as_of))
		r |= RP_NOT_CORRECTED;
	/*
	 * the commitment: a public repair commitment in force where the ruleset
	 * asks for one (令第36号), else also a commitment on file as evidence
	 */
	if (rule->requires_commitment &&
		!(rule->requires_public_commitment ? f->has_public_commitment
		  : (f->has_commitment || f->has_signed_commitment)))
		r |= RP_COMMITMENT;
	if (rule->requires_interview && !f->has_interview)
		r |= RP_INTERVIEW;
	if (rule->requires_training &&
		(rule->min_training_hours > 0 ? f->training_hours < rule->min_training_hours
		 : f->training_hours <= 0))
		r |= RP_TRAINING;
	if (rule->requires_credit_report && !f->has_credit_report)
		r |= RP_CREDIT_REPORT;
	if (f->objection_open)
		r |= RP_OBJECTION;

	out->reasons = r;
	out->eligible = (r == 0);
	out->has_earliest = !never && !(f->has_max_end && t >= f->max_end);
	out->earliest_on = out->has_earliest ? t : 0;
}
