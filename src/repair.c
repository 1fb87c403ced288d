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
 * one, earlier repairs when the ruleset limits them, repair commitments
 * when the rule asks for a commitment).  Relation OIDs and
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
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
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
	R_OBJECTIONS, R_EVIDENCE, R_DECIDED, R_AUTHORITY, R_NATTS
};
static const char *const record_cols[R_NATTS] = {
	"record_id", "subject_id", "category", "severity", "excluded_category", "ruleset",
	"state", "corrected_on", "publicity_starts", "publicity_min_end",
	"publicity_max_end", "repair_decided_on", "objection_count", "evidence_count",
	"decided_on", "authority"
};

typedef struct EligSetup
{
	Oid			record_rel,
				record_owner,
				operator_authority_rel,
				record_pkey,
				record_repaired;	/* partial index: repaired records by subject */
	Oid			evidence_rel,
				evidence_idx;
	Oid			objection_rel,
				objection_idx;
	Oid			commitment_rel,
				commitment_idx; /* partial index: commitments for a record */
	AttrNumber	ratt[R_NATTS];
	AttrNumber	ev_kind,
				ev_provided,
				ev_hours;
	AttrNumber	ob_raised,
				ob_resolved;
	AttrNumber	cm_signed,
				cm_ended,
				cm_public;
	int			maxatt;
	TupleDesc	result;			/* the blessed result row type */
	Datum		no_reasons;		/* the empty text[], made once */
	/* one slot per table, made on first use and reused for the whole query */
	TupleTableSlot *record_slot,
			   *evidence_slot,
			   *objection_slot,
			   *commitment_slot;
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
	s->record_owner = credit_rel_owner(s->record_rel);
	s->operator_authority_rel = rel_oid(nsp, "operator_authority");
	s->record_pkey = rel_oid(nsp, "record_pkey");
	s->record_repaired = rel_oid(nsp, "record_subject_repaired");
	s->evidence_rel = rel_oid(nsp, "repair_evidence");
	s->evidence_idx = rel_oid(nsp, "repair_evidence_record");
	s->objection_rel = rel_oid(nsp, "objection");
	s->objection_idx = rel_oid(nsp, "objection_record");
	s->commitment_rel = rel_oid(nsp, "commitment");
	s->commitment_idx = rel_oid(nsp, "commitment_record");
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
	s->cm_signed = att(s->commitment_rel, "signed_on");
	s->cm_ended = att(s->commitment_rel, "ended_on");
	s->cm_public = att(s->commitment_rel, "public");
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	td;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		s->result = BlessTupleDesc(CreateTupleDescCopy(td));
		s->no_reasons = credit_text_array(NULL, 0);
		MemoryContextSwitchTo(oldcxt);
	}
	fcinfo->flinfo->fn_extra = s;
	return s;
}

/*
 * Visit every visible row of heap `relid` whose first index column equals
 * key, through index `indexid`.  The callback gets the slot with all
 * attributes deformed up to maxatt.
 */
typedef void (*row_callback) (TupleTableSlot *slot, void *arg);

/*
 * The slot for scans of rel, kept in *slotp for the whole query (fn_mcxt).
 * It has its own copy of the row type, so it outlives the relation's
 * opening; every scan leaves it empty (no buffer pin held between calls).
 */
static TupleTableSlot *
query_slot(FunctionCallInfo fcinfo, Relation rel, TupleTableSlot **slotp)
{
	if (*slotp == NULL)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		*slotp = MakeSingleTupleTableSlot(CreateTupleDescCopy(RelationGetDescr(rel)),
										  table_slot_callbacks(rel));
		MemoryContextSwitchTo(oldcxt);
	}
	return *slotp;
}

static void
scan_by_key(Relation rel, TupleTableSlot *slot, Oid indexid, int64 key, int maxatt,
			row_callback cb, void *arg)
{
	Relation	idx = index_open(indexid, AccessShareLock);
	IndexScanDesc scan;
	ScanKeyData skey;

	ScanKeyInit(&skey, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(key));
#if PG_VERSION_NUM >= 190000
	scan = index_beginscan(rel, idx, GetActiveSnapshot(), NULL, 1, 0, SO_NONE);
#elif PG_VERSION_NUM >= 180000
	scan = index_beginscan(rel, idx, GetActiveSnapshot(), NULL, 1, 0);
#else
	scan = index_beginscan(rel, idx, GetActiveSnapshot(), 1, 0);
#endif
	index_rescan(scan, &skey, 1, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		slot_getsomeattrs(slot, maxatt);
		cb(slot, arg);
	}
	index_endscan(scan);
	ExecClearTuple(slot);
	index_close(idx, AccessShareLock);
}

