/*
 * repair.c
 *	  credit.repair_eligibility(record_id, as_of) and its set-based form
 *	  credit.repair_eligibility_many(record_ids, as_of, only_eligible):
 *	  gather the facts about records and let repair_core.c decide.
 *
 * Both read the tables directly, never through SPI, in one of two modes:
 *
 *  - probe (one record, or a few): each record through its primary key, and
 *    the other tables through their indexes only when the rule or the record
 *    makes it necessary (evidence when the rule asks for some and the record
 *    has some, objections when the record ever had one, earlier repairs when
 *    the ruleset limits them, repair commitments when the rule asks for a
 *    commitment);
 *  - bulk (many records): the evidence, the repair commitments, the
 *    objections and the earlier repairs are each read in one pass into hash
 *    tables, then one sequential scan of credit.record answers for every
 *    record.
 *
 * The same code turns a record and its facts into the answer in both modes
 * (record_facts, elig_answer), so the two cannot disagree.  Relation OIDs and
 * column numbers are looked up once per query (fn_extra).
 *
 * On a Citus cluster the tables are distributed by subject: the three
 * functions above, called on the coordinator, send one query over
 * credit.record that Citus pushes down to the shards, calling
 * credit.repair_eligibility_local(subject_id, record_id, ...) for each
 * record on the node that holds it; that form reads the subject's shards
 * there (elig_use_subject) by the same code, through the indexes or, for
 * many records, in bulk once per shard.  The repair workflow's triggers,
 * which fire on the shards, call it too.
 */
#include "credit.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "access/xact.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
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

/*
 * The tables read and their columns: on one node credit's own tables; on a
 * Citus cluster one shard group, the co-located shards of record,
 * repair_evidence, objection and commitment that hold the subjects whose
 * hash is in hash_lo .. hash_hi (a shard is made from the coordinator's
 * definition: its columns may be numbered differently, so each group has
 * its own numbers, and its own slots).
 */
typedef struct EligTables
{
	int32		hash_lo,
				hash_hi;
	Oid			record_rel,
				record_pkey,	/* (subject_id, record_id) */
				record_id_idx,	/* unique index on record_id (one node only) */
				record_repaired;	/* partial index: repaired records by subject */
	Oid			evidence_rel,
				evidence_idx;
	Oid			objection_rel,
				objection_idx;
	Oid			commitment_rel,
				commitment_idx; /* partial index: commitments for a record */
	AttrNumber	ratt[R_NATTS];
	AttrNumber	ev_record,
				ev_kind,
				ev_provided,
				ev_hours;
	AttrNumber	ob_record,
				ob_raised,
				ob_resolved;
	AttrNumber	cm_record,
				cm_signed,
				cm_ended,
				cm_public;
	int			maxatt,			/* of credit.record */
				ev_maxatt,		/* the largest column read of the others */
				cm_maxatt,
				ob_maxatt;
	/* one slot per table, made on first use and reused for the whole query */
	TupleTableSlot *record_slot,
			   *evidence_slot,
			   *objection_slot,
			   *commitment_slot;
} EligTables;

/* per query (fn_extra): what the tables are, and what was made once */
typedef struct EligSetup
{
	Oid			record_logical,	/* credit.record and the others as named */
				evidence_logical,
				objection_logical,
				commitment_logical;
	Oid			record_owner,
				operator_authority_rel;
	bool		distributed;	/* credit.record is distributed by Citus */
	EligTables *t;				/* the tables being read */
	EligTables	local;			/* one node: the tables themselves */
	/* a cluster: the shard groups of this node met so far (this transaction) */
	EligTables **groups;
	int			ngroups,
				cap;
	LocalTransactionId groups_lxid;
	TupleDesc	result;			/* the single form's blessed result row type */
	Datum	   *reasons;		/* text[] of each reason mask, made on first use */
	/* the authorities whose hidden records the current user may see */
	Oid			auth_user;		/* InvalidOid: not worked out yet */
	bool		auth_all;
	int			nauth;
	char	  **auth;
	/* the worker's form: the facts read in bulk, for one shard group and day */
	struct Elig *bulk_e;
	EligTables *bulk_t;
	DateADT		bulk_as_of;
	LocalTransactionId bulk_lxid;
	CommandId	bulk_cid;
	MemoryContext bulk_cxt;
	MemoryContext mcxt;			/* fn_mcxt */
} EligSetup;

/* index credit.<name><suffix> (suffix: "" or a shard's "_<shardid>") of relation rel */
static Oid
shard_index(Oid rel, const char *name, const char *suffix)
{
	char	   *n = psprintf("%s%s", name, suffix);
	Oid			idx = get_relname_relid(n, get_rel_namespace(rel));

	if (!OidIsValid(idx))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("index credit.%s of %s is missing", n, get_rel_name(rel)),
				 errhint("Reinstall the extension, or on a Citus cluster run credit.distribute() again.")));
	pfree(n);
	return idx;
}

/* the suffix of a shard's objects ("" for a table that is not a shard) */
static char *
shard_suffix(Oid rel, Oid logical)
{
	const char *name = get_rel_name(rel);

	return rel == logical ? pstrdup("") : pstrdup(name + strlen(get_rel_name(logical)));
}

/* fill t for the tables record, evidence, objection, commitment (or shards of them) */
static void
tables_init(EligSetup *s, EligTables *t, Oid record, Oid evidence, Oid objection, Oid commitment)
{
	char	   *sfx;
	int			i;

	t->record_rel = record;
	sfx = shard_suffix(record, s->record_logical);
	t->record_pkey = shard_index(record, "record_pkey", sfx);
	t->record_id_idx = record == s->record_logical && !s->distributed
		? shard_index(record, "record_id_key", sfx) : InvalidOid;
	t->record_repaired = shard_index(record, "record_subject_repaired", sfx);
	t->evidence_rel = evidence;
	t->evidence_idx = shard_index(evidence, "repair_evidence_record", shard_suffix(evidence, s->evidence_logical));
	t->objection_rel = objection;
	t->objection_idx = shard_index(objection, "objection_record", shard_suffix(objection, s->objection_logical));
	t->commitment_rel = commitment;
	t->commitment_idx = shard_index(commitment, "commitment_record", shard_suffix(commitment, s->commitment_logical));
	t->maxatt = 0;
	for (i = 0; i < R_NATTS; i++)
	{
		t->ratt[i] = credit_attnum(record, record_cols[i]);
		t->maxatt = Max(t->maxatt, t->ratt[i]);
	}
	t->ev_record = credit_attnum(evidence, "record_id");
	t->ev_kind = credit_attnum(evidence, "kind");
	t->ev_provided = credit_attnum(evidence, "provided_on");
	t->ev_hours = credit_attnum(evidence, "training_hours");
	t->ob_record = credit_attnum(objection, "record_id");
	t->ob_raised = credit_attnum(objection, "raised_on");
	t->ob_resolved = credit_attnum(objection, "resolved_on");
	t->cm_record = credit_attnum(commitment, "record_id");
	t->cm_signed = credit_attnum(commitment, "signed_on");
	t->cm_ended = credit_attnum(commitment, "ended_on");
	t->cm_public = credit_attnum(commitment, "public");
	t->ev_maxatt = Max(Max(t->ev_record, t->ev_kind), Max(t->ev_provided, t->ev_hours));
	t->cm_maxatt = Max(Max(t->cm_record, t->cm_signed), Max(t->cm_ended, t->cm_public));
	t->ob_maxatt = Max(t->ob_record, Max(t->ob_raised, t->ob_resolved));
}

