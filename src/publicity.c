/*
 * publicity.c
 *	  Publicity periods (公示期): the rules cache, credit.publicity_window()
 *	  and the generic BEFORE ROW trigger credit.publicity_trigger().
 *
 * The rules of credit.publicity_rule (and the names of credit.ruleset and
 * credit.record_category) are cached per backend and dropped on a relcache
 * invalidation of any of those tables, which credit.config_changed() sends
 * after every statement that changes them.  The trigger therefore costs a
 * few column reads, one cached lookup and some date arithmetic per row.
 */
#include "credit.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "rules.h"
#include "workday_core.h"

char	   *credit_default_ruleset = NULL;


typedef struct RulesCache
{
	bool		valid;
	MemoryContext cxt;
	int			nrules;
	CreditRule *rules;
	int			nrulesets;
	char	  **rulesets;
	DateADT    *rs_in_force;	/* per ruleset: in force from (DATEVAL_NOBEGIN: always) */
	int		   *rs_replaces;	/* per ruleset: index of the ruleset it replaces, or -1 */
	int			ncategories;
	char	  **categories;
	const CreditRule *last;		/* memo of the last hit */
	/* memo of hits by a hash of (ruleset, category, severity): records come in any order */
#define RULE_MEMO 256
	const CreditRule *memo[RULE_MEMO];
} RulesCache;

static RulesCache rc = {false};

/* relids whose changes drop the caches (resolved lazily) */
#define NWATCHED 4
static Oid	watched_relids[NWATCHED];

void
credit_rules_invalidate(void)
{
	rc.valid = false;
	rc.last = NULL;
}

static void
credit_relcache_callback(Datum arg, Oid relid)
{
	int			i;

	if (relid == InvalidOid)
	{
		credit_rules_invalidate();
		credit_calendar_invalidate();
		return;
	}
	for (i = 0; i < NWATCHED; i++)
		if (watched_relids[i] == relid)
		{
			credit_rules_invalidate();
			credit_calendar_invalidate();
			return;
		}
}

void
credit_register_invalidation(void)
{
	CacheRegisterRelcacheCallback(credit_relcache_callback, (Datum) 0);
}

void
credit_watch_relids(void)
{
	Oid			nsp = get_namespace_oid("credit", true);

	if (!OidIsValid(nsp))
		return;
	watched_relids[0] = get_relname_relid("calendar", nsp);
	watched_relids[1] = get_relname_relid("publicity_rule", nsp);
	watched_relids[2] = get_relname_relid("ruleset", nsp);
	watched_relids[3] = get_relname_relid("record_category", nsp);
}

static void
interval_parts(Datum d, int32 *months, int32 *days)
{
	Interval   *iv = DatumGetIntervalP(d);

	*months = iv->month;
	*days = iv->day;
}