/* the same on a table opened for this one scan */
static void
scan_table_by_key(FunctionCallInfo fcinfo, TupleTableSlot **slotp, Oid relid, Oid indexid,
				  int64 key, int maxatt, row_callback cb, void *arg)
{
	Relation	rel = table_open(relid, AccessShareLock);

	scan_by_key(rel, query_slot(fcinfo, rel, slotp), indexid, key, maxatt, cb, arg);
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
	const CreditRule *rule;		/* the record's rule */
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
	int32		evidence;
	bool		need_authority; /* the caller does not see every record */
	char	   *authority;
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
	text	   *category = DatumGetTextPP(slot_val(slot, a[R_CATEGORY]));
	text	   *severity = DatumGetTextPP(slot_val(slot, a[R_SEVERITY]));
	const char *rs = NULL;
	int			rslen = 0;

	r->found = true;
	r->subject_id = DatumGetInt64(slot_val(slot, a[R_SUBJECT_ID]));
	/* the rule is found while the buffer is pinned: no copies of the texts */
	if (!slot_null(slot, a[R_RULESET]))
	{
		text	   *t = DatumGetTextPP(slot_val(slot, a[R_RULESET]));

		rs = VARDATA_ANY(t);
		rslen = VARSIZE_ANY_EXHDR(t);
	}
	rs = credit_resolve_ruleset(rs, &rslen, DatumGetDateADT(slot_val(slot, a[R_DECIDED])));
	r->rule = credit_rule_find(rs, rslen,
							   VARDATA_ANY(category), VARSIZE_ANY_EXHDR(category),
							   VARDATA_ANY(severity), VARSIZE_ANY_EXHDR(severity));
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
	r->evidence = DatumGetInt32(slot_val(slot, a[R_EVIDENCE]));
	if (r->need_authority)
		r->authority = TextDatumGetCString(slot_val(slot, a[R_AUTHORITY]));
}

/* superusers, the owner of credit.record and credit_admin see every record */
static bool
sees_all_records(const EligSetup *s)
{
	Oid			user = GetUserId();
	Oid			admin;

	if (user == s->record_owner || superuser_arg(user))
		return true;
	admin = get_role_oid("credit_admin", true);
	return OidIsValid(admin) && has_privs_of_role(user, admin);
}

/*
 * Who may ask about which record.  Everybody may ask about a record that is
 * public today (what credit.public_record shows, the base of
 * credit.repair_candidate).  Other records only the roles that may read them:
 * superusers and the owner of credit.record (also inside the extension's own
 * SECURITY DEFINER code), members of credit_admin, and the operators of the
 * record's authority (credit.may_access, the test of the row-level security
 * policy).  To everybody else such a record does not exist.
 */