static EligSetup *
elig_setup(FunctionCallInfo fcinfo, bool single)
{
	EligSetup  *s = (EligSetup *) fcinfo->flinfo->fn_extra;
	Oid			nsp;
	MemoryContext oldcxt;

	if (s != NULL)
		return s;
	nsp = get_namespace_oid("credit", false);
	s = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(EligSetup));
	s->mcxt = fcinfo->flinfo->fn_mcxt;
	oldcxt = MemoryContextSwitchTo(s->mcxt);
	s->record_logical = credit_rel_oid(nsp, "record");
	s->evidence_logical = credit_rel_oid(nsp, "repair_evidence");
	s->objection_logical = credit_rel_oid(nsp, "objection");
	s->commitment_logical = credit_rel_oid(nsp, "commitment");
	s->distributed = credit_relid_distributed(s->record_logical);
	s->record_owner = credit_rel_owner(s->record_logical);
	s->operator_authority_rel = credit_rel_oid(nsp, "operator_authority");
	if (!s->distributed)
	{
		tables_init(s, &s->local, s->record_logical, s->evidence_logical,
					s->objection_logical, s->commitment_logical);
		s->t = &s->local;
	}
	if (single)
	{
		TupleDesc	td;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		s->result = BlessTupleDesc(CreateTupleDescCopy(td));
	}
	MemoryContextSwitchTo(oldcxt);
	fcinfo->flinfo->fn_extra = s;
	return s;
}

/*
 * Read the tables that hold the rows of subject_id: on one node credit's
 * own; on a cluster this node's shards of the subject (false when they are
 * on another node).
 */
static bool
elig_use_subject(EligSetup *s, int64 subject_id)
{
	int32		h,
				lo,
				hi;
	Oid			rec,
				ev,
				ob,
				cm;
	int			i;
	EligTables *t;
	MemoryContext oldcxt;

	if (!s->distributed)
		return true;
	/* shards move between transactions: the groups met are kept for one */
	if (s->groups_lxid != MY_LXID)
	{
		s->ngroups = 0;
		s->t = NULL;
		s->groups_lxid = MY_LXID;
	}
	h = credit_shard_hash(subject_id);
	if (s->t && h >= s->t->hash_lo && h <= s->t->hash_hi)
		return true;
	for (i = 0; i < s->ngroups; i++)
		if (h >= s->groups[i]->hash_lo && h <= s->groups[i]->hash_hi)
		{
			s->t = s->groups[i];
			return true;
		}
	rec = credit_local_shard(s->record_logical, subject_id, &lo, &hi);
	if (!OidIsValid(rec))
		return false;
	ev = credit_local_shard(s->evidence_logical, subject_id, &lo, &hi);
	ob = credit_local_shard(s->objection_logical, subject_id, &lo, &hi);
	cm = credit_local_shard(s->commitment_logical, subject_id, &lo, &hi);
	if (!OidIsValid(ev) || !OidIsValid(ob) || !OidIsValid(cm))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the shards of subject %lld are not all on this node", (long long) subject_id),
				 errdetail("The shard of credit.record is here, that of credit.%s is not.",
						   !OidIsValid(ev) ? "repair_evidence" : !OidIsValid(ob) ? "objection" : "commitment"),
				 errhint("The repair tables must be co-located with credit.subject: run credit.distribute().")));
	oldcxt = MemoryContextSwitchTo(s->mcxt);
	t = palloc0(sizeof(EligTables));
	tables_init(s, t, rec, ev, ob, cm);
	t->hash_lo = lo;
	t->hash_hi = hi;
	if (s->ngroups == s->cap)
	{
		s->cap = s->cap ? s->cap * 2 : 4;
		s->groups = s->groups ? repalloc(s->groups, sizeof(EligTables *) * s->cap)
			: palloc(sizeof(EligTables *) * s->cap);
	}
	s->groups[s->ngroups++] = t;
	MemoryContextSwitchTo(oldcxt);
	s->t = t;
	return true;
}

/* the reasons of a mask as text[], made once per query and mask */
static Datum
reason_array(EligSetup *s, unsigned mask)
{
	if (s->reasons == NULL)
		s->reasons = MemoryContextAllocZero(s->mcxt, sizeof(Datum) << RP_NREASONS);
	if (s->reasons[mask] == (Datum) 0)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(s->mcxt);
		const char *codes[RP_NREASONS];
		int			k = 0;
		int			i;

		for (i = 0; i < RP_NREASONS; i++)
			if (mask & (1u << i))
				codes[k++] = repair_reason_codes[i];
		s->reasons[mask] = credit_text_array(codes, k);
		MemoryContextSwitchTo(oldcxt);
	}
	return s->reasons[mask];
}

/*
 * The slot for scans of rel, kept in *slotp for the whole query (fn_mcxt).
 * It has its own copy of the row type, so it outlives the relation's
 * opening; every scan leaves it empty (no buffer pin held between calls).
 */
static TupleTableSlot *
query_slot(EligSetup *s, Relation rel, TupleTableSlot **slotp)
{
	if (*slotp == NULL)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(s->mcxt);

		*slotp = MakeSingleTupleTableSlot(CreateTupleDescCopy(RelationGetDescr(rel)),
										  table_slot_callbacks(rel));
		MemoryContextSwitchTo(oldcxt);
	}
	return *slotp;
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

static inline DateADT
slot_date(TupleTableSlot *slot, AttrNumber a)
{
	return DatumGetDateADT(slot_val(slot, a));
}

static bool
text_is(Datum d, const char *s)
{
	text	   *t = DatumGetTextPP(d);
	int			len = VARSIZE_ANY_EXHDR(t);

	return (int) strlen(s) == len && memcmp(VARDATA_ANY(t), s, len) == 0;
}

/* ---- who may ask about which record ---- */

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
 * The authorities whose records the current user may see although they are
 * not public today: those credit.may_access() (the test of the row-level
 * security policy on credit.record) says yes to, asked once per query.  It
 * says yes to every authority for members of credit_admin, else to those
 * that credit.operator_authority maps one of the user's roles to: so asking
 * it about no authority (NULL) and about each authority of that table is
 * asking it about every authority.  A user who may not read
 * credit.operator_authority sees no hidden record.
 */
static void
auth_prepare(EligSetup *s)
{
	Oid			user = GetUserId();
	MemoryContext oldcxt;
	uint64		i;

	if (s->auth_user == user)
		return;
	s->auth_all = false;
	s->nauth = 0;
	if (pg_class_aclcheck(s->operator_authority_rel, user, ACL_SELECT) == ACLCHECK_OK)
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute("SELECT a, credit.may_access(a) FROM (SELECT NULL::text AS a UNION"
						" SELECT oa.authority FROM credit.operator_authority oa) x",
						true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not run credit.may_access()");
		oldcxt = MemoryContextSwitchTo(s->mcxt);
		s->auth = palloc(sizeof(char *) * (SPI_processed + 1));
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	td = SPI_tuptable->tupdesc;
			bool		isnull,
						anull;
			Datum		ok = SPI_getbinval(tup, td, 2, &isnull);
			Datum		a = SPI_getbinval(tup, td, 1, &anull);

			if (isnull || !DatumGetBool(ok))
				continue;
			if (anull)
				s->auth_all = true;
			else
				s->auth[s->nauth++] = TextDatumGetCString(a);
		}
		MemoryContextSwitchTo(oldcxt);
		SPI_finish();
	}
	s->auth_user = user;
}

