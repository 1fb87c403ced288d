/*
 * classify.c
 *	  The classification aggregates and their transition-state types.
 *
 * Every aggregate here keeps a small fixed-length state (credit.risk_acc,
 * credit.class_tally, credit.migration_tally) that the transition function
 * updates in place inside the aggregate's memory context, and has a combine
 * function: PostgreSQL's parallel aggregation and Citus's pushdown both need
 * exactly that (no `internal` state, no serialisation functions).
 * credit.credit_class is an enum; its four label OIDs are looked up once per
 * aggregate call site (fn_extra).
 */
#include "credit.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "common/shortest_dec.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include <math.h>

#include "classify_core.h"

StaticAssertDecl(sizeof(risk_acc) == 88, "credit.risk_acc is declared with INTERNALLENGTH = 88");

typedef struct ClassTally
{
	int64		n[RC_NCLASSES];
} ClassTally;

typedef struct MigrationTally
{
	int64		n[RC_NCLASSES * RC_NCLASSES];
} MigrationTally;

/* ---------- credit.credit_class labels ---------- */

typedef struct ClassOids
{
	Oid			label[RC_NCLASSES];
} ClassOids;

static const ClassOids *
class_oids(FunctionCallInfo fcinfo)
{
	ClassOids  *c = (ClassOids *) fcinfo->flinfo->fn_extra;
	static const char *const names[RC_NCLASSES] = {"A", "B", "C", "D"};
	Oid			nsp,
				typ;
	int			i;

	if (c != NULL)
		return c;
	nsp = get_namespace_oid("credit", false);
	typ = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
						  CStringGetDatum("credit_class"), ObjectIdGetDatum(nsp));
	if (!OidIsValid(typ))
		elog(ERROR, "type credit.credit_class does not exist");
	c = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(ClassOids));
	for (i = 0; i < RC_NCLASSES; i++)
		c->label[i] = DatumGetObjectId(DirectFunctionCall2(enum_in,
														   CStringGetDatum(names[i]),
														   ObjectIdGetDatum(typ)));
	fcinfo->flinfo->fn_extra = c;
	return c;
}

/*
 * The ordinal 0..3 of a credit_class value.  Branch-free: the values of a
 * column arrive in no order, and a search loop would mispredict about once a
 * row (this is the per-row cost of class_counts and class_migration).
 */
static inline int
class_ordinal(const ClassOids *c, Datum d)
{
	Oid			o = DatumGetObjectId(d);
	int			m1 = (c->label[1] == o),
				m2 = (c->label[2] == o),
				m3 = (c->label[3] == o);

	if (unlikely((c->label[0] == o) + m1 + m2 + m3 != 1))
		elog(ERROR, "unexpected credit_class value %u", o);
	return m1 + 2 * m2 + 3 * m3;
}

/* ---------- the state types' I/O ---------- */

/* parse "{n1,n2,...}" of exactly n int64 values */
static void
parse_int64_list(const char *str, int64 *out, int n, const char *typname)
{
	const char *p = str;
	int			i;

	while (*p == ' ')
		p++;
	if (*p++ != '{')
		goto bad;
	for (i = 0; i < n; i++)
	{
		char	   *end;

		errno = 0;
		out[i] = strtoll(p, &end, 10);
		if (end == p || errno != 0 || out[i] < 0)
			goto bad;
		p = end;
		if (*p != (i == n - 1 ? '}' : ','))
			goto bad;
		p++;
	}
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return;
bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", typname, str),
			 errdetail("Expected {n1,...,n%d} with %d non-negative integers.", n, n)));
}

static char *
format_int64_list(const int64 *v, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < n; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i ? "," : "", v[i]);
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

PG_FUNCTION_INFO_V1(class_tally_in);
Datum
class_tally_in(PG_FUNCTION_ARGS)
{
	ClassTally *t = palloc(sizeof(ClassTally));

	parse_int64_list(PG_GETARG_CSTRING(0), t->n, RC_NCLASSES, "class_tally");
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(class_tally_out);
Datum
class_tally_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(format_int64_list(((ClassTally *) PG_GETARG_POINTER(0))->n, RC_NCLASSES));
}

