/*
 * repair.c
 *	  credit.repair_eligibility(record_id, as_of): gathers the facts about a
 *	  record and lets repair_core.c decide.
 *
 * This runs once per record in reports and in the repair_candidate view, so
 * it avoids SPI: the record is fetched through its primary-key index, the
 * rule comes from the rules cache, and the other tables are probed through
 * their indexes only when the rule or the record makes it necessary
 * (evidence when the rule asks for some, objections when the record ever had
 * one, earlier repairs when the ruleset limits them).  Relation OIDs and
 * column numbers are looked up once per query (fn_extra).
 */
#include "credit.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "repair_core.h"
#include "rules.h"

enum
{
	R_RECORD_ID, R_SUBJECT_ID, R_CATEGORY, R_SEVERITY, R_EXCLUDED, R_RULESET,
	R_STATE, R_CORRECTED, R_STARTS, R_MIN_END, R_MAX_END, R_REPAIR_DECIDED,
	R_OBJECTIONS, R_NATTS
};
static const char *const record_cols[R_NATTS] = {
	"record_id", "subject_id", "category", "severity", "excluded_category", "ruleset",
	"state", "corrected_on", "publicity_starts", "publicity_min_end",
	"publicity_max_end", "repair_decided_on", "objection_count"
};

typedef struct EligSetup
{
	Oid			record_rel,
				record_pkey,
				record_subject;
	Oid			evidence_rel,
				evidence_idx;
	Oid			objection_rel,
				objection_idx;
	AttrNumber	ratt[R_NATTS];
	AttrNumber	ev_kind,
				ev_provided,
				ev_hours;
	AttrNumber	ob_raised,
				ob_resolved;
	int			maxatt;
} EligSetup;

static Oid
rel_oid(Oid nsp, const char *name)
{
	Oid			oid = get_relname_relid(name, nsp);

	if (!OidIsValid(oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"credit.%s\" does not exist", name),
				 errhint("Is the credit extension installed completely?")));
	return oid;
}

static AttrNumber
att(Oid rel, const char *name)
{
	AttrNumber	a = get_attnum(rel, name);

	if (a == InvalidAttrNumber)
		elog(ERROR, "column \"%s\" of a credit table is missing", name);
	return a;
}

static EligSetup *
elig_setup(FunctionCallInfo fcinfo)
{
	EligSetup  *s = (EligSetup *) fcinfo->flinfo->fn_extra;
	Oid			nsp;
	int			i;

	if (s != NULL)
		return s;
	nsp = get_namespace_oid("credit", false);
	s = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(EligSetup));
	s->record_rel = rel_oid(nsp, "record");
	s->record_pkey = rel_oid(nsp, "record_pkey");
	s->record_subject = rel_oid(nsp, "record_subject");
	s->evidence_rel = rel_oid(nsp, "repair_evidence");
	s->evidence_idx = rel_oid(nsp, "repair_evidence_record");
	s->objection_rel = rel_oid(nsp, "objection");
	s->objection_idx = rel_oid(nsp, "objection_record");
	for (i = 0; i < R_NATTS; i++)
	{
		s->ratt[i] = att(s->record_rel, record_cols[i]);
		s->maxatt = Max(s->maxatt, s->ratt[i]);
	}
	s->ev_kind = att(s->evidence_rel, "kind");
	s->ev_provided = att(s->evidence_rel, "provided_on");
	s->ev_hours = att(s->evidence_rel, "training_hours");
	s->ob_raised = att(s->objection_rel, "raised_on");
	s->ob_resolved = att(s->objection_rel, "resolved_on");
	fcinfo->flinfo->fn_extra = s;
	return s;
}

/*
 * Visit every visible row of heap `relid` whose first index column equals
 * key, through index `indexid`.  The callback gets the slot with all
 * attributes deformed up to maxatt.
 */
typedef void (*row_callback) (TupleTableSlot *slot, void *arg);