static bool
auth_visible(const EligSetup *s, const char *a, int len)
{
	int			i;

	if (s->auth_all)
		return true;
	for (i = 0; i < s->nauth; i++)
		if ((int) strlen(s->auth[i]) == len && memcmp(s->auth[i], a, len) == 0)
			return true;
	return false;
}

/* ---- the record itself ---- */

typedef struct RecordRow
{
	bool		found;
	int64		record_id;
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
	/* who may ask: visible, or (single form) to be decided after the scan */
	bool		visible;
	char	   *authority;		/* set when still to be decided */
} RecordRow;

/*
 * Bulk mode's tables of facts by an int8 key (a record_id, a subject_id): an
 * open-addressing hash (simplehash) from the key to the index of its entry in
 * an array of entries of one size, each starting with its key.
 */
typedef struct FactsSlot
{
	int64		key;
	uint32		idx;
	char		status;
} FactsSlot;

/* the finaliser of MurmurHash3: every bit of the key moves every bit of the hash */
static inline uint32
int64_hash(int64 key)
{
	uint64		h = (uint64) key;

	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return (uint32) h;
}

#define SH_PREFIX factmap
#define SH_ELEMENT_TYPE FactsSlot
#define SH_KEY_TYPE int64
#define SH_KEY key
#define SH_HASH_KEY(tb, k) int64_hash(k)
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct FactsTable
{
	factmap_hash *map;
	char	   *entries;
	Size		entrysize;
	uint32		n,
				cap;
} FactsTable;

/* a table for about nelem entries of entrysize bytes, in the current memory context */
static FactsTable *
facts_create(Size entrysize, double nelem)
{
	FactsTable *t = palloc(sizeof(FactsTable));
	uint32		size = (uint32) Min(Max(nelem, 1024.0), 64.0 * 1024 * 1024);

	t->map = factmap_create(CurrentMemoryContext, size, NULL);
	t->entrysize = entrysize;
	t->cap = size;
	t->n = 0;
	t->entries = MemoryContextAllocHuge(CurrentMemoryContext, entrysize * t->cap);
	return t;
}

/* the entry of key, made (zeroed but for its key) if it has none */
static void *
facts_enter(FactsTable *t, int64 key)
{
	bool		found;
	FactsSlot  *slot = factmap_insert(t->map, key, &found);
	char	   *entry;

	if (found)
		return t->entries + (Size) slot->idx * t->entrysize;
	if (t->n == t->cap)
	{
		t->cap *= 2;
		t->entries = repalloc_huge(t->entries, t->entrysize * t->cap);
	}
	slot->idx = t->n++;
	entry = t->entries + (Size) slot->idx * t->entrysize;
	memset(entry, 0, t->entrysize);
	*(int64 *) entry = key;
	return entry;
}

/* the entry of key, or NULL */
static inline void *
facts_find(FactsTable *t, int64 key)
{
	FactsSlot  *slot = factmap_lookup(t->map, key);

	return slot ? t->entries + (Size) slot->idx * t->entrysize : NULL;
}

/* the call: the date asked about, who asks, where the facts come from */
typedef struct Elig
{
	EligSetup  *s;
	DateADT		as_of;
	DateADT		today;
	bool		sees_all;
	bool		bulk;
	/* bulk mode: facts by record_id (priors by subject_id), as of as_of */
	FactsTable *evidence,
			   *commitments,
			   *objections,
			   *priors;
	/* the earlier repairs of the record being answered */
	int			nprior,
				cap;
	repair_prior *prior;
	/* credit.record, open for the call */
	Relation	recrel;
} Elig;

/* credit.record (its shard of the subject being read), open for the call */
static Relation
elig_recrel(Elig *e)
{
	if (e->recrel != NULL && RelationGetRelid(e->recrel) != e->s->t->record_rel)
	{
		table_close(e->recrel, AccessShareLock);
		e->recrel = NULL;
	}
	if (e->recrel == NULL)
		e->recrel = table_open(e->s->t->record_rel, AccessShareLock);
	return e->recrel;
}

static void
elig_end(Elig *e)
{
	if (e->recrel != NULL)
		table_close(e->recrel, AccessShareLock);
	e->recrel = NULL;
}

static DateADT
date_or(TupleTableSlot *slot, AttrNumber a, bool *has)
{
	*has = !slot_null(slot, a);
	return *has ? slot_date(slot, a) : 0;
}

/* public today: what credit.public_record shows */
static inline bool
public_on(const RecordRow *r, DateADT day)
{
	return (r->state == RS_PUBLISHED || r->state == RS_UNDER_REPAIR) &&
		r->has_starts && r->starts <= day && (!r->has_max || day < r->max_end);
}

static void
read_record(Elig *e, TupleTableSlot *slot, RecordRow *r)
{
	const AttrNumber *a = e->s->t->ratt;
	Datum		st = slot_val(slot, a[R_STATE]);
	text	   *category = DatumGetTextPP(slot_val(slot, a[R_CATEGORY]));
	text	   *severity = DatumGetTextPP(slot_val(slot, a[R_SEVERITY]));
	const char *rs = NULL;
	int			rslen = 0;

	r->found = true;
	r->record_id = DatumGetInt64(slot_val(slot, a[R_RECORD_ID]));
	r->subject_id = DatumGetInt64(slot_val(slot, a[R_SUBJECT_ID]));
	/* the rule is found while the buffer is pinned: no copies of the texts */
	if (!slot_null(slot, a[R_RULESET]))
	{
		text	   *t = DatumGetTextPP(slot_val(slot, a[R_RULESET]));

		rs = VARDATA_ANY(t);
		rslen = VARSIZE_ANY_EXHDR(t);
	}
	rs = credit_resolve_ruleset(rs, &rslen, slot_date(slot, a[R_DECIDED]));
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

	/*
	 * Who may ask about which record.  Everybody may ask about a record that
	 * is public today (what credit.public_record shows, the base of
	 * credit.repair_candidate).  Other records only the roles that may read
	 * them: superusers and the owner of credit.record (also inside the
	 * extension's own SECURITY DEFINER code), members of credit_admin, and
	 * the operators of the record's authority (credit.may_access, the test of
	 * the row-level security policy).  To everybody else such a record does
	 * not exist.
	 */
	r->visible = e->sees_all || public_on(r, e->today);
	r->authority = NULL;
	if (!r->visible)
	{
		text	   *au = DatumGetTextPP(slot_val(slot, a[R_AUTHORITY]));

		if (e->s->auth_user == GetUserId())
			r->visible = auth_visible(e->s, VARDATA_ANY(au), VARSIZE_ANY_EXHDR(au));
		else
			r->authority = text_to_cstring(au);
	}
}

/* the single form learns who may see the record after the scan (SPI) */
static void
decide_visibility(Elig *e, RecordRow *r)
{
	if (r->authority != NULL)
	{
		auth_prepare(e->s);
		r->visible = auth_visible(e->s, r->authority, strlen(r->authority));
		r->authority = NULL;
	}
}