/* the first column of query's rows; the result stays in SPI_tuptable */
static char **
load_names(const char *query, int *n)
{
	char	  **names;
	uint64		i;

	if (SPI_execute(query, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not run \"%s\"", query);
	*n = (int) SPI_processed;
	names = MemoryContextAlloc(rc.cxt, sizeof(char *) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
		names[i] = MemoryContextStrdup(rc.cxt,
									   SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	return names;
}

static void
rules_load(void)
{
	uint64		i;

	if (rc.cxt == NULL)
		rc.cxt = AllocSetContextCreate(CacheMemoryContext, "credit rules cache",
									   ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(rc.cxt);
	rc.valid = false;
	rc.last = NULL;
	memset(rc.memo, 0, sizeof(rc.memo));
	credit_watch_relids();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(psprintf("SELECT p.ruleset, p.category, p.severity, p.published, p.anchor = 'disclosed_on', "
							 "p.min_period, p.max_period, p.repairable, p.requires_correction, "
							 "p.requires_commitment, p.requires_interview, p.min_training_hours::float8, "
							 "p.requires_credit_report, r.excluded_categories, r.same_type_window, "
							 "r.repair_limit, r.repair_limit_window, r.notice_working_days, r.processing_working_days, "
							 "r.requires_public_commitment "
							 "FROM %s p JOIN %s r ON r.ruleset = p.ruleset",
							 credit_local_table("publicity_rule"), credit_local_table("ruleset")),
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read credit.publicity_rule");
	rc.nrules = (int) SPI_processed;
	rc.rules = MemoryContextAllocZero(rc.cxt, sizeof(CreditRule) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	td = SPI_tuptable->tupdesc;
		CreditRule *r = &rc.rules[i];
		repair_rule *rp = &r->repair;
		bool		isnull;
		Datum		d;

		r->ruleset = MemoryContextStrdup(rc.cxt, SPI_getvalue(tup, td, 1));
		r->category = MemoryContextStrdup(rc.cxt, SPI_getvalue(tup, td, 2));
		r->severity = MemoryContextStrdup(rc.cxt, SPI_getvalue(tup, td, 3));
		r->ruleset_len = strlen(r->ruleset);
		r->category_len = strlen(r->category);
		r->severity_len = strlen(r->severity);
		r->published = DatumGetBool(SPI_getbinval(tup, td, 4, &isnull));
		r->anchor_disclosed = DatumGetBool(SPI_getbinval(tup, td, 5, &isnull));
		d = SPI_getbinval(tup, td, 6, &isnull);
		r->has_min = !isnull;
		if (!isnull)
			interval_parts(d, &r->min_months, &r->min_days);
		d = SPI_getbinval(tup, td, 7, &isnull);
		r->has_max = !isnull;
		if (!isnull)
			interval_parts(d, &r->max_months, &r->max_days);

		rp->published = r->published;
		rp->repairable = DatumGetBool(SPI_getbinval(tup, td, 8, &isnull));
		rp->requires_correction = DatumGetBool(SPI_getbinval(tup, td, 9, &isnull));
		rp->requires_commitment = DatumGetBool(SPI_getbinval(tup, td, 10, &isnull));
		rp->requires_interview = DatumGetBool(SPI_getbinval(tup, td, 11, &isnull));
		d = SPI_getbinval(tup, td, 12, &isnull);
		rp->requires_training = !isnull;
		rp->min_training_hours = isnull ? 0 : DatumGetFloat8(d);
		rp->requires_credit_report = DatumGetBool(SPI_getbinval(tup, td, 13, &isnull));
		d = SPI_getbinval(tup, td, 14, &isnull);
		if (!isnull)
		{
			ArrayType  *arr = DatumGetArrayTypeP(d);
			Datum	   *elems;
			bool	   *enulls;
			int			n,
						k;

			deconstruct_array(arr, INT2OID, 2, true, TYPALIGN_SHORT, &elems, &enulls, &n);
			for (k = 0; k < n; k++)
				if (!enulls[k])
					r->excluded_mask |= 1u << DatumGetInt16(elems[k]);
		}
		d = SPI_getbinval(tup, td, 15, &isnull);
		rp->has_same_type_window = !isnull;
		if (!isnull)
			interval_parts(d, &rp->same_type_months, &rp->same_type_days);
		d = SPI_getbinval(tup, td, 16, &isnull);
		rp->repair_limit = isnull ? 0 : DatumGetInt32(d);
		d = SPI_getbinval(tup, td, 17, &isnull);
		if (!isnull)
			interval_parts(d, &rp->limit_months, &rp->limit_days);
		r->notice_working_days = DatumGetInt32(SPI_getbinval(tup, td, 18, &isnull));
		r->processing_working_days = DatumGetInt32(SPI_getbinval(tup, td, 19, &isnull));
		rp->requires_public_commitment = DatumGetBool(SPI_getbinval(tup, td, 20, &isnull));
	}
	/* the rulesets' names, and (same result) when each came into force and which it replaces */
	rc.rulesets = load_names(psprintf("SELECT ruleset, in_force, replaces FROM %s ORDER BY 1",
									  credit_local_table("ruleset")), &rc.nrulesets);
	rc.rs_in_force = MemoryContextAlloc(rc.cxt, sizeof(DateADT) * (rc.nrulesets + 1));
	rc.rs_replaces = MemoryContextAlloc(rc.cxt, sizeof(int) * (rc.nrulesets + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull);
		char	   *rep = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3);
		int			k;

		rc.rs_in_force[i] = isnull ? DATEVAL_NOBEGIN : DatumGetDateADT(d);
		rc.rs_replaces[i] = -1;
		for (k = 0; rep != NULL && k < rc.nrulesets; k++)
			if (strcmp(rc.rulesets[k], rep) == 0)
				rc.rs_replaces[i] = k;
		if (rep != NULL && rc.rs_replaces[i] < 0)
			rc.rs_replaces[i] = -2;		/* names a ruleset that does not exist */
	}
	rc.categories = load_names(psprintf("SELECT category FROM %s ORDER BY 1", credit_local_table("record_category")),
							   &rc.ncategories);
	SPI_finish();
	rc.valid = true;
}

void
credit_rules_ensure(void)
{
	if (!rc.valid)
		rules_load();
}

bool
credit_rules_any_limit(void)
{
	int			i;

	credit_rules_ensure();
	for (i = 0; i < rc.nrules; i++)
		if (rc.rules[i].repair.has_same_type_window || rc.rules[i].repair.repair_limit > 0)
			return true;
	return false;
}

static bool
name_eq(const char *name, const char *s, int len)
{
	return strncmp(name, s, len) == 0 && name[len] == '\0';
}

static bool
name_known(char **names, int n, const char *s, int len)
{
	int			i;

	for (i = 0; i < n; i++)
		if (name_eq(names[i], s, len))
			return true;
	return false;
}

static char *
name_list(char **names, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
		appendStringInfo(&buf, "%s%s", i ? ", " : "", names[i]);
	return buf.data;
}

const char *
credit_resolve_ruleset(const char *ruleset, int *len, DateADT decided)
{
	int			i,
				steps;

	if (ruleset != NULL)
		return ruleset;
	ruleset = credit_default_ruleset ? credit_default_ruleset : "national";
	*len = strlen(ruleset);

	/*
	 * The default ruleset applies to decisions taken while it is in force;
	 * an earlier decision falls under the ruleset it replaced (national, in
	 * force 2026-04-01, replaces national-2019).  The decision date decides.
	 */
	credit_rules_ensure();
	for (i = 0; i < rc.nrulesets; i++)
		if (strcmp(rc.rulesets[i], ruleset) == 0)
			break;
	if (i == rc.nrulesets || DATE_NOT_FINITE(decided))
		return ruleset;			/* unknown: rule_lookup says so */
	for (steps = 0; steps < rc.nrulesets && decided < rc.rs_in_force[i]; steps++)
	{
		if (rc.rs_replaces[i] == -2)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ruleset \"%s\" replaces an unknown ruleset", rc.rulesets[i]),
					 errhint("Correct credit.ruleset.replaces of \"%s\".", rc.rulesets[i])));
		if (rc.rs_replaces[i] < 0)
		{
			char	   *d = DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(decided)));
			char	   *f = DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(rc.rs_in_force[i])));

			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("no ruleset was in force on %s", d),
					 errdetail("The default ruleset \"%s\" is in force from %s and replaces no earlier ruleset.",
							   rc.rulesets[i], f),
					 errhint("Give the ruleset explicitly, or set credit.ruleset.replaces of \"%s\".",
							 rc.rulesets[i])));
		}
		i = rc.rs_replaces[i];
	}
	ruleset = rc.rulesets[i];
	*len = strlen(ruleset);
	return ruleset;
}

