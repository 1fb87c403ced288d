/*
 * test_repair.c
 *	  Unit tests for repair_core.c: every reason, earliest_on, and the
 *	  same-type and repair-count windows at their edge days.
 */
#include "repair_core.h"
#include "workday_core.h"
#include "tap.h"

#include <string.h>

static int64_t
D(int y, int m, int d)
{
	return wd_days(y, m, d);
}

static repair_rule
national_general(void)
{
	repair_rule r;

	memset(&r, 0, sizeof(r));
	r.published = true;
	r.repairable = true;
	r.requires_correction = true;
	return r;
}

static repair_rule
dandong(void)
{
	repair_rule r = national_general();

	r.requires_commitment = r.requires_interview = r.requires_training = true;
	r.has_same_type_window = true;
	r.same_type_months = 36;
	r.repair_limit = 2;
	r.limit_months = 36;
	return r;
}

static repair_facts
published(int64_t starts, int64_t min_end, int64_t max_end)
{
	repair_facts f;

	memset(&f, 0, sizeof(f));
	f.state = RS_PUBLISHED;
	f.has_starts = f.has_min_end = f.has_max_end = true;
	f.starts = starts;
	f.min_end = min_end;
	f.max_end = max_end;
	f.has_corrected = true;
	f.corrected_on = starts + 5;
	return f;
}