/*
 * A record that cannot be eligible on as_of whatever its rule and facts say
 * (its state, its window, its minimum period): repair_candidate skips it
 * without looking further.
 */
static bool
surely_ineligible(const Elig *e, TupleTableSlot *slot)
{
	const AttrNumber *a = e->s->t->ratt;
	Datum		st = slot_val(slot, a[R_STATE]);

	if (!text_is(st, "published") && !text_is(st, "under_repair"))
		return true;
	if (slot_null(slot, a[R_STARTS]) || slot_date(slot, a[R_STARTS]) > e->as_of)
		return true;
	if (!slot_null(slot, a[R_MAX_END]) && slot_date(slot, a[R_MAX_END]) <= e->as_of)
		return true;
	return !slot_null(slot, a[R_MIN_END]) && slot_date(slot, a[R_MIN_END]) > e->as_of;
}

/* ---- the facts, row by row (both modes fold rows the same way) ---- */

typedef struct EvidenceFacts
{
	int64		record_id;		/* hash key */
	bool		commitment,
				interview,
				credit_report;
	double		training_hours;
} EvidenceFacts;

typedef struct CommitmentFacts
{
	int64		record_id;		/* hash key */
	bool		in_force,		/* a repair commitment in force on as_of */
				in_force_public;	/* ... one that is public */
} CommitmentFacts;

typedef struct ObjectionFacts
{
	int64		record_id;		/* hash key */
	bool		open;			/* open on as_of */
} ObjectionFacts;

typedef struct PriorRepair
{
	int64		record_id;
	DateADT		decided_on;
	const char *category;
} PriorRepair;

typedef struct SubjectPriors
{
	int64		subject_id;		/* hash key */
	int			n,
				cap;
	PriorRepair *items;
} SubjectPriors;

typedef struct FoldArg
{
	Elig	   *e;
	void	   *facts;			/* EvidenceFacts, CommitmentFacts, ... */
} FoldArg;

static void
fold_evidence(TupleTableSlot *slot, void *arg)
{
	FoldArg    *fa = (FoldArg *) arg;
	const EligSetup *s = fa->e->s;
	EvidenceFacts *f = (EvidenceFacts *) fa->facts;
	Datum		kind = slot_val(slot, s->t->ev_kind);

	if (slot_date(slot, s->t->ev_provided) > fa->e->as_of)
		return;
	if (text_is(kind, "commitment"))
		f->commitment = true;
	else if (text_is(kind, "interview"))
		f->interview = true;
	else if (text_is(kind, "credit_report"))
		f->credit_report = true;
	else if (text_is(kind, "training") && !slot_null(slot, s->t->ev_hours))
		f->training_hours += DatumGetFloat8(DirectFunctionCall1(numeric_float8,
																slot_val(slot, s->t->ev_hours)));
}

static void
fold_commitment(TupleTableSlot *slot, void *arg)
{
	FoldArg    *fa = (FoldArg *) arg;
	const EligSetup *s = fa->e->s;
	CommitmentFacts *f = (CommitmentFacts *) fa->facts;

	/* in force on as_of: signed by then, not ended (fulfilled, violated, ...) by then */
	if (slot_date(slot, s->t->cm_signed) > fa->e->as_of ||
		(!slot_null(slot, s->t->cm_ended) && slot_date(slot, s->t->cm_ended) <= fa->e->as_of))
		return;
	f->in_force = true;
	if (DatumGetBool(slot_val(slot, s->t->cm_public)))
		f->in_force_public = true;
}

static void
fold_objection(TupleTableSlot *slot, void *arg)
{
	FoldArg    *fa = (FoldArg *) arg;
	const EligSetup *s = fa->e->s;
	ObjectionFacts *f = (ObjectionFacts *) fa->facts;

	if (slot_date(slot, s->t->ob_raised) <= fa->e->as_of &&
		(slot_null(slot, s->t->ob_resolved) || slot_date(slot, s->t->ob_resolved) > fa->e->as_of))
		f->open = true;
}

/* an earlier repair decided on or before as_of, for the record's subject */
static bool
prior_of(const Elig *e, TupleTableSlot *slot, DateADT *decided)
{
	const AttrNumber *a = e->s->t->ratt;

	/* the partial index holds repaired records only */
	if (slot_null(slot, a[R_REPAIR_DECIDED]))
		return false;
	*decided = slot_date(slot, a[R_REPAIR_DECIDED]);
	return *decided <= e->as_of;
}

static void
add_prior(Elig *e, DateADT decided, bool same_type)
{
	if (e->nprior == e->cap)
	{
		e->cap = e->cap ? e->cap * 2 : 8;
		e->prior = e->prior ? repalloc(e->prior, sizeof(repair_prior) * e->cap)
			: palloc(sizeof(repair_prior) * e->cap);
	}
	e->prior[e->nprior].decided_on = decided;
	e->prior[e->nprior].same_type = same_type;
	e->nprior++;
}

typedef struct ProbePrior
{
	Elig	   *e;
	int64		self;
	const char *category;
} ProbePrior;

static void
probe_prior(TupleTableSlot *slot, void *arg)
{
	ProbePrior *p = (ProbePrior *) arg;
	DateADT		decided;

	if (DatumGetInt64(slot_val(slot, p->e->s->t->ratt[R_RECORD_ID])) == p->self ||
		!prior_of(p->e, slot, &decided))
		return;
	add_prior(p->e, decided, text_is(slot_val(slot, p->e->s->t->ratt[R_CATEGORY]), p->category));
}

/* probe mode: visit the rows of relid whose indexed record_id (or subject_id) is key */
static void
probe(Elig *e, TupleTableSlot **slotp, Oid relid, Oid indexid, int64 key, int maxatt,
	  credit_row_callback cb, void *arg)
{
	Relation	rel = relid == e->s->t->record_rel ? elig_recrel(e) : table_open(relid, AccessShareLock);

	credit_scan_index_eq(rel, query_slot(e->s, rel, slotp), indexid, F_INT8EQ,
						 Int64GetDatum(key), maxatt, cb, arg);
	if (rel != e->recrel)
		table_close(rel, AccessShareLock);
}

/* ---- bulk mode: each table in one pass ---- */

/* the rows of rel as the planner last estimated them (never analysed: by its size) */
static double
rel_rows(Relation rel)
{
	BlockNumber pages = RelationGetNumberOfBlocks(rel);

	if (rel->rd_rel->reltuples >= 0 && rel->rd_rel->relpages > 0)
		return rel->rd_rel->reltuples / rel->rd_rel->relpages * pages;
	return 50.0 * pages;
}

/*
 * Every row of relid (through index indexid when valid: a partial index that
 * holds only the rows wanted, else in a sequential scan), grouped by its
 * int8 column keyatt into a new hash table of entrysize-byte entries (the
 * key first; a new entry starts zeroed): fold gets each row with its entry.
 */