/*
 * Find the rule for (ruleset, category, severity); raises a clear error for
 * an unknown ruleset, category or severity, or a combination with no rule.
 */
/*
 * for_row: a row refers to the rules (an unknown ruleset or category is a
 * foreign-key violation, 23503), else a function argument does (22023)
 */
static const CreditRule *rule_lookup(const char *ruleset, int rlen, const char *category,
									int clen, const char *severity, int slen, bool for_row);

const CreditRule *
credit_rule_find(const char *ruleset, int rlen, const char *category, int clen,
				 const char *severity, int slen)
{
	credit_rules_ensure();
	return rule_lookup(ruleset, rlen, category, clen, severity, slen, true);
}

/* FNV-1a over the three names (a NUL between them): the memo's slot */
static inline uint32
rule_slot(const char *ruleset, int rlen, const char *category, int clen,
		  const char *severity, int slen)
{
	uint32		h = 2166136261u;
	int			i;

	for (i = 0; i < rlen; i++)
		h = (h ^ (unsigned char) ruleset[i]) * 16777619u;
	h *= 16777619u;
	for (i = 0; i < clen; i++)
		h = (h ^ (unsigned char) category[i]) * 16777619u;
	h *= 16777619u;
	for (i = 0; i < slen; i++)
		h = (h ^ (unsigned char) severity[i]) * 16777619u;
	return (h ^ (h >> 16)) % RULE_MEMO;
}