int
main(void)
{
	repair_rule rule = national_general();
	repair_facts f = published(D(2026, 1, 31), D(2026, 4, 30), D(2027, 1, 31));
	repair_result res;
	repair_prior priors[3];

	repair_evaluate(&rule, &f, D(2026, 4, 29), &res);
	ok(!res.eligible && res.reasons == RP_MIN_PERIOD, "the day before min_end: min_period_not_elapsed only");
	is_int(res.earliest_on, D(2026, 4, 30), "earliest_on is min_end");
	repair_evaluate(&rule, &f, D(2026, 4, 30), &res);
	ok(res.eligible && res.reasons == 0, "on min_end: eligible");
	repair_evaluate(&rule, &f, D(2027, 1, 31), &res);
	ok(res.reasons == RP_EXPIRED, "on max_end: expired");
	f.has_corrected = false;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == RP_NOT_CORRECTED, "not corrected");
	f.has_corrected = true;
	f.corrected_on = D(2026, 5, 2);
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == RP_NOT_CORRECTED, "corrected after as_of counts as not corrected");
	f.corrected_on = D(2026, 2, 1);
	f.objection_open = true;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == RP_OBJECTION, "objection_open");
	f.objection_open = false;

	f.state = RS_REPAIRED;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == RP_ALREADY_REPAIRED && !res.has_earliest, "already repaired: never");
	f.state = RS_REVOKED;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == RP_NOT_PUBLISHED && !res.has_earliest, "revoked: not_published");
	f.state = RS_PUBLISHED;
	f.excluded = true;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == RP_NOT_REPAIRABLE && !res.has_earliest, "excluded category: never");
	f.excluded = false;
	rule.published = false;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok((res.reasons & RP_NOT_PUBLISHED) && !res.has_earliest, "unpublished rule: not_published");
	rule.published = true;

	/* national-2019 serious: 3 class hours and a credit report */
	rule.requires_training = true;
	rule.min_training_hours = 3;
	rule.requires_credit_report = true;
	f.training_hours = 2.5;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == (RP_TRAINING | RP_CREDIT_REPORT), "2.5 of 3 hours, no report");
	f.training_hours = 3;
	f.has_credit_report = true;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.eligible, "3 hours and a report");
	rule.min_training_hours = 0;
	f.training_hours = 0;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == RP_TRAINING, "training required without hours: some training needed");

	/* the commitment: 令第36号 wants a public repair commitment in force */
	rule = national_general();
	rule.requires_commitment = true;
	rule.requires_public_commitment = true;
	f = published(D(2026, 1, 31), D(2026, 4, 30), D(2027, 1, 31));
	f.has_commitment = true;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == RP_COMMITMENT, "public commitment required: a commitment on file as evidence is not enough");
	f.has_signed_commitment = true;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == RP_COMMITMENT, "... nor a repair commitment that is not public");
	f.has_public_commitment = true;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.eligible, "... a public repair commitment in force is");
	rule.requires_public_commitment = false;
	f.has_public_commitment = f.has_signed_commitment = false;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.eligible, "other rulesets: a commitment on file as evidence counts");
	f.has_commitment = false;
	f.has_signed_commitment = true;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.eligible, "... and so does a repair commitment, public or not");
	f.has_signed_commitment = false;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.reasons == RP_COMMITMENT, "... neither: commitment_missing");
	rule.requires_commitment = false;
	rule.requires_public_commitment = true;
	repair_evaluate(&rule, &f, D(2026, 5, 1), &res);
	ok(res.eligible, "no commitment required: the ruleset's public-commitment flag alone asks for nothing");

	/* Dandong: all reasons at once */
	rule = dandong();
	f = published(D(2025, 11, 10), D(2026, 5, 10), D(2026, 11, 10));
	f.has_corrected = false;
	repair_evaluate(&rule, &f, D(2026, 5, 9), &res);
	is_int(res.reasons, RP_MIN_PERIOD | RP_NOT_CORRECTED | RP_COMMITMENT | RP_INTERVIEW | RP_TRAINING,
		   "every applicable reason, not only the first");
	f.has_corrected = true;
	f.has_commitment = f.has_interview = true;
	f.training_hours = 1;

	/* same type repaired on 2024-06-01: free from 2027-06-01, after max_end */
	priors[0].decided_on = D(2024, 6, 1);
	priors[0].same_type = true;
	f.prior = priors;
	f.nprior = 1;
	repair_evaluate(&rule, &f, D(2026, 6, 1), &res);
	ok(res.reasons == RP_SAME_TYPE && !res.has_earliest, "same type within 3 years; the publication ends first: never");
	f.max_end = D(2028, 1, 1);
	repair_evaluate(&rule, &f, D(2027, 5, 31), &res);
	ok(res.reasons == RP_SAME_TYPE, "the day before the same-type window ends");
	is_int(res.earliest_on, D(2027, 6, 1), "earliest_on is the end of the same-type window");
	repair_evaluate(&rule, &f, D(2027, 6, 1), &res);
	ok(res.eligible, "the day the same-type window ends");
	priors[0].same_type = false;
	repair_evaluate(&rule, &f, D(2026, 6, 1), &res);
	ok(res.eligible, "another type repaired once: fine");

	/* two repairs within 3 years: the limit of 2 is reached until the older leaves */
	priors[1].decided_on = D(2025, 3, 15);
	priors[1].same_type = false;
	f.nprior = 2;
	repair_evaluate(&rule, &f, D(2026, 6, 1), &res);
	ok(res.reasons == RP_LIMIT, "2 repairs within 3 years: repair_limit_reached");
	is_int(res.earliest_on, D(2027, 6, 1), "free once the 2nd most recent (2024-06-01) is 3 years old");
	repair_evaluate(&rule, &f, D(2027, 5, 31), &res);
	ok(res.reasons == RP_LIMIT, "the day before");
	repair_evaluate(&rule, &f, D(2027, 6, 1), &res);
	ok(res.eligible, "the day the window passes");
	priors[2].decided_on = D(2026, 1, 10);
	priors[2].same_type = false;
	f.nprior = 3;
	repair_evaluate(&rule, &f, D(2026, 6, 1), &res);
	ok(!res.has_earliest, "three repairs, free on 2028-03-15, after max_end 2028-01-01: never");
	f.max_end = D(2029, 1, 1);
	repair_evaluate(&rule, &f, D(2026, 6, 1), &res);
	is_int(res.earliest_on, D(2028, 3, 15), "three repairs: free when the 2nd most recent (2025-03-15) leaves");
	f.max_end = D(2028, 3, 15);
	repair_evaluate(&rule, &f, D(2026, 6, 1), &res);
	ok(!res.has_earliest, "free only on max_end: never");

	return done_testing();
}