static FactsTable *
bulk_read(Elig *e, Size entrysize, Oid relid, Oid indexid,
		  AttrNumber keyatt, int maxatt, credit_row_callback fold)
{
	Relation	rel = table_open(relid, AccessShareLock);
	Relation	idx = OidIsValid(indexid) ? index_open(indexid, AccessShareLock) : NULL;
	FactsTable *table = facts_create(entrysize, rel_rows(idx ? idx : rel));
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	IndexScanDesc iscan = NULL;
	TableScanDesc hscan = NULL;
	FoldArg		fa;

	fa.e = e;
	if (idx)
	{
		iscan = credit_index_beginscan(rel, idx, 0);
		index_rescan(iscan, NULL, 0, NULL, 0);
	}
	else
		hscan = credit_table_beginscan(rel);
	while (iscan ? index_getnext_slot(iscan, ForwardScanDirection, slot)
		   : table_scan_getnextslot(hscan, ForwardScanDirection, slot))
	{
		CHECK_FOR_INTERRUPTS();
		slot_getsomeattrs(slot, maxatt);
		fa.facts = facts_enter(table, DatumGetInt64(slot_val(slot, keyatt)));
		fold(slot, &fa);
	}
	if (iscan)
	{
		index_endscan(iscan);
		index_close(idx, AccessShareLock);
	}
	else
		table_endscan(hscan);
	ExecDropSingleTupleTableSlot(slot);
	table_close(rel, AccessShareLock);
	return table;
}

static void
fold_prior(TupleTableSlot *slot, void *arg)
{
	FoldArg    *fa = (FoldArg *) arg;
	SubjectPriors *p = (SubjectPriors *) fa->facts;
	DateADT		decided;

	if (!prior_of(fa->e, slot, &decided))
		return;
	if (p->n == p->cap)
	{
		p->cap = p->cap ? p->cap * 2 : 4;
		p->items = p->items ? repalloc(p->items, sizeof(PriorRepair) * p->cap)
			: palloc(sizeof(PriorRepair) * p->cap);
	}
	p->items[p->n].record_id = DatumGetInt64(slot_val(slot, fa->e->s->t->ratt[R_RECORD_ID]));
	p->items[p->n].decided_on = decided;
	p->items[p->n].category = TextDatumGetCString(slot_val(slot, fa->e->s->t->ratt[R_CATEGORY]));
	p->n++;
}

static void
bulk_prepare(Elig *e)
{
	EligSetup  *s = e->s;

	e->bulk = true;
	e->evidence = bulk_read(e, sizeof(EvidenceFacts), s->t->evidence_rel, InvalidOid,
							s->t->ev_record, s->t->ev_maxatt, fold_evidence);
	e->commitments = bulk_read(e, sizeof(CommitmentFacts), s->t->commitment_rel,
							   s->t->commitment_idx, s->t->cm_record, s->t->cm_maxatt, fold_commitment);
	e->objections = bulk_read(e, sizeof(ObjectionFacts), s->t->objection_rel, InvalidOid,
							  s->t->ob_record, s->t->ob_maxatt, fold_objection);
	if (credit_rules_any_limit())
		e->priors = bulk_read(e, sizeof(SubjectPriors), s->t->record_rel,
							  s->t->record_repaired, s->t->ratt[R_SUBJECT_ID], s->t->maxatt, fold_prior);
}

/* ---- the answer ---- */

/*
 * The facts of one record from a table of facts: its entry in the hash
 * table (bulk; NULL when it has none), or its rows read through the index
 * and folded into *local (probe).
 */
static void *
record_facts(Elig *e, int64 record_id, FactsTable *table, void *local, TupleTableSlot **slotp,
			 Oid relid, Oid indexid, int maxatt, credit_row_callback fold)
{
	FoldArg		fa;

	if (e->bulk)
		return facts_find(table, record_id);
	fa.e = e;
	fa.facts = local;
	probe(e, slotp, relid, indexid, record_id, maxatt, fold, &fa);
	return local;
}

/*
 * The facts about record r as of e->as_of, from the hash tables (bulk) or
 * through the indexes (probe), and the answer.
 */
static void
elig_answer(Elig *e, const RecordRow *rec, repair_result *res)
{
	EligSetup  *s = e->s;
	const CreditRule *rule = rec->rule;
	repair_facts f = {0};

	f.state = rec->state;
	f.excluded = rec->has_excluded && rec->excluded >= 1 && rec->excluded <= 6 &&
		(rule->excluded_mask & (1u << rec->excluded)) != 0;
	f.has_starts = rec->has_starts;
	f.starts = rec->starts;
	f.has_min_end = rec->has_min;
	f.min_end = rec->min_end;
	f.has_max_end = rec->has_max;
	f.max_end = rec->max_end;
	f.has_corrected = rec->has_corrected;
	f.corrected_on = rec->corrected;

	if (rec->evidence > 0 &&
		(rule->repair.requires_commitment || rule->repair.requires_interview ||
		 rule->repair.requires_training || rule->repair.requires_credit_report))
	{
		EvidenceFacts local = {0};
		EvidenceFacts *ev = record_facts(e, rec->record_id, e->evidence, &local, &s->t->evidence_slot,
										 s->t->evidence_rel, s->t->evidence_idx, s->t->ev_maxatt, fold_evidence);

		if (ev)
		{
			f.has_commitment = ev->commitment;
			f.has_interview = ev->interview;
			f.has_credit_report = ev->credit_report;
			f.training_hours = ev->training_hours;
		}
	}
	/* evidence_count also counts the record's repair commitments */
	if (rec->evidence > 0 && rule->repair.requires_commitment)
	{
		CommitmentFacts local = {0};
		CommitmentFacts *cm = record_facts(e, rec->record_id, e->commitments, &local, &s->t->commitment_slot,
										   s->t->commitment_rel, s->t->commitment_idx, s->t->cm_maxatt, fold_commitment);

		if (cm)
		{
			f.has_signed_commitment = cm->in_force;
			f.has_public_commitment = cm->in_force_public;
		}
	}
	if (rec->objections > 0)
	{
		ObjectionFacts local = {0};
		ObjectionFacts *ob = record_facts(e, rec->record_id, e->objections, &local, &s->t->objection_slot,
										  s->t->objection_rel, s->t->objection_idx, s->t->ob_maxatt, fold_objection);

		f.objection_open = ob && ob->open;
	}
	e->nprior = 0;
	if (rule->repair.has_same_type_window || rule->repair.repair_limit > 0)
	{
		if (e->bulk)
		{
			SubjectPriors *p = e->priors ? facts_find(e->priors, rec->subject_id) : NULL;
			int			i;

			for (i = 0; p && i < p->n; i++)
				if (p->items[i].record_id != rec->record_id)
					add_prior(e, p->items[i].decided_on, strcmp(p->items[i].category, rule->category) == 0);
		}
		else
		{
			ProbePrior	pp = {e, rec->record_id, rule->category};

			probe(e, &s->t->record_slot, s->t->record_rel, s->t->record_repaired, rec->subject_id,
				  s->t->maxatt, probe_prior, &pp);
		}
	}
	f.nprior = e->nprior;
	f.prior = e->prior;

	repair_evaluate(&rule->repair, &f, e->as_of, res);
}

static DateADT
checked_as_of(FunctionCallInfo fcinfo, int argno)
{
	DateADT		as_of;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("repair eligibility needs a date"),
				 errdetail("as_of is null."),
				 errhint("Leave it out for today (current_date).")));
	as_of = PG_GETARG_DATEADT(argno);
	/* a finite date inside the years the rules can speak of */
	if (DATE_NOT_FINITE(as_of) || as_of < CREDIT_DATE_FLOOR || as_of > CREDIT_DATE_CEILING)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("repair eligibility on %s is out of range",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(as_of)))),
				 errdetail("The date must be between 1949-10-01 and 9999-12-31.")));
	return as_of;
}