/* is r the rule of (ruleset, category, severity)? */
static inline bool
rule_is(const CreditRule *r, const char *ruleset, int rlen, const char *category, int clen,
		const char *severity, int slen)
{
	return r->ruleset_len == rlen && r->category_len == clen && r->severity_len == slen &&
		memcmp(r->category, category, clen) == 0 && memcmp(r->ruleset, ruleset, rlen) == 0 &&
		memcmp(r->severity, severity, slen) == 0;
}

static const CreditRule *
rule_lookup(const char *ruleset, int rlen, const char *category, int clen,
			const char *severity, int slen, bool for_row)
{
	const CreditRule *r = rc.last;
	uint32		slot;
	int			i;

	if (r && rule_is(r, ruleset, rlen, category, clen, severity, slen))
		return r;
	slot = rule_slot(ruleset, rlen, category, clen, severity, slen);
	r = rc.memo[slot];
	if (r && rule_is(r, ruleset, rlen, category, clen, severity, slen))
	{
		rc.last = r;
		return r;
	}
	for (i = 0; i < rc.nrules; i++)
	{
		r = &rc.rules[i];
		if (rule_is(r, ruleset, rlen, category, clen, severity, slen))
		{
			rc.last = r;
			rc.memo[slot] = r;
			return r;
		}
	}

	if (!name_known(rc.rulesets, rc.nrulesets, ruleset, rlen))
		ereport(ERROR,
				(errcode(for_row ? ERRCODE_FOREIGN_KEY_VIOLATION : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown ruleset \"%.*s\"", rlen, ruleset),
				 errdetail("Known rulesets: %s.", name_list(rc.rulesets, rc.nrulesets)),
				 errhint("Add it to credit.ruleset, or check credit.default_ruleset.")));
	if (!name_known(rc.categories, rc.ncategories, category, clen))
		ereport(ERROR,
				(errcode(for_row ? ERRCODE_FOREIGN_KEY_VIOLATION : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown record category \"%.*s\"", clen, category),
				 errdetail("Known categories: %s.", name_list(rc.categories, rc.ncategories)),
				 errhint("Add it to credit.record_category and give it rules in credit.publicity_rule.")));
	if (!(name_eq("minor", severity, slen) || name_eq("general", severity, slen) ||
		  name_eq("serious", severity, slen)))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("unknown severity \"%.*s\"", slen, severity),
				 errdetail("Severity is one of minor, general, serious.")));
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("ruleset \"%.*s\" has no publicity rule for category \"%.*s\" with severity \"%.*s\"",
					rlen, ruleset, clen, category, slen, severity),
			 errhint("Add the rule to credit.publicity_rule, or record it under another severity.")));
	return NULL;				/* keep compiler quiet */
}