PG_FUNCTION_INFO_V1(migration_tally_in);
Datum
migration_tally_in(PG_FUNCTION_ARGS)
{
	MigrationTally *t = palloc(sizeof(MigrationTally));

	parse_int64_list(PG_GETARG_CSTRING(0), t->n, RC_NCLASSES * RC_NCLASSES, "migration_tally");
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(migration_tally_out);
Datum
migration_tally_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(format_int64_list(((MigrationTally *) PG_GETARG_POINTER(0))->n,
										RC_NCLASSES * RC_NCLASSES));
}

/*
 * credit.risk_acc text form: (sum_ws,sum_w,nscored,nA,nB,nC,nD,tA,tB,tC)
 * with empty thresholds when no row gave any (risk_score) and "default" in
 * all three when the rows gave NULL (the default model).  Doubles are printed
 * exactly (17 significant digits) so a state survives a round trip, as Citus
 * needs.  The input accepts only states an aggregate could have produced.
 */
PG_FUNCTION_INFO_V1(risk_acc_in);
Datum
risk_acc_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	risk_acc   *a = palloc0(sizeof(risk_acc));
	const char *detail = NULL;

	switch (risk_acc_parse(str, a))
	{
		case RC_OK:
			PG_RETURN_POINTER(a);
		case RC_STATE_SYNTAX:
			detail = CT_("Expected (sum_ws,sum_w,nscored,nA,nB,nC,nD,tA,tB,tC) with the thresholds three numbers, empty or \"default\".");
			break;
		case RC_STATE_NOT_FINITE:
			detail = CT_("The sums sum_ws and sum_w must be finite numbers.");
			break;
		case RC_STATE_NEGATIVE:
			detail = CT_("The sums and the counts must not be negative.");
			break;
		case RC_STATE_UNSCORED:
			detail = CT_("The sums must be zero when nscored is zero.");
			break;
		case RC_STATE_MEAN:
			detail = CT_("The weighted sum sum_ws exceeds 100 times the weight sum sum_w: the mean score would be above 100.");
			break;
		case RC_BAD_THRESHOLDS:
			detail = CT_("The thresholds must be three finite scores in 0-100 in descending order.");
			break;
		default:
			elog(ERROR, "unexpected risk_acc parse result");
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type risk_acc: \"%s\"", str),
			 errdetail_internal("%s", detail)));
	PG_RETURN_NULL();			/* not reached */
}

PG_FUNCTION_INFO_V1(risk_acc_out);
Datum
risk_acc_out(PG_FUNCTION_ARGS)
{
	risk_acc   *a = (risk_acc *) PG_GETARG_POINTER(0);
	char	   *counts = psprintf("%.17g,%.17g," INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT
								  "," INT64_FORMAT "," INT64_FORMAT,
								  a->sum_ws, a->sum_w, a->nscored, a->ncap[0], a->ncap[1],
								  a->ncap[2], a->ncap[3]);

	if (a->has_th == RC_TH_GIVEN)
		PG_RETURN_CSTRING(psprintf("(%s,%.17g,%.17g,%.17g)", counts, a->th[0], a->th[1], a->th[2]));
	if (a->has_th == RC_TH_DEFAULT)
		PG_RETURN_CSTRING(psprintf("(%s,default,default,default)", counts));
	PG_RETURN_CSTRING(psprintf("(%s,,,)", counts));
}

/* ---------- risk_score / risk_class ---------- */