static void
scan_by_key(Oid relid, Oid indexid, int64 key, int maxatt, row_callback cb, void *arg)
{
	Relation	rel = table_open(relid, AccessShareLock);
	Relation	idx = index_open(indexid, AccessShareLock);
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	IndexScanDesc scan;
	ScanKeyData skey;

	ScanKeyInit(&skey, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(key));
	scan = index_beginscan(rel, idx, GetActiveSnapshot(), 1, 0);
	index_rescan(scan, &skey, 1, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		slot_getsomeattrs(slot, maxatt);
		cb(slot, arg);
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(idx, AccessShareLock);
	table_close(rel, AccessShareLock);
}

static inline bool
slot_null(TupleTableSlot *slot, AttrNumber a)
{
	return slot->tts_isnull[a - 1];
}

static inline Datum
slot_val(TupleTableSlot *slot, AttrNumber a)
{
	return slot->tts_values[a - 1];
}

static bool
text_is(Datum d, const char *s)
{
	text	   *t = DatumGetTextPP(d);
	int			len = VARSIZE_ANY_EXHDR(t);

	return (int) strlen(s) == len && memcmp(VARDATA_ANY(t), s, len) == 0;
}

/* ---- the record itself ---- */

typedef struct RecordRow
{
	bool		found;
	int64		subject_id;
	text	   *category,
			   *severity,
			   *ruleset;
	bool		has_excluded;
	int16		excluded;
	repair_state state;
	bool		has_corrected,
				has_starts,
				has_min,
				has_max;
	DateADT		corrected,
				starts,
				min_end,
				max_end;
	int32		objections;
	const EligSetup *s;
} RecordRow;

static DateADT
date_or(TupleTableSlot *slot, AttrNumber a, bool *has)
{
	*has = !slot_null(slot, a);
	return *has ? DatumGetDateADT(slot_val(slot, a)) : 0;
}

static void
read_record(TupleTableSlot *slot, void *arg)
{
	RecordRow  *r = (RecordRow *) arg;
	const AttrNumber *a = r->s->ratt;
	Datum		st = slot_val(slot, a[R_STATE]);

	r->found = true;
	r->subject_id = DatumGetInt64(slot_val(slot, a[R_SUBJECT_ID]));
	/* copies: the buffer is unpinned when the scan ends */
	r->category = DatumGetTextPCopy(slot_val(slot, a[R_CATEGORY]));
	r->severity = DatumGetTextPCopy(slot_val(slot, a[R_SEVERITY]));
	r->ruleset = slot_null(slot, a[R_RULESET]) ? NULL : DatumGetTextPCopy(slot_val(slot, a[R_RULESET]));
	r->has_excluded = !slot_null(slot, a[R_EXCLUDED]);
	r->excluded = r->has_excluded ? DatumGetInt16(slot_val(slot, a[R_EXCLUDED])) : 0;
	r->state = text_is(st, "published") ? RS_PUBLISHED
		: text_is(st, "under_repair") ? RS_UNDER_REPAIR
		: text_is(st, "repaired") ? RS_REPAIRED
		: text_is(st, "expired") ? RS_EXPIRED : RS_REVOKED;
	r->corrected = date_or(slot, a[R_CORRECTED], &r->has_corrected);
	r->starts = date_or(slot, a[R_STARTS], &r->has_starts);
	r->min_end = date_or(slot, a[R_MIN_END], &r->has_min);
	r->max_end = date_or(slot, a[R_MAX_END], &r->has_max);
	r->objections = DatumGetInt32(slot_val(slot, a[R_OBJECTIONS]));
}

/* ---- evidence ---- */

typedef struct EvidenceAcc
{
	const EligSetup *s;
	DateADT		as_of;
	repair_facts *f;
} EvidenceAcc;

static void
read_evidence(TupleTableSlot *slot, void *arg)
{
	EvidenceAcc *e = (EvidenceAcc *) arg;
	Datum		kind = slot_val(slot, e->s->ev_kind);

	if (DatumGetDateADT(slot_val(slot, e->s->ev_provided)) > e->as_of)
		return;
	if (text_is(kind, "commitment"))
		e->f->has_commitment = true;
	else if (text_is(kind, "interview"))
		e->f->has_interview = true;
	else if (text_is(kind, "credit_report"))
		e->f->has_credit_report = true;
	else if (text_is(kind, "training") && !slot_null(slot, e->s->ev_hours))
		e->f->training_hours += DatumGetFloat8(DirectFunctionCall1(numeric_float8,
																   slot_val(slot, e->s->ev_hours)));
}

/* ---- objections ---- */

static void
read_objection(TupleTableSlot *slot, void *arg)
{
	EvidenceAcc *e = (EvidenceAcc *) arg;

	if (DatumGetDateADT(slot_val(slot, e->s->ob_raised)) <= e->as_of &&
		(slot_null(slot, e->s->ob_resolved) ||
		 DatumGetDateADT(slot_val(slot, e->s->ob_resolved)) > e->as_of))
		e->f->objection_open = true;
}

/* ---- earlier repairs of the subject ---- */

typedef struct PriorAcc
{
	const EligSetup *s;
	int64		self;
	text	   *category;
	DateADT		as_of;
	int			n,
				cap;
	repair_prior *items;
} PriorAcc;

static void
read_prior(TupleTableSlot *slot, void *arg)
{
	PriorAcc   *p = (PriorAcc *) arg;
	const AttrNumber *a = p->s->ratt;
	DateADT		decided;
	text	   *cat;

	if (DatumGetInt64(slot_val(slot, a[R_RECORD_ID])) == p->self ||
		!text_is(slot_val(slot, a[R_STATE]), "repaired") ||
		slot_null(slot, a[R_REPAIR_DECIDED]))
		return;
	decided = DatumGetDateADT(slot_val(slot, a[R_REPAIR_DECIDED]));
	if (decided > p->as_of)
		return;
	if (p->n == p->cap)
	{
		p->cap = p->cap ? p->cap * 2 : 8;
		p->items = p->items ? repalloc(p->items, sizeof(repair_prior) * p->cap)
			: palloc(sizeof(repair_prior) * p->cap);
	}
	cat = DatumGetTextPP(slot_val(slot, a[R_CATEGORY]));
	p->items[p->n].decided_on = decided;
	p->items[p->n].same_type = VARSIZE_ANY_EXHDR(cat) == VARSIZE_ANY_EXHDR(p->category) &&
		memcmp(VARDATA_ANY(cat), VARDATA_ANY(p->category), VARSIZE_ANY_EXHDR(cat)) == 0;
	p->n++;
}

PG_FUNCTION_INFO_V1(credit_repair_eligibility);
Datum
credit_repair_eligibility(PG_FUNCTION_ARGS)
{
	int64		record_id = PG_GETARG_INT64(0);
	DateADT		as_of = PG_GETARG_DATEADT(1);
	EligSetup  *s = elig_setup(fcinfo);
	RecordRow	rec = {0};
	const CreditRule *rule;
	const char *rs;
	int			rslen;
	repair_facts f = {0};
	repair_result res;
	EvidenceAcc acc;
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	const char *codes[RP_NREASONS];
	int			k = 0;
	int			i;

	if (DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("repair eligibility needs a finite date")));

	rec.s = s;
	scan_by_key(s->record_rel, s->record_pkey, record_id, s->maxatt, read_record, &rec);
	if (!rec.found)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("record %lld does not exist", (long long) record_id)));

	rs = rec.ruleset ? VARDATA_ANY(rec.ruleset) : NULL;
	rslen = rec.ruleset ? VARSIZE_ANY_EXHDR(rec.ruleset) : 0;
	rs = credit_resolve_ruleset(rs, &rslen);
	rule = credit_rule_find(rs, rslen,
							VARDATA_ANY(rec.category), VARSIZE_ANY_EXHDR(rec.category),
							VARDATA_ANY(rec.severity), VARSIZE_ANY_EXHDR(rec.severity));

	f.state = rec.state;
	f.excluded = rec.has_excluded && rec.excluded >= 1 && rec.excluded <= 6 &&
		(rule->excluded_mask & (1u << rec.excluded)) != 0;
	f.has_starts = rec.has_starts;
	f.starts = rec.starts;
	f.has_min_end = rec.has_min;
	f.min_end = rec.min_end;
	f.has_max_end = rec.has_max;
	f.max_end = rec.max_end;
	f.has_corrected = rec.has_corrected;
	f.corrected_on = rec.corrected;

	acc.s = s;
	acc.as_of = as_of;
	acc.f = &f;
	if (rule->repair.requires_commitment || rule->repair.requires_interview ||
		rule->repair.requires_training || rule->repair.requires_credit_report)
		scan_by_key(s->evidence_rel, s->evidence_idx, record_id,
					Max(Max(s->ev_kind, s->ev_provided), s->ev_hours), read_evidence, &acc);
	if (rec.objections > 0)
		scan_by_key(s->objection_rel, s->objection_idx, record_id,
					Max(s->ob_raised, s->ob_resolved), read_objection, &acc);
	if (rule->repair.has_same_type_window || rule->repair.repair_limit > 0)
	{
		PriorAcc	p = {0};

		p.s = s;
		p.self = record_id;
		p.category = rec.category;
		p.as_of = as_of;
		scan_by_key(s->record_rel, s->record_subject, rec.subject_id, s->maxatt, read_prior, &p);
		f.nprior = p.n;
		f.prior = p.items;
	}

	repair_evaluate(&rule->repair, &f, as_of, &res);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	for (i = 0; i < RP_NREASONS; i++)
		if (res.reasons & (1u << i))
			codes[k++] = repair_reason_codes[i];
	values[0] = BoolGetDatum(res.eligible);
	values[1] = DateADTGetDatum((DateADT) res.earliest_on);
	nulls[1] = !res.has_earliest;
	values[2] = credit_text_array(codes, k);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