static int64
date_plus(DateADT anchor, int32 months, int32 days)
{
	int64		r = wd_add_months_days(anchor, months, days);

	if (r < (DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE) ||
		r >= (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range")));
	return r;
}

typedef struct PublicityResult
{
	bool		published;
	bool		null_starts,
				null_min,
				null_max;
	DateADT		starts,
				min_end,
				max_end;
} PublicityResult;

static void
compute_window(const CreditRule *r, DateADT decided, DateADT disclosed,
			   PublicityResult *out)
{
	DateADT		anchor = r->anchor_disclosed ? disclosed : decided;

	out->published = r->published;
	out->null_starts = out->null_min = out->null_max = true;
	if (!r->published && !r->has_max)
		return;
	if (DATE_NOT_FINITE(decided) || DATE_NOT_FINITE(disclosed))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("decision and disclosure dates must be finite")));
	if (!r->published)
	{
		/* not shown, but in force (a watch list) until the maximum period */
		out->null_max = false;
		out->max_end = (DateADT) date_plus(anchor, r->max_months, r->max_days);
		return;
	}
	out->null_starts = false;
	out->starts = disclosed;
	if (r->has_min)
	{
		out->null_min = false;
		out->min_end = (DateADT) date_plus(anchor, r->min_months, r->min_days);
	}
	if (r->has_max)
	{
		out->null_max = false;
		out->max_end = (DateADT) date_plus(anchor, r->max_months, r->max_days);
	}
}

/*
 * A date of a decision, disclosure or correction makes sense when it is
 * finite, not before 1949-10-01 and not after latest: for a row being
 * stored, tomorrow (a day of slack for time zones), else no bound.
 */
static void
check_date_sense(const char *what, DateADT d, DateADT latest)
{
	const char *text;

	if (!DATE_NOT_FINITE(d) && d >= CREDIT_DATE_FLOOR && d <= latest)
		return;
	text = DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("%s date %s is out of range", what, text),
			 DATE_NOT_FINITE(d) ? errdetail("The date must be finite.")
			 : d < CREDIT_DATE_FLOOR ? errdetail("Dates before 1949-10-01 are not accepted.")
			 : errdetail("The date is more than a day in the future."),
			 errhint("Check the year.")));
}

static void
check_dates(DateADT decided, DateADT disclosed, bool has_corrected, DateADT corrected,
			bool stored)
{
	/* today is read once a row, and only for a row being stored */
	DateADT		latest = stored ? GetSQLCurrentDate() + 1 : DATEVAL_NOEND;

	check_date_sense("decision", decided, latest);
	check_date_sense("disclosure", disclosed, latest);
	if (has_corrected)
		check_date_sense("correction", corrected, latest);
	if (disclosed < decided)
	{
		char	   *a = DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(disclosed)));
		char	   *b = DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(decided)));

		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("disclosure date %s is before the decision date %s", a, b),
				 errdetail("A record can only be disclosed on or after the day it was decided.")));
	}
	if (has_corrected && corrected < decided)
	{
		char	   *a = DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(corrected)));
		char	   *b = DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(decided)));

		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("correction date %s is before the decision date %s", a, b),
				 errdetail("The dishonest conduct can only be corrected after the decision.")));
	}
}

/*
 * credit.publicity_window(category, severity, decided_on, disclosed_on,
 * ruleset) -> (published, starts, min_end, max_end)
 */