static void
rc_report(rc_error e, double score, double weight)
{
	switch (e)
	{
		case RC_OK:
			return;
		case RC_BAD_SCORE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("risk score %g is outside 0-100", score),
					 errdetail("A score is a finite number from 0 to 100.")));
			break;
		case RC_BAD_WEIGHT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("risk weight %g is not allowed", weight),
					 errdetail("A weight is zero or positive and finite.")));
			break;
		case RC_BAD_THRESHOLDS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid risk class thresholds"),
					 errdetail("Thresholds are three finite scores in 0-100, the minimum for A, B and C, in descending order."),
					 errhint("The default model is '{90,75,60}'.")));
			break;
		case RC_THRESHOLDS_DIFFER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("rows of one group give different risk class thresholds"),
					 errhint("Classify each group under one model's thresholds.")));
			break;
		case RC_THRESHOLDS_MIXED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("rows of one group give different risk class thresholds"),
					 errdetail("Some rows give thresholds and others give NULL, which means the default model."),
					 errhint("Classify each group under one model's thresholds.")));
			break;
		case RC_SUM_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("risk score sums out of range"),
					 errdetail("The sum of weights or of weight times score exceeds the range of double precision; the weights are too large.")));
			break;
		case RC_COUNT_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("risk class row count out of range"),
					 errdetail("A count of rows exceeds the range of bigint.")));
			break;
		case RC_COUNT_NEGATIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("risk class row count out of range"),
					 errdetail("A count of rows would be negative.")));
			break;
		default:
			elog(ERROR, "unexpected risk_acc result %d", (int) e);
	}
}

/* a tally step or combine failed: the count would leave 0..INT64_MAX */
static void
tally_report(rc_error e, const char *aggname)
{
	if (e == RC_COUNT_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s count out of range", aggname),
				 errdetail("A count of rows exceeds the range of bigint.")));
	if (e == RC_COUNT_NEGATIVE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s count out of range", aggname),
				 errdetail("Removing a row would make a count negative: the row was never added.")));
	if (e != RC_OK)
		elog(ERROR, "unexpected tally result %d", (int) e);
}

/* the state to update: in place inside an aggregate, else a fresh copy */
static risk_acc *
risk_state(FunctionCallInfo fcinfo)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL) != 0;
	risk_acc   *a;

	if (PG_ARGISNULL(0))
	{
		/*
		 * A group's first row.  The new state goes into the short-lived
		 * per-row context: the executor copies any state that is not the
		 * pointer it passed in into the aggregate context itself, so a state
		 * allocated there would be kept twice for the group's lifetime.
		 */
		a = palloc(sizeof(risk_acc));
		risk_acc_init(a);
		return a;
	}
	a = (risk_acc *) PG_GETARG_POINTER(0);
	if (!in_agg)
	{
		risk_acc   *copy = palloc(sizeof(risk_acc));

		memcpy(copy, a, sizeof(risk_acc));
		a = copy;
	}
	return a;
}

static bool
get_thresholds(FunctionCallInfo fcinfo, int argno, double *th)
{
	ArrayType  *arr;

	if (PG_ARGISNULL(argno))
		return false;
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(arr) != 1 || ARR_DIMS(arr)[0] != 3 || ARR_HASNULL(arr) ||
		ARR_ELEMTYPE(arr) != FLOAT8OID)
		rc_report(RC_BAD_THRESHOLDS, 0, 0);
	memcpy(th, ARR_DATA_PTR(arr), 3 * sizeof(double));
	return true;
}

/* risk_class transition: (state, score, weight, cap, thresholds) */
PG_FUNCTION_INFO_V1(risk_class_trans);
Datum
risk_class_trans(PG_FUNCTION_ARGS)
{
	risk_acc   *a = risk_state(fcinfo);
	double		th[3];
	/* the 3-argument aggregate (default thresholds) passes no 5th argument */
	bool		has_th = PG_NARGS() > 4 && get_thresholds(fcinfo, 4, th);
	int			cap = PG_ARGISNULL(3) ? -1 : class_ordinal(class_oids(fcinfo), PG_GETARG_DATUM(3));
	double		score = PG_ARGISNULL(1) ? 0 : PG_GETARG_FLOAT8(1);
	double		weight = PG_ARGISNULL(2) ? 0 : PG_GETARG_FLOAT8(2);

	/* NULL thresholds (or the 3-argument form): the default model */
	rc_report(risk_acc_thresholds(a, has_th ? th : NULL), score, weight);
	rc_report(risk_acc_add(a, !PG_ARGISNULL(1), score, !PG_ARGISNULL(2), weight, cap, NULL),
			  score, weight);
	PG_RETURN_POINTER(a);
}

