/*
 * rules.h
 *	  The per-backend cache of credit.publicity_rule joined with
 *	  credit.ruleset (publicity.c), shared with the repair code.
 */
#ifndef CREDIT_RULES_H
#define CREDIT_RULES_H

#include "credit.h"
#include "repair_core.h"

typedef struct CreditRule
{
	const char *ruleset;
	const char *category;
	const char *severity;
	int			ruleset_len,	/* their lengths, for a quick compare */
				category_len,
				severity_len;
	bool		published;
	bool		anchor_disclosed;
	bool		has_min;
	int32		min_months;
	int32		min_days;
	bool		has_max;
	int32		max_months;
	int32		max_days;
	unsigned	excluded_mask;	/* bit k: excluded_category k is never repairable */
	repair_rule repair;			/* what a repair needs, with the ruleset's limits */
	int32		notice_working_days;
	int32		processing_working_days;
} CreditRule;

/*
 * Find the rule for (ruleset, category, severity), loading the cache when
 * needed; raises a clear error for an unknown ruleset, category, severity or
 * a combination without a rule.
 */
/* load the rules cache now if it is stale (it may run SPI) */
extern void credit_rules_ensure(void);

/* does any rule limit repairs by the subject's earlier repairs (Dandong)? */
extern bool credit_rules_any_limit(void);

extern const CreditRule *credit_rule_find(const char *ruleset, int rlen,
										  const char *category, int clen,
										  const char *severity, int slen);

#endif							/* CREDIT_RULES_H */