PG_FUNCTION_INFO_V1(credit_publicity_window);
Datum
credit_publicity_window(PG_FUNCTION_ARGS)
{
	text	   *category,
			   *severity;
	DateADT		decided,
				disclosed;
	const char *ruleset = NULL;
	int			rlen = 0;
	const CreditRule *r;
	PublicityResult res;
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	category = PG_GETARG_TEXT_PP(0);
	severity = PG_GETARG_TEXT_PP(1);
	decided = PG_GETARG_DATEADT(2);
	disclosed = PG_ARGISNULL(3) ? decided : PG_GETARG_DATEADT(3);
	if (!PG_ARGISNULL(4))
	{
		text	   *t = PG_GETARG_TEXT_PP(4);

		ruleset = VARDATA_ANY(t);
		rlen = VARSIZE_ANY_EXHDR(t);
	}
	check_dates(decided, disclosed, false, 0, false);
	ruleset = credit_resolve_ruleset(ruleset, &rlen, decided);
	credit_rules_ensure();
	r = rule_lookup(ruleset, rlen, VARDATA_ANY(category), VARSIZE_ANY_EXHDR(category),
					VARDATA_ANY(severity), VARSIZE_ANY_EXHDR(severity), false);
	compute_window(r, decided, disclosed, &res);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = BoolGetDatum(res.published);
	nulls[0] = false;
	values[1] = DateADTGetDatum(res.starts);
	nulls[1] = res.null_starts;
	values[2] = DateADTGetDatum(res.min_end);
	nulls[2] = res.null_min;
	values[3] = DateADTGetDatum(res.max_end);
	nulls[3] = res.null_max;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ---------- the generic trigger ---------- */

enum
{
	COL_CATEGORY, COL_SEVERITY, COL_DECIDED, COL_DISCLOSED, COL_RULESET,
	COL_CORRECTED, COL_EXCLUDED, COL_STARTS, COL_MIN_END, COL_MAX_END, NCOLS
};

static const struct
{
	const char *key;			/* trigger argument key and default column */
	Oid			type;			/* TEXTOID: any text-like type */
	bool		required;
}			trig_cols[NCOLS] = {
	{"category", TEXTOID, true},
	{"severity", TEXTOID, true},
	{"decided_on", DATEOID, true},
	{"disclosed_on", DATEOID, false},
	{"ruleset", TEXTOID, false},
	{"corrected_on", DATEOID, false},
	{"excluded_category", INT2OID, false},
	{"publicity_starts", DATEOID, true},
	{"publicity_min_end", DATEOID, true},
	{"publicity_max_end", DATEOID, true},
};

typedef struct TrigSetup
{
	Oid			tgoid;
	TupleDesc	tupdesc;
	int			attnum[NCOLS];	/* 0 = absent */
} TrigSetup;

static bool
is_text_like(Oid t)
{
	return t == TEXTOID || t == VARCHAROID || t == BPCHAROID || t == NAMEOID;
}

static TrigSetup *
trig_setup(FunctionCallInfo fcinfo, TriggerData *td)
{
	TrigSetup  *s = (TrigSetup *) fcinfo->flinfo->fn_extra;
	Trigger    *tg = td->tg_trigger;
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	const char *names[NCOLS];
	bool		given[NCOLS] = {false};
	int			i;

	if (s != NULL && s->tgoid == tg->tgoid && s->tupdesc == desc)
		return s;

	for (i = 0; i < NCOLS; i++)
		names[i] = trig_cols[i].key;
	for (i = 0; i < tg->tgnargs; i++)
	{
		const char *arg = tg->tgargs[i];
		const char *eq = strchr(arg, '=');
		int			k;
		bool		found = false;

		if (eq == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid argument \"%s\" for trigger \"%s\"", arg, tg->tgname),
					 errhint("Arguments have the form key=column, e.g. 'decided_on=penalty_date'.")));
		for (k = 0; k < NCOLS; k++)
			if (strncmp(arg, trig_cols[k].key, eq - arg) == 0 &&
				trig_cols[k].key[eq - arg] == '\0')
			{
				names[k] = eq + 1;
				given[k] = true;
				found = true;
			}
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown key \"%.*s\" in argument of trigger \"%s\"",
							(int) (eq - arg), arg, tg->tgname),
					 errhint("Keys: category, severity, decided_on, disclosed_on, ruleset, corrected_on, excluded_category, publicity_starts, publicity_min_end, publicity_max_end.")));
	}

	s = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(TrigSetup));
	s->tgoid = tg->tgoid;
	s->tupdesc = desc;
	for (i = 0; i < NCOLS; i++)
	{
		int			att = (names[i][0] == '\0') ? SPI_ERROR_NOATTRIBUTE
			: SPI_fnumber(desc, names[i]);

		if (att <= 0)
		{
			if (trig_cols[i].required || (given[i] && names[i][0] != '\0'))
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("column \"%s\" of relation \"%s\" does not exist",
								names[i], RelationGetRelationName(td->tg_relation)),
						 errhint("Name the %s column with the trigger argument '%s=<column>'.",
								 trig_cols[i].key, trig_cols[i].key)));
			continue;
		}
		{
			Oid			typ = getBaseType(TupleDescAttr(desc, att - 1)->atttypid);
			bool		ok = trig_cols[i].type == TEXTOID ? is_text_like(typ)
				: trig_cols[i].type == INT2OID ? (typ == INT2OID || typ == INT4OID)
				: typ == trig_cols[i].type;

			if (!ok)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("column \"%s\" of relation \"%s\" has type %s, but the %s column must be %s",
								names[i], RelationGetRelationName(td->tg_relation),
								format_type_be(typ), trig_cols[i].key,
								trig_cols[i].type == TEXTOID ? "text"
								: trig_cols[i].type == INT2OID ? "smallint" : "date")));
		}
		s->attnum[i] = att;
	}
	fcinfo->flinfo->fn_extra = s;
	return s;
}