/* risk_score transition: (state, score, weight) */
PG_FUNCTION_INFO_V1(risk_score_trans);
Datum
risk_score_trans(PG_FUNCTION_ARGS)
{
	risk_acc   *a = risk_state(fcinfo);
	double		score = PG_ARGISNULL(1) ? 0 : PG_GETARG_FLOAT8(1);
	double		weight = PG_ARGISNULL(2) ? 0 : PG_GETARG_FLOAT8(2);

	rc_report(risk_acc_add(a, !PG_ARGISNULL(1), score, !PG_ARGISNULL(2), weight, -1, NULL),
			  score, weight);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(risk_acc_combine_fn);
Datum
risk_acc_combine_fn(PG_FUNCTION_ARGS)
{
	risk_acc   *a;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	a = risk_state(fcinfo);
	rc_report(risk_acc_combine(a, (risk_acc *) PG_GETARG_POINTER(1)), 0, 0);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(risk_score_final);
Datum
risk_score_final(PG_FUNCTION_ARGS)
{
	double		score;

	if (PG_ARGISNULL(0) || !risk_acc_score((risk_acc *) PG_GETARG_POINTER(0), &score))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(score);
}

PG_FUNCTION_INFO_V1(risk_class_final);
Datum
risk_class_final(PG_FUNCTION_ARGS)
{
	int			cls;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	cls = risk_acc_class((risk_acc *) PG_GETARG_POINTER(0));
	if (cls < 0)
		PG_RETURN_NULL();
	PG_RETURN_OID(class_oids(fcinfo)->label[cls]);
}

/* risk_class_of(score, thresholds): the class of one score, for SQL users */
PG_FUNCTION_INFO_V1(risk_class_of);
Datum
risk_class_of(PG_FUNCTION_ARGS)
{
	double		score;
	double		th[3];
	bool		has_th;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	score = PG_GETARG_FLOAT8(0);
	has_th = PG_NARGS() > 1 && get_thresholds(fcinfo, 1, th);

	if (!isfinite(score) || score < 0 || score > 100)
		rc_report(RC_BAD_SCORE, score, 0);
	if (has_th)
		rc_report(risk_check_thresholds(th), 0, 0);
	PG_RETURN_OID(class_oids(fcinfo)->label[risk_class_of_score(score, has_th ? th : NULL)]);
}

/* ---------- class_counts / class_migration ---------- */

/* tallies are strict with an initial value: the state is never NULL */
static void *
tally_state(FunctionCallInfo fcinfo, Size size)
{
	void	   *t = PG_GETARG_POINTER(0);

	if (!AggCheckCallContext(fcinfo, NULL))
	{
		void	   *copy = palloc(size);

		memcpy(copy, t, size);
		t = copy;
	}
	return t;
}

/*
 * The tallies' steps.  A transition adds one row (+1), the inverse
 * transition of a moving window takes one away (-1); a combine adds another
 * tally of n counters.
 */
static inline Datum
class_counts_step(FunctionCallInfo fcinfo, int delta)
{
	ClassTally *t = tally_state(fcinfo, sizeof(ClassTally));
	rc_error	e = rc_count_step(&t->n[class_ordinal(class_oids(fcinfo), PG_GETARG_DATUM(1))],
								  delta);

	if (unlikely(e != RC_OK))
		tally_report(e, "class_counts");
	PG_RETURN_POINTER(t);
}

static Datum
tally_combine(FunctionCallInfo fcinfo, int n, const char *aggname)
{
	int64	   *t = tally_state(fcinfo, n * sizeof(int64));

	tally_report(rc_counts_add((int64_t *) t, (const int64_t *) PG_GETARG_POINTER(1), n), aggname);
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(class_counts_trans);
Datum
class_counts_trans(PG_FUNCTION_ARGS)
{
	return class_counts_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(class_counts_inv);
Datum
class_counts_inv(PG_FUNCTION_ARGS)
{
	return class_counts_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(class_tally_combine);
Datum
class_tally_combine(PG_FUNCTION_ARGS)
{
	return tally_combine(fcinfo, RC_NCLASSES, "class_counts");
}

static Datum
int64_array(const int64 *v, int n, int rows)
{
	Datum	   *elems = palloc(sizeof(Datum) * n);
	int			dims[2],
				lbs[2] = {1, 1};
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = Int64GetDatum(v[i]);
	dims[0] = rows;
	dims[1] = n / rows;
	return PointerGetDatum(construct_md_array(elems, NULL, rows > 1 ? 2 : 1, rows > 1 ? dims : &dims[1],
											  lbs, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(class_counts_final);
Datum
class_counts_final(PG_FUNCTION_ARGS)
{
	return int64_array(((ClassTally *) PG_GETARG_POINTER(0))->n, RC_NCLASSES, 1);
}

static inline Datum
class_migration_step(FunctionCallInfo fcinfo, int delta)
{
	MigrationTally *t = tally_state(fcinfo, sizeof(MigrationTally));
	const ClassOids *c = class_oids(fcinfo);

	rc_error	e = rc_count_step(&t->n[class_ordinal(c, PG_GETARG_DATUM(1)) * RC_NCLASSES +
										 class_ordinal(c, PG_GETARG_DATUM(2))], delta);

	if (unlikely(e != RC_OK))
		tally_report(e, "class_migration");
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(class_migration_trans);
Datum
class_migration_trans(PG_FUNCTION_ARGS)
{
	return class_migration_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(class_migration_inv);
Datum
class_migration_inv(PG_FUNCTION_ARGS)
{
	return class_migration_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(migration_tally_combine);
Datum
migration_tally_combine(PG_FUNCTION_ARGS)
{
	return tally_combine(fcinfo, RC_NCLASSES * RC_NCLASSES, "class_migration");
}

PG_FUNCTION_INFO_V1(class_migration_final);
Datum
class_migration_final(PG_FUNCTION_ARGS)
{
	return int64_array(((MigrationTally *) PG_GETARG_POINTER(0))->n,
					   RC_NCLASSES * RC_NCLASSES, RC_NCLASSES);
}

/* ---------- the digest of a month's classification ---------- */

typedef struct MonthDigest
{
	const ClassOids *classes;
	AttrNumber	subject_id,
				model,
				score,
				class,
				capped;
	pg_cryptohash_ctx *sha;
	StringInfoData line;
	int64		rows;
} MonthDigest;

/*
 * One row: "subject_id,model,score,class,capped", the lines joined by
 * newlines -- the text the SQL digest of 0.3.0's first version built with
 * string_agg().  The score as float8out writes it by default (the shortest
 * text that reads back exactly; nothing for NULL), whatever the session's
 * extra_float_digits, so every session computes the same digest.
 */
static void
digest_row(TupleTableSlot *slot, void *arg)
{
	MonthDigest *m = (MonthDigest *) arg;
	text	   *model = DatumGetTextPP(slot->tts_values[m->model - 1]);
	int			k = class_ordinal(m->classes, slot->tts_values[m->class - 1]);

	resetStringInfo(&m->line);
	if (m->rows > 0)
		appendStringInfoChar(&m->line, '\n');
	appendStringInfo(&m->line, INT64_FORMAT ",", DatumGetInt64(slot->tts_values[m->subject_id - 1]));
	appendBinaryStringInfo(&m->line, VARDATA_ANY(model), VARSIZE_ANY_EXHDR(model));
	appendStringInfoChar(&m->line, ',');
	if (!slot->tts_isnull[m->score - 1])
	{
		char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

		double_to_shortest_decimal_buf(DatumGetFloat8(slot->tts_values[m->score - 1]), buf);
		appendStringInfoString(&m->line, buf);
	}
	appendStringInfo(&m->line, ",%c,%s", "ABCD"[k],
					 DatumGetBool(slot->tts_values[m->capped - 1]) ? "true" : "false");
	if (pg_cryptohash_update(m->sha, (const uint8 *) m->line.data, m->line.len) < 0)
		elog(ERROR, "could not compute a SHA-256 hash");
	m->rows++;
}

/*
 * The same on a Citus cluster, where the rows are in the workers' shards:
 * the same lines, built by a distributed query and hashed on this node (the
 * score as float8out writes it with extra_float_digits 1: the shortest exact
 * text, as double_to_shortest_decimal_buf does).
 */
static Datum
classification_month_distributed(FunctionCallInfo fcinfo, TupleDesc td, DateADT month)
{
	Oid			argtypes[1] = {DATEOID};
	Datum		args[1] = {DateADTGetDatum(month)};
	Datum		values[2];
	bool		nulls[2] = {false, false};
	int			nest = NewGUCNestLevel();
	bool		isnull;
	HeapTuple	tup;
	HeapTupleHeader result;

	(void) set_config_option("extra_float_digits", "1", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT count(*), pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to("
							  "coalesce(pg_catalog.string_agg(pg_catalog.concat_ws(',', c.subject_id, c.model, "
							  "coalesce(c.score::text, ''), c.class, c.capped), E'\\n' ORDER BY c.subject_id), ''), 'UTF8')), 'hex') "
							  "FROM credit.classification c WHERE c.period = $1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read the month's classification");
	values[0] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	values[1] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	td = BlessTupleDesc(td);
	tup = heap_form_tuple(td, values, nulls);
	result = SPI_returntuple(tup, td);	/* copied to the caller's context */
	SPI_finish();
	AtEOXact_GUC(true, nest);
	PG_RETURN_DATUM(PointerGetDatum(result));
}

/*
 * credit.classification_month(period date, OUT rows bigint, OUT sha256 text):
 * the month's rows of credit.classification read once through its primary
 * key (period, subject_id), so in subject order, and hashed as they come.
 * The caller needs SELECT on the table, as the SQL it replaces did.
 */
PG_FUNCTION_INFO_V1(credit_classification_month);
Datum
credit_classification_month(PG_FUNCTION_ARGS)
{
	DateADT		month = PG_GETARG_DATEADT(0);
	Oid			nsp = get_namespace_oid("credit", false);
	Oid			relid = credit_rel_oid(nsp, "classification");
	MonthDigest m;
	Relation	rel;
	TupleTableSlot *slot;
	uint8		hash[PG_SHA256_DIGEST_LENGTH];
	char		hex[PG_SHA256_DIGEST_LENGTH * 2 + 1];
	TupleDesc	td;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	AclResult	acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);
	int			i;

	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, "classification");
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (credit_relid_distributed(relid))
		return classification_month_distributed(fcinfo, td, month);
	memset(&m, 0, sizeof(m));
	m.classes = class_oids(fcinfo);
	m.subject_id = credit_attnum(relid, "subject_id");
	m.model = credit_attnum(relid, "model");
	m.score = credit_attnum(relid, "score");
	m.class = credit_attnum(relid, "class");
	m.capped = credit_attnum(relid, "capped");
	initStringInfo(&m.line);
	m.sha = pg_cryptohash_create(PG_SHA256);
	if (m.sha == NULL || pg_cryptohash_init(m.sha) < 0)
		elog(ERROR, "could not compute a SHA-256 hash");

	rel = table_open(relid, AccessShareLock);
	slot = table_slot_create(rel, NULL);
	credit_scan_index_eq(rel, slot, credit_rel_oid(nsp, "classification_pkey"), F_DATE_EQ,
						 DateADTGetDatum(month),
						 Max(Max(m.subject_id, m.model), Max(Max(m.score, m.class), m.capped)),
						 digest_row, &m);
	ExecDropSingleTupleTableSlot(slot);
	table_close(rel, AccessShareLock);

	if (pg_cryptohash_final(m.sha, hash, sizeof(hash)) < 0)
		elog(ERROR, "could not compute a SHA-256 hash");
	pg_cryptohash_free(m.sha);
	for (i = 0; i < PG_SHA256_DIGEST_LENGTH; i++)
		snprintf(hex + 2 * i, 3, "%02x", hash[i]);
	values[0] = Int64GetDatum(m.rows);
	values[1] = CStringGetTextDatum(hex);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(td), values, nulls)));
}
