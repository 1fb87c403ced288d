/*
 * repair_core.h
 *	  Credit-repair (信用修复) eligibility as a pure function of a record, its
 *	  rule and the facts on file.  No PostgreSQL headers.
 *
 * Dates are day numbers (PostgreSQL DateADT).  The caller gathers the facts
 * as of the date asked about; this file decides.
 */
#ifndef CREDIT_REPAIR_CORE_H
#define CREDIT_REPAIR_CORE_H

#include <stdbool.h>
#include <stdint.h>

/* reason bits, in the order credit.repair_eligibility() lists them */
#define RP_MIN_PERIOD		(1u << 0)	/* min_period_not_elapsed */
#define RP_NOT_REPAIRABLE	(1u << 1)	/* not_repairable_category */
#define RP_NOT_CORRECTED	(1u << 2)	/* not_corrected */
#define RP_SAME_TYPE		(1u << 3)	/* same_type_repaired_recently */
#define RP_LIMIT			(1u << 4)	/* repair_limit_reached */
#define RP_COMMITMENT		(1u << 5)	/* commitment_missing */
#define RP_INTERVIEW		(1u << 6)	/* interview_missing */
#define RP_TRAINING			(1u << 7)	/* training_missing */
#define RP_CREDIT_REPORT	(1u << 8)	/* credit_report_missing */
#define RP_OBJECTION		(1u << 9)	/* objection_open */
#define RP_ALREADY_REPAIRED (1u << 10)	/* already_repaired */
#define RP_NOT_PUBLISHED	(1u << 11)	/* not_published */
#define RP_EXPIRED			(1u << 12)	/* expired */
#define RP_NREASONS 13

extern const char *const repair_reason_codes[RP_NREASONS];

typedef enum repair_state
{
	RS_PUBLISHED, RS_UNDER_REPAIR, RS_REPAIRED, RS_EXPIRED, RS_REVOKED
} repair_state;

/* what the rules say (ruleset + publicity_rule) */
typedef struct repair_rule
{
	bool		published;
	bool		repairable;
	bool		requires_correction;
	bool		requires_commitment;
	bool		requires_public_commitment; /* only a public repair commitment
											 * (credit.commitment) counts */
	bool		requires_interview;
	bool		requires_credit_report;
	bool		requires_training;
	double		min_training_hours; /* 0: any training */
	/* ruleset limits: a window is (months, days); has_* false = no limit */
	bool		has_same_type_window;
	int32_t		same_type_months,
				same_type_days;
	int			repair_limit;	/* 0: no limit */
	int32_t		limit_months,
				limit_days;
} repair_rule;

/* an earlier repair of the same subject (another record) */
typedef struct repair_prior
{
	int64_t		decided_on;		/* the repair decision */
	bool		same_type;		/* same record category */
} repair_prior;

/* the record and the facts on file as of the date asked about */
typedef struct repair_facts
{
	repair_state state;
	bool		excluded;		/* its excluded_category is never repairable here */
	bool		has_starts,
				has_min_end,
				has_max_end;
	int64_t		starts,
				min_end,
				max_end;
	bool		has_corrected;
	int64_t		corrected_on;
	bool		has_commitment,
				has_interview,
				has_credit_report;	/* evidence provided on or before as_of */
	bool		has_signed_commitment,	/* a repair commitment in force on as_of */
				has_public_commitment;	/* ... one that is public */
	double		training_hours; /* provided on or before as_of */
	bool		objection_open; /* as of as_of */
	int			nprior;
	const repair_prior *prior;	/* decisions on or before as_of */
} repair_facts;

typedef struct repair_result
{
	bool		eligible;
	unsigned	reasons;		/* RP_* bits */
	bool		has_earliest;
	int64_t		earliest_on;	/* first date the time-based conditions hold */
} repair_result;

extern void repair_evaluate(const repair_rule *rule, const repair_facts *facts,
							int64_t as_of, repair_result *out);

#endif							/* CREDIT_REPAIR_CORE_H */