static bool
may_see_record(EligSetup *s, const RecordRow *r)
{
	Oid			user = GetUserId();
	DateADT		today;
	bool		ok;

	if (!r->need_authority)
		return true;
	today = GetSQLCurrentDate();
	if ((r->state == RS_PUBLISHED || r->state == RS_UNDER_REPAIR) &&
		r->has_starts && r->starts <= today && (!r->has_max || today < r->max_end))
		return true;
	if (pg_class_aclcheck(s->operator_authority_rel, user, ACL_SELECT) != ACLCHECK_OK)
		return false;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	{
		Oid			argtype = TEXTOID;
		Datum		arg = CStringGetTextDatum(r->authority);
		bool		isnull;

		if (SPI_execute_with_args("SELECT credit.may_access($1)", 1, &argtype, &arg, NULL, true, 1)
			!= SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not run credit.may_access()");
		ok = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		ok = ok && !isnull;
	}
	SPI_finish();
	return ok;
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

/* ---- repair commitments (credit.commitment) for the record ---- */

static void
read_commitment(TupleTableSlot *slot, void *arg)
{
	EvidenceAcc *e = (EvidenceAcc *) arg;

	/* in force on as_of: signed by then, not ended (fulfilled, violated, ...) by then */
	if (DatumGetDateADT(slot_val(slot, e->s->cm_signed)) > e->as_of ||
		(!slot_null(slot, e->s->cm_ended) &&
		 DatumGetDateADT(slot_val(slot, e->s->cm_ended)) <= e->as_of))
		return;
	e->f->has_signed_commitment = true;
	if (DatumGetBool(slot_val(slot, e->s->cm_public)))
		e->f->has_public_commitment = true;
}

/* ---- earlier repairs of the subject ---- */

typedef struct PriorAcc
{
	const EligSetup *s;
	int64		self;
	const char *category;		/* the record's category */
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

	/* the partial index holds repaired records only */
	if (DatumGetInt64(slot_val(slot, a[R_RECORD_ID])) == p->self ||
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
	p->items[p->n].same_type = text_is(PointerGetDatum(cat), p->category);
	p->n++;
}

PG_FUNCTION_INFO_V1(credit_repair_eligibility);
Datum
credit_repair_eligibility(PG_FUNCTION_ARGS)
{
	int64		record_id;
	DateADT		as_of;
	EligSetup  *s;
	RecordRow	rec = {0};
	const CreditRule *rule;
	repair_facts f = {0};
	repair_result res;
	EvidenceAcc acc;
	Relation	recrel;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	const char *codes[RP_NREASONS];
	int			k = 0;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("repair eligibility needs a date"),
				 errdetail("as_of is null."),
				 errhint("Leave it out for today (current_date).")));
	record_id = PG_GETARG_INT64(0);
	as_of = PG_GETARG_DATEADT(1);
	s = elig_setup(fcinfo);
	/* a finite date inside the years the rules can speak of */
	if (DATE_NOT_FINITE(as_of) || as_of < CREDIT_DATE_FLOOR || as_of > CREDIT_DATE_CEILING)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("repair eligibility on %s is out of range",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(as_of)))),
				 errdetail("The date must be between 1949-10-01 and 9999-12-31.")));

	rec.s = s;
	rec.need_authority = !sees_all_records(s);
	credit_rules_ensure();		/* no SPI inside the scans below */
	recrel = table_open(s->record_rel, AccessShareLock);
	scan_by_key(recrel, query_slot(fcinfo, recrel, &s->record_slot), s->record_pkey,
				record_id, s->maxatt, read_record, &rec);
	if (!rec.found || !may_see_record(s, &rec))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("record %lld does not exist", (long long) record_id)));
	rule = rec.rule;

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
	if (rec.evidence > 0 &&
		(rule->repair.requires_commitment || rule->repair.requires_interview ||
		 rule->repair.requires_training || rule->repair.requires_credit_report))
		scan_table_by_key(fcinfo, &s->evidence_slot, s->evidence_rel, s->evidence_idx, record_id,
						  Max(Max(s->ev_kind, s->ev_provided), s->ev_hours), read_evidence, &acc);
	/* evidence_count also counts the record's repair commitments */
	if (rec.evidence > 0 && rule->repair.requires_commitment)
		scan_table_by_key(fcinfo, &s->commitment_slot, s->commitment_rel, s->commitment_idx, record_id,
						  Max(Max(s->cm_signed, s->cm_ended), s->cm_public), read_commitment, &acc);
	if (rec.objections > 0)
		scan_table_by_key(fcinfo, &s->objection_slot, s->objection_rel, s->objection_idx, record_id,
						  Max(s->ob_raised, s->ob_resolved), read_objection, &acc);
	if (rule->repair.has_same_type_window || rule->repair.repair_limit > 0)
	{
		PriorAcc	p = {0};

		p.s = s;
		p.self = record_id;
		p.category = rule->category;
		p.as_of = as_of;
		scan_by_key(recrel, query_slot(fcinfo, recrel, &s->record_slot), s->record_repaired,
					rec.subject_id, s->maxatt, read_prior, &p);
		f.nprior = p.n;
		f.prior = p.items;
	}
	table_close(recrel, AccessShareLock);

	repair_evaluate(&rule->repair, &f, as_of, &res);

	for (i = 0; i < RP_NREASONS; i++)
		if (res.reasons & (1u << i))
			codes[k++] = repair_reason_codes[i];
	values[0] = BoolGetDatum(res.eligible);
	values[1] = DateADTGetDatum((DateADT) res.earliest_on);
	nulls[1] = !res.has_earliest;
	values[2] = k > 0 ? credit_text_array(codes, k) : s->no_reasons;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(s->result, values, nulls)));
}