/*
 * many: the set-based form, which works out now (SPI) whose hidden records
 * the caller may see; the single form does it only for a hidden record.
 */
static void
elig_begin(Elig *e, EligSetup *s, DateADT as_of, bool many)
{
	memset(e, 0, sizeof(*e));
	e->s = s;
	e->as_of = as_of;
	e->today = GetSQLCurrentDate();
	e->sees_all = sees_all_records(s);
	if (many && !e->sees_all)
		auth_prepare(s);
	credit_rules_ensure();		/* no SPI inside the scans below */
}

/* probe mode: read a record through an index */
typedef struct ProbeRecord
{
	Elig	   *e;
	RecordRow  *rec;
} ProbeRecord;

static void
probe_record_row(TupleTableSlot *slot, void *arg)
{
	ProbeRecord *p = (ProbeRecord *) arg;

	read_record(p->e, slot, p->rec);
}

/* by record_id alone (one node: record_id_key) */
static void
probe_record(Elig *e, int64 record_id, RecordRow *rec)
{
	ProbeRecord p = {e, rec};
	Relation	rel = elig_recrel(e);

	rec->found = false;
	credit_scan_index_eq(rel, query_slot(e->s, rel, &e->s->t->record_slot), e->s->t->record_id_idx,
						 F_INT8EQ, Int64GetDatum(record_id), e->s->t->maxatt, probe_record_row, &p);
	if (rec->found)
		decide_visibility(e, rec);
}

/* by the whole key, through the primary key (one node, or the subject's shard) */
static void
probe_record_key(Elig *e, int64 subject_id, int64 record_id, RecordRow *rec)
{
	ProbeRecord p = {e, rec};
	Relation	rel = elig_recrel(e);
	ScanKeyData keys[2];

	rec->found = false;
	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(subject_id));
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(record_id));
	credit_scan_index_keys(rel, query_slot(e->s, rel, &e->s->t->record_slot), e->s->t->record_pkey,
						   2, keys, e->s->t->maxatt, probe_record_row, &p);
	if (rec->found)
		decide_visibility(e, rec);
}

/* the single forms' result row: eligible, earliest_on, reasons */
static Datum
answer_datum(EligSetup *s, const repair_result *res)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	values[0] = BoolGetDatum(res->eligible);
	values[1] = DateADTGetDatum((DateADT) res->earliest_on);
	nulls[1] = !res->has_earliest;
	values[2] = reason_array(s, res->reasons);
	return HeapTupleGetDatum(heap_form_tuple(s->result, values, nulls));
}

static Datum route_single(FunctionCallInfo fcinfo, EligSetup *s, int64 record_id, DateADT as_of);

PG_FUNCTION_INFO_V1(credit_repair_eligibility);
Datum
credit_repair_eligibility(PG_FUNCTION_ARGS)
{
	int64		record_id;
	EligSetup  *s;
	Elig		e;
	RecordRow	rec = {0};
	repair_result res;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	record_id = PG_GETARG_INT64(0);
	s = elig_setup(fcinfo, true);
	if (s->distributed)
		return route_single(fcinfo, s, record_id, checked_as_of(fcinfo, 1));
	elig_begin(&e, s, checked_as_of(fcinfo, 1), false);
	probe_record(&e, record_id, &rec);
	if (!rec.found || !rec.visible)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("record %lld does not exist", (long long) record_id)));
	elig_answer(&e, &rec, &res);
	elig_end(&e);
	PG_RETURN_DATUM(answer_datum(s, &res));
}

static int
cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/*
 * What a set-based call returns: the answers (record_id, eligible,
 * earliest_on, reasons), or, for the view credit.repair_candidate, the
 * eligible records with the columns it shows (no second read of them).
 */
typedef enum SetForm
{
	SET_ANSWERS, SET_CANDIDATES
} SetForm;

/* a record the caller may ask about, as a row of the result (slot: its row, bulk mode) */
static void
answer_row(Elig *e, const RecordRow *rec, TupleTableSlot *slot, SetForm form, bool only_eligible,
		   Tuplestorestate *ts, TupleDesc tupdesc)
{
	const AttrNumber *a = e->s->t->ratt;
	repair_result res;
	Datum		values[10];
	bool		nulls[10];

	elig_answer(e, rec, &res);
	if (only_eligible && !res.eligible)
		return;
	memset(nulls, 0, sizeof(nulls));
	values[0] = Int64GetDatum(rec->record_id);
	if (form == SET_ANSWERS)
	{
		values[1] = BoolGetDatum(res.eligible);
		values[2] = DateADTGetDatum((DateADT) res.earliest_on);
		nulls[2] = !res.has_earliest;
		values[3] = reason_array(e->s, res.reasons);
	}
	else
	{
		values[1] = Int64GetDatum(rec->subject_id);
		values[2] = slot_val(slot, a[R_CATEGORY]);
		values[3] = slot_val(slot, a[R_SEVERITY]);
		values[4] = slot_val(slot, a[R_RULESET]);
		nulls[4] = slot_null(slot, a[R_RULESET]);
		values[5] = slot_val(slot, a[R_AUTHORITY]);
		values[6] = slot_val(slot, a[R_DECIDED]);
		values[7] = DateADTGetDatum(rec->min_end);
		nulls[7] = !rec->has_min;
		values[8] = DateADTGetDatum(rec->max_end);
		nulls[8] = !rec->has_max;
		values[9] = BoolGetDatum(rec->state == RS_UNDER_REPAIR);
	}
	tuplestore_putvalues(ts, tupdesc, values, nulls);
}

static void route_set(FunctionCallInfo fcinfo, Elig *e, SetForm form, bool only_eligible,
					  Tuplestorestate *ts, TupleDesc tupdesc);