/* read a text-like column without copying; NULL -> NULL */
static const char *
get_text(HeapTuple tup, TupleDesc desc, int attnum, int *len)
{
	bool		isnull;
	Datum		d;
	Oid			typ;

	if (attnum == 0)
		return NULL;
	d = heap_getattr(tup, attnum, desc, &isnull);
	if (isnull)
		return NULL;
	typ = TupleDescAttr(desc, attnum - 1)->atttypid;
	if (typ == NAMEOID)
	{
		*len = strlen(NameStr(*DatumGetName(d)));
		return NameStr(*DatumGetName(d));
	}
	{
		text	   *t = DatumGetTextPP(d);
		const char *s = VARDATA_ANY(t);

		*len = VARSIZE_ANY_EXHDR(t);
		/* char(n) pads with blanks */
		while (typ == BPCHAROID && *len > 0 && s[*len - 1] == ' ')
			(*len)--;
		return s;
	}
}

static bool
get_date(HeapTuple tup, TupleDesc desc, int attnum, DateADT *d)
{
	bool		isnull;
	Datum		v;

	if (attnum == 0)
		return false;
	v = heap_getattr(tup, attnum, desc, &isnull);
	if (isnull)
		return false;
	*d = DatumGetDateADT(v);
	return true;
}

PG_FUNCTION_INFO_V1(credit_publicity_trigger);
Datum
credit_publicity_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TrigSetup  *s;
	TupleDesc	desc;
	HeapTuple	tup;
	const char *category,
			   *severity,
			   *ruleset;
	int			clen = 0,
				slen = 0,
				rlen = 0;
	DateADT		decided,
				disclosed,
				corrected = 0;
	bool		has_disclosed,
				has_corrected;
	const CreditRule *r;
	PublicityResult res;
	int			cols[5];
	Datum		vals[5];
	bool		nulls[5];
	int			ncols = 0;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("credit.publicity_trigger() must be called as a trigger")));
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		TRIGGER_FIRED_BY_DELETE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("credit.publicity_trigger() must be a BEFORE INSERT OR UPDATE ... FOR EACH ROW trigger")));

	s = trig_setup(fcinfo, td);
	desc = s->tupdesc;
	tup = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;

	category = get_text(tup, desc, s->attnum[COL_CATEGORY], &clen);
	severity = get_text(tup, desc, s->attnum[COL_SEVERITY], &slen);
	if (category == NULL || severity == NULL || !get_date(tup, desc, s->attnum[COL_DECIDED], &decided))
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a record needs its category, severity and decision date"),
				 category == NULL ? errdetail("The category is null.")
				 : severity == NULL ? errdetail("The severity is null.")
				 : errdetail("The decision date is null.")));
	has_disclosed = get_date(tup, desc, s->attnum[COL_DISCLOSED], &disclosed);
	if (!has_disclosed)
		disclosed = decided;
	has_corrected = get_date(tup, desc, s->attnum[COL_CORRECTED], &corrected);
	ruleset = get_text(tup, desc, s->attnum[COL_RULESET], &rlen);

	if (s->attnum[COL_EXCLUDED])
	{
		bool		isnull;
		Datum		v = heap_getattr(tup, s->attnum[COL_EXCLUDED], desc, &isnull);

		if (!isnull)
		{
			int32		e = TupleDescAttr(desc, s->attnum[COL_EXCLUDED] - 1)->atttypid == INT4OID
				? DatumGetInt32(v) : DatumGetInt16(v);

			if (e < 1 || e > 6)
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("excluded category %d is not one of 1-6", e),
						 errdetail("excluded_category names one of the six categories that can never be repaired (Dandong measures, Art. 7), or is NULL.")));
		}
	}
	check_dates(decided, disclosed, has_corrected, corrected, true);
	ruleset = credit_resolve_ruleset(ruleset, &rlen, decided);

	credit_rules_ensure();
	r = rule_lookup(ruleset, rlen, category, clen, severity, slen, true);
	compute_window(r, decided, disclosed, &res);

	/* fill disclosed_on and ruleset when they were left NULL */
	if (!has_disclosed && s->attnum[COL_DISCLOSED])
	{
		cols[ncols] = s->attnum[COL_DISCLOSED];
		vals[ncols] = DateADTGetDatum(disclosed);
		nulls[ncols++] = false;
	}
	if (s->attnum[COL_RULESET])
	{
		bool		isnull;

		(void) heap_getattr(tup, s->attnum[COL_RULESET], desc, &isnull);
		if (isnull)
		{
			/* as a value of the column's own type (text, varchar, char(n), name) */
			Form_pg_attribute att = TupleDescAttr(desc, s->attnum[COL_RULESET] - 1);
			Oid			typinput,
						typioparam;

			getTypeInputInfo(att->atttypid, &typinput, &typioparam);
			cols[ncols] = s->attnum[COL_RULESET];
			vals[ncols] = OidInputFunctionCall(typinput, pnstrdup(ruleset, rlen), typioparam,
											   att->atttypmod);
			nulls[ncols++] = false;
		}
	}
	cols[ncols] = s->attnum[COL_STARTS];
	vals[ncols] = DateADTGetDatum(res.starts);
	nulls[ncols++] = res.null_starts;
	cols[ncols] = s->attnum[COL_MIN_END];
	vals[ncols] = DateADTGetDatum(res.min_end);
	nulls[ncols++] = res.null_min;
	cols[ncols] = s->attnum[COL_MAX_END];
	vals[ncols] = DateADTGetDatum(res.max_end);
	nulls[ncols++] = res.null_max;

	return PointerGetDatum(heap_modify_tuple_by_cols(tup, desc, ncols, cols, vals, nulls));
}

/*
 * AFTER ... FOR EACH STATEMENT trigger on the configuration tables: makes
 * every backend (this one at end of command, the others at commit) drop its
 * calendar and rules caches.
 */
PG_FUNCTION_INFO_V1(credit_config_changed);
Datum
credit_config_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Oid			relid,
				logical;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "credit.config_changed() must be called as a trigger");
	relid = RelationGetRelid(td->tg_relation);
	CacheInvalidateRelcacheByRelid(relid);
	/* on a Citus shard: the logical table, which the caches watch */
	logical = credit_logical_relid(relid);
	if (logical != relid)
		CacheInvalidateRelcacheByRelid(logical);
	credit_rules_invalidate();
	credit_calendar_invalidate();
	return PointerGetDatum(NULL);
}