static Datum
eligibility_set(FunctionCallInfo fcinfo, SetForm form)
{
	EligSetup  *s = elig_setup(fcinfo, false);
	DateADT		as_of = checked_as_of(fcinfo, form == SET_ANSWERS ? 1 : 0);
	bool		only_eligible = form == SET_CANDIDATES || (!PG_ARGISNULL(2) && PG_GETARG_BOOL(2));
	TupleDesc	tupdesc;

	/*
	 * The result of a call over every record is as large as the table: past
	 * 4 MB (PostgreSQL's default work_mem) it is streamed through a temporary
	 * file.  That costs less than touching as much fresh memory for the first
	 * time (10^6 records, 110 MB of rows: 0.67 s against 1.06 s in memory on
	 * the virtual machine of make bench, where a page fault is dear).
	 */
	Tuplestorestate *ts = credit_srf_begin(fcinfo, &tupdesc, Min(work_mem, 4096));
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "credit repair_eligibility_many",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext oldcxt = MemoryContextSwitchTo(cxt);
	Elig		e;
	int64	   *ids = NULL;
	int			nids = 0;
	FactsTable *wanted = NULL;
	RecordRow	rec;

	elig_begin(&e, s, as_of, true);
	if (s->distributed)
	{
		route_set(fcinfo, &e, form, only_eligible, ts, tupdesc);
		MemoryContextSwitchTo(oldcxt);
		MemoryContextDelete(cxt);
		return (Datum) 0;
	}
	if (form == SET_ANSWERS && !PG_ARGISNULL(0))
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
		Datum	   *elems;
		bool	   *enulls;
		int			n,
					i;

		deconstruct_array(arr, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &enulls, &n);
		ids = palloc(sizeof(int64) * (n > 0 ? n : 1));
		for (i = 0; i < n; i++)
			if (!enulls[i])
				ids[nids++] = DatumGetInt64(elems[i]);
		if (nids > 1)
		{
			int			k = 1;

			qsort(ids, nids, sizeof(int64), cmp_int64);
			for (i = 1; i < nids; i++)
				if (ids[i] != ids[k - 1])
					ids[k++] = ids[i];
			nids = k;
		}
	}

	/* a few ids: probe them */
	if (ids != NULL && (double) nids < 10.0 * RelationGetNumberOfBlocks(elig_recrel(&e)))
	{
		int			i;

		for (i = 0; i < nids; i++)
		{
			CHECK_FOR_INTERRUPTS();
			memset(&rec, 0, sizeof(rec));
			probe_record(&e, ids[i], &rec);
			if (!rec.found || !rec.visible)
				continue;
			answer_row(&e, &rec, NULL, form, only_eligible, ts, tupdesc);
		}
	}
	else
	{
		TableScanDesc scan;
		TupleTableSlot *slot;

		if (ids != NULL)
		{
			int			i;

			wanted = facts_create(sizeof(int64), nids);
			for (i = 0; i < nids; i++)
				(void) facts_enter(wanted, ids[i]);
		}
		bulk_prepare(&e);
		slot = table_slot_create(elig_recrel(&e), NULL);
		scan = credit_table_beginscan(elig_recrel(&e));
		while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
		{
			CHECK_FOR_INTERRUPTS();
			slot_getsomeattrs(slot, s->t->maxatt);
			if (wanted)
			{
				int64		id = DatumGetInt64(slot_val(slot, s->t->ratt[R_RECORD_ID]));

				if (facts_find(wanted, id) == NULL)
					continue;
			}
			if (only_eligible && surely_ineligible(&e, slot))
				continue;
			memset(&rec, 0, sizeof(rec));
			read_record(&e, slot, &rec);
			if (!rec.visible)
				continue;
			answer_row(&e, &rec, slot, form, only_eligible, ts, tupdesc);
		}
		table_endscan(scan);
		ExecDropSingleTupleTableSlot(slot);
	}
	elig_end(&e);
	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(credit_repair_eligibility_many);
Datum
credit_repair_eligibility_many(PG_FUNCTION_ARGS)
{
	return eligibility_set(fcinfo, SET_ANSWERS);
}

/*
 * credit.repair_candidate_rows(as_of date) → SETOF (record_id, subject_id,
 * category, severity, ruleset, authority, decided_on, repairable_since,
 * shown_until, under_repair): the records eligible on as_of that the caller
 * may ask about, with the columns credit.repair_candidate shows.
 */
PG_FUNCTION_INFO_V1(credit_repair_candidate_rows);
Datum
credit_repair_candidate_rows(PG_FUNCTION_ARGS)
{
	return eligibility_set(fcinfo, SET_CANDIDATES);
}


/* ---- a Citus cluster ---- */

/*
 * On a cluster credit.record and the tables of facts are distributed by
 * subject: the coordinator's functions send the work to the nodes that hold
 * the subjects' shards, in one query over credit.record that Citus pushes
 * down (a task per shard, or one for a record's shard) calling
 * credit.repair_eligibility_local for each record on the node that holds
 * it.  That query runs as the owner of credit.record (whom the worker form
 * is granted to) with search_path pinned, and carries what the caller may
 * see: whether every record, else the authorities of its hidden records.
 */
typedef struct Route
{
	Oid			save_user;
	int			save_sec;
	int			guc_level;
	Oid			argtypes[6];
	Datum		args[6];
	char		nulls[7];
} Route;

static void
route_enter(Elig *e, Route *r, DateADT as_of)
{
	EligSetup  *s = e->s;
	bool		all = e->sees_all;
	Datum	   *elems;
	int			i;

	if (!all)
	{
		auth_prepare(s);		/* as the caller, before the owner's rights */
		all = s->auth_all;
	}
	elems = palloc(sizeof(Datum) * (s->nauth + 1));
	for (i = 0; !all && i < s->nauth; i++)
		elems[i] = CStringGetTextDatum(s->auth[i]);
	r->argtypes[0] = INT8OID;	/* $1: the record, or the records (set below) */
	r->argtypes[1] = DATEOID;	/* $2: as_of */
	r->argtypes[2] = DATEOID;	/* $3: today */
	r->argtypes[3] = BOOLOID;	/* $4: sees every record */
	r->argtypes[4] = TEXTARRAYOID;	/* $5: else the authorities of its hidden ones */
	r->argtypes[5] = BOOLOID;	/* $6: bulk */
	r->args[1] = DateADTGetDatum(as_of);
	r->args[2] = DateADTGetDatum(e->today);
	r->args[3] = BoolGetDatum(all);
	r->args[4] = PointerGetDatum(construct_array(elems, all ? 0 : s->nauth, TEXTOID, -1, false, TYPALIGN_INT));
	r->args[5] = BoolGetDatum(false);
	memset(r->nulls, ' ', 6);
	r->nulls[6] = '\0';

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	GetUserIdAndSecContext(&r->save_user, &r->save_sec);
	r->guc_level = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	SetUserIdAndSecContext(s->record_owner, r->save_sec | SECURITY_LOCAL_USERID_CHANGE);
}

static void
route_exit(Route *r)
{
	SetUserIdAndSecContext(r->save_user, r->save_sec);
	AtEOXact_GUC(true, r->guc_level);
	SPI_finish();
}

/*
 * The routed query: the answers (record_id, eligible, earliest_on, reasons)
 * or the candidates' columns, of the records matching filter ($1: the
 * record or the records), visible to the caller (the worker form's NULL),
 * only the eligible ones when asked.
 */
static char *
route_query(SetForm form, const char *filter, bool only_eligible)
{
	StringInfoData q;

	initStringInfo(&q);
	appendStringInfoString(&q, form == SET_ANSWERS
						   ? "SELECT q.record_id, (q.a).eligible, (q.a).earliest_on, (q.a).reasons"
						   : "SELECT q.record_id, q.subject_id, q.category, q.severity, q.ruleset, q.authority,"
						   " q.decided_on, q.publicity_min_end, q.publicity_max_end, q.state = 'under_repair'");
	appendStringInfoString(&q, " FROM (SELECT r.record_id, r.subject_id, r.category, r.severity, r.ruleset,"
						   " r.authority, r.decided_on, r.publicity_min_end, r.publicity_max_end, r.state,"
						   " credit.repair_eligibility_local(r.subject_id, r.record_id, $2, $3, $4, $5, $6) AS a"
						   " FROM credit.record r WHERE true");
	appendStringInfoString(&q, filter);
	/* what surely_ineligible() skips, left on the shards */
	if (only_eligible)
		appendStringInfoString(&q, " AND r.state IN ('published', 'under_repair')"
							   " AND r.publicity_starts <= $2"
							   " AND (r.publicity_max_end IS NULL OR r.publicity_max_end > $2)"
							   " AND (r.publicity_min_end IS NULL OR r.publicity_min_end <= $2)");
	/*
	 * (the function is volatile: the subquery is not flattened, one call a
	 * row; an answer's eligible is never NULL, a composite IS NOT NULL only
	 * without a NULL field: not a test of NULL answers)
	 */
	appendStringInfoString(&q, ") q WHERE (q.a).eligible IS NOT NULL");
	if (only_eligible)
		appendStringInfoString(&q, " AND (q.a).eligible");
	return q.data;
}

static Datum
route_single(FunctionCallInfo fcinfo, EligSetup *s, int64 record_id, DateADT as_of)
{
	MemoryContext outer = CurrentMemoryContext;
	Elig		e;
	Route		r;
	HeapTuple	result = NULL;

	elig_begin(&e, s, as_of, false);
	route_enter(&e, &r, as_of);
	r.args[0] = Int64GetDatum(record_id);
	if (SPI_execute_with_args(route_query(SET_ANSWERS, " AND r.record_id = $1", false),
							  6, r.argtypes, r.args, r.nulls, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not ask the nodes about record " INT64_FORMAT, record_id);
	if (SPI_processed > 0)
	{
		Datum		values[4];
		bool		nulls[4];
		MemoryContext old;

		/* (eligible, earliest_on, reasons) after the record_id */
		heap_deform_tuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, values, nulls);
		old = MemoryContextSwitchTo(outer);
		result = heap_form_tuple(s->result, values + 1, nulls + 1);
		MemoryContextSwitchTo(old);
	}
	route_exit(&r);
	if (result == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("record %lld does not exist", (long long) record_id)));
	PG_RETURN_DATUM(HeapTupleGetDatum(result));
}

static void
route_set(FunctionCallInfo fcinfo, Elig *e, SetForm form, bool only_eligible,
		  Tuplestorestate *ts, TupleDesc tupdesc)
{
	bool		some = form == SET_ANSWERS && !PG_ARGISNULL(0);
	Route		r;
	Portal		portal;

	route_enter(e, &r, e->as_of);
	if (some)
	{
		ArrayType  *ids = PG_GETARG_ARRAYTYPE_P(0);

		r.argtypes[0] = INT8ARRAYOID;
		r.args[0] = PointerGetDatum(ids);
		/* many records: each node reads its shards' facts in one pass each */
		r.args[5] = BoolGetDatum(ArrayGetNItems(ARR_NDIM(ids), ARR_DIMS(ids)) > 10000);
	}
	else
	{
		r.nulls[0] = 'n';
		r.args[5] = BoolGetDatum(true);
	}
	portal = SPI_cursor_open_with_args(NULL, route_query(form, some ? " AND r.record_id = ANY ($1)" : "", only_eligible),
									   6, r.argtypes, r.args, r.nulls, true, 0);
	for (;;)
	{
		uint64		i;

		SPI_cursor_fetch(portal, true, 10000);
		if (SPI_processed == 0)
			break;
		for (i = 0; i < SPI_processed; i++)
		{
			Datum		values[10];
			bool		nulls[10];

			CHECK_FOR_INTERRUPTS();
			heap_deform_tuple(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, values, nulls);
			tuplestore_putvalues(ts, tupdesc, values, nulls);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	route_exit(&r);
}

/*
 * credit.repair_eligibility_local(subject_id, record_id, as_of, today,
 * sees_all, authorities, bulk) → credit.repair_answer: the answer about a
 * record read from this node's tables (on a cluster: from the shards of the
 * subject here), or NULL when there is no such record or it is hidden from
 * the asker (it may see every record, or those public on today and the
 * hidden ones of the authorities).  bulk: many records of the same shards
 * follow in this query; their facts are read in one pass each, once.
 * Internal: the owner's (the coordinator's functions above, the workflow's
 * triggers).
 */
static void
worker_auth(EligSetup *s, Elig *e, FunctionCallInfo fcinfo)
{
	s->auth_user = GetUserId();
	s->auth_all = false;
	s->nauth = 0;
	if (!PG_ARGISNULL(5))
	{
		Datum	   *elems;
		bool	   *enulls;
		int			n,
					i;

		deconstruct_array(PG_GETARG_ARRAYTYPE_P(5), TEXTOID, -1, false, TYPALIGN_INT, &elems, &enulls, &n);
		s->auth = palloc(sizeof(char *) * (n + 1));
		for (i = 0; i < n; i++)
			if (!enulls[i])
				s->auth[s->nauth++] = TextDatumGetCString(elems[i]);
	}
	e->sees_all = !PG_ARGISNULL(4) && PG_GETARG_BOOL(4);
	e->today = PG_ARGISNULL(3) ? GetSQLCurrentDate() : PG_GETARG_DATEADT(3);
}

PG_FUNCTION_INFO_V1(credit_repair_eligibility_local);
Datum
credit_repair_eligibility_local(PG_FUNCTION_ARGS)
{
	int64		subject_id,
				record_id;
	DateADT		as_of;
	EligSetup  *s;
	Elig		local,
			   *e = &local;
	RecordRow	rec = {0};
	repair_result res;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	subject_id = PG_GETARG_INT64(0);
	record_id = PG_GETARG_INT64(1);
	as_of = checked_as_of(fcinfo, 2);
	s = elig_setup(fcinfo, true);
	if (!elig_use_subject(s, subject_id))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the shard of credit.record of subject %lld is not on this node", (long long) subject_id),
				 errhint("Call credit.repair_eligibility() or credit.repair_eligibility_many(), which find the node.")));
	credit_rules_ensure();
	if (!PG_ARGISNULL(6) && PG_GETARG_BOOL(6))
	{
		/* the facts of the subject's shards, read once for the query */
		CommandId	cid = GetCurrentCommandId(false);

		if (s->bulk_e == NULL || s->bulk_t != s->t || s->bulk_as_of != as_of ||
			s->bulk_lxid != MY_LXID || s->bulk_cid != cid)
		{
			MemoryContext old;

			if (s->bulk_cxt == NULL)
				s->bulk_cxt = AllocSetContextCreate(s->mcxt, "credit repair_eligibility_local",
													ALLOCSET_DEFAULT_SIZES);
			else
				MemoryContextReset(s->bulk_cxt);
			old = MemoryContextSwitchTo(s->bulk_cxt);
			s->bulk_e = palloc0(sizeof(Elig));
			s->bulk_e->s = s;
			s->bulk_e->as_of = as_of;
			bulk_prepare(s->bulk_e);
			MemoryContextSwitchTo(old);
			s->bulk_t = s->t;
			s->bulk_as_of = as_of;
			s->bulk_lxid = MY_LXID;
			s->bulk_cid = cid;
		}
		e = s->bulk_e;
		/* (this call's earlier repairs, in this call's memory) */
		e->prior = NULL;
		e->cap = 0;
		e->nprior = 0;
		e->recrel = NULL;
	}
	else
	{
		memset(e, 0, sizeof(*e));
		e->s = s;
		e->as_of = as_of;
	}
	worker_auth(s, e, fcinfo);
	probe_record_key(e, subject_id, record_id, &rec);
	if (rec.found && rec.visible)
		elig_answer(e, &rec, &res);
	elig_end(e);
	if (!rec.found || !rec.visible)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(answer_datum(s, &res));
}
