/*
 * quality.c
 *	  credit.code_quality() and credit.code_quality_detail(): 重错码
 *	  governance reports over any table or view of codes (SPEC §9).
 *
 * One pass over the source: the query "SELECT code, name FROM source" runs
 * through SPI with the caller's rights (privileges, row-level security and
 * views apply as to any query of the caller) and its rows go straight to a
 * DestReceiver, no copy.  Each code is normalised and classified there
 * (valid, legacy pilot code, or invalid by strict problem code; NULL or blank
 * is "missing").  Valid and legacy codes with their name go to a tuplesort
 * on (code, name): a code held by two or more different names is a
 * duplicate code (重码).  Reading that sort in order feeds each distinct
 * (code, name) pair to a second sort on (name, code), whose groups are the
 * names with several codes.  Both sorts stay within work_mem and spill to
 * disk beyond it.  Names are compared by their key (credit_name_key) and
 * sorted by its 64-bit hash first: only grouping matters, and a hash orders
 * faster than text; equal hashes fall back to the key itself.
 */
#include "credit.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation_d.h"
#include "catalog/pg_operator_d.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/syscache.h"
#include "utils/tuplesort.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

/* the counters of invalid_by_problem, in the order they are reported */
static const unsigned quality_problem_flags[] = {
	CREDIT_PB_LENGTH, CREDIT_PB_CHARACTER, CREDIT_PB_REGION_DIGITS,
	CREDIT_PB_CHECK_CHAR, CREDIT_PB_DEPARTMENT, CREDIT_PB_CATEGORY,
	CREDIT_PB_ORG_CODE, CREDIT_PB_PROVINCE, CREDIT_PB_LEGACY_MARK
};
#define N_QUALITY_PROBLEMS lengthof(quality_problem_flags)

/* columns of the sorted tuples */
#define Q_CODE	1				/* credit.uscc */
#define Q_HASH	2				/* int8: hash of the name key */
#define Q_KEY	3				/* text: the name key */
#define Q_NAME	4				/* text: the name as stored (detail only) */

typedef enum code_kind
{
	CODE_TEXT,					/* text, varchar, char */
	CODE_USCC					/* credit.uscc */
} code_kind;

typedef struct quality_state
{
	/* what to read */
	code_kind	kind;
	bool		has_names;
	bool		detail;
	bool		utf8;			/* the database encoding is UTF-8 */

	/* results */
	int64		total;
	int64		valid;
	int64		invalid;
	int64		missing;
	int64		by_problem[N_QUALITY_PROBLEMS];
	int64		legacy;
	int64		duplicate_codes;
	int64		duplicate_rows;
	int64		names_with_several_codes;

	/* working storage */
	MemoryContext row_ctx;		/* reset after every row */
	TupleDesc	sort_desc;
	TupleTableSlot *in_slot;	/* virtual: a row for the sorts */
	TupleTableSlot *out_slot;	/* minimal tuples read back */
	Tuplesortstate *by_code;	/* (code, hash, key) */
	Tuplesortstate *by_name;	/* (hash, key, code) */
	char	   *keybuf;
	int			keybuf_size;

	/* the correction list (code_quality_detail) */
	Tuplestorestate *out;
	TupleDesc	out_desc;
} quality_state;

typedef struct quality_receiver
{
	DestReceiver pub;
	quality_state *st;
} quality_receiver;

/* ---------- arguments ---------- */

static Oid
uscc_type_oid(void)
{
	Oid			nsp = get_namespace_oid("credit", false);

	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
						   CStringGetDatum("uscc"), ObjectIdGetDatum(nsp));
}

/* the columns a code or name could be read from, for a hint */
static char *
text_columns_of(Oid relid, Oid uscc_oid)
{
	StringInfoData buf;
	HeapTuple	reltup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	int			natts;
	AttrNumber	i;

	if (!HeapTupleIsValid(reltup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	natts = ((Form_pg_class) GETSTRUCT(reltup))->relnatts;
	ReleaseSysCache(reltup);

	initStringInfo(&buf);
	for (i = 1; i <= natts; i++)
	{
		HeapTuple	tup = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(i));
		Form_pg_attribute att;
		Oid			base;

		if (!HeapTupleIsValid(tup))
			continue;
		att = (Form_pg_attribute) GETSTRUCT(tup);
		base = att->attisdropped ? InvalidOid : getBaseType(att->atttypid);
		if (base == TEXTOID || base == VARCHAROID || base == BPCHAROID || base == uscc_oid)
			appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", quote_identifier(NameStr(att->attname)));
		ReleaseSysCache(tup);
	}
	return buf.data;
}

/*
 * The column colname of relid, which must be of a text type, or credit.uscc
 * when uscc_oid is valid (the code column; else the name column): its
 * attnum, *kind set.
 */
static AttrNumber
quality_column(Oid relid, Name colname, Oid uscc_oid, code_kind *kind)
{
	AttrNumber	attnum = get_attnum(relid, NameStr(*colname));
	Oid			type;
	Oid			base;

	if (attnum == InvalidAttrNumber)
	{
		char	   *cols = text_columns_of(relid, uscc_oid);

		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						NameStr(*colname), get_rel_name(relid)),
				 OidIsValid(uscc_oid) ? errdetail("It was given as the code column.")
				 : errdetail("It was given as the name column."),
				 cols[0] ? errhint("The text columns of \"%s\" are: %s.", get_rel_name(relid), cols)
				 : errhint("\"%s\" has no text column.", get_rel_name(relid))));
	}
	type = get_atttype(relid, attnum);
	base = getBaseType(type);
	if (base == TEXTOID || base == VARCHAROID || base == BPCHAROID)
		*kind = CODE_TEXT;
	else if (OidIsValid(uscc_oid) && base == uscc_oid)
		*kind = CODE_USCC;
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of relation \"%s\" is of type %s",
						NameStr(*colname), get_rel_name(relid), format_type_be(type)),
				 OidIsValid(uscc_oid) ?
				 errdetail("A code column must be of type text, varchar, char or credit.uscc.") :
				 errdetail("A name column must be of type text, varchar or char."),
				 errhint("Pass a view that casts the column to text.")));
	return attnum;
}

/* ---------- one row ---------- */

/* a row of the correction list */
static void
detail_row(quality_state *st, const char *code, int code_len, Datum name,
		   bool name_null, const char *problem)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (code)
		values[0] = PointerGetDatum(cstring_to_text_with_len(code, code_len));
	else
		nulls[0] = true;
	values[1] = name;
	nulls[1] = name_null;
	values[2] = CStringGetTextDatum(problem);
	tuplestore_putvalues(st->out, st->out_desc, values, nulls);
}

static void
quality_row(quality_state *st, Datum code, bool code_null, Datum name,
			bool name_null)
{
	uint8		packed[USCC_PACKED_LEN];
	unsigned	flags = 0;
	const char *raw = NULL;		/* the code as stored, for the correction list */
	int			raw_len = 0;
	char		s[USCC_TEXT_MAX];
	credit_norm n;

	st->total++;
	if (code_null)
		;
	else if (st->kind == CODE_USCC)
	{
		/*
		 * stored values: the strict checks input does not make (of a legacy
		 * code: exactly CREDIT_PB_LEGACY_CHECK)
		 */
		int			i;

		memcpy(packed, DatumGetPointer(code), USCC_PACKED_LEN);
		uscc_unpack(packed, s);
		n.len = USCC_LEN;
		for (i = 0; i < USCC_LEN; i++)
			n.cp[i] = (unsigned char) s[i];
		flags = uscc_problems(&n, true);
		raw = s;
		raw_len = USCC_LEN;
	}
	else
	{
		text	   *t = DatumGetTextPP(code);
		credit_norm_status ns;

		raw = VARDATA_ANY(t);
		raw_len = VARSIZE_ANY_EXHDR(t);
		if (!credit_normalize_server(raw, raw_len, &n, &ns))
			flags = ns == CREDIT_NORM_TOO_LONG ? CREDIT_PB_LENGTH : CREDIT_PB_CHARACTER;
		else if (n.len == 0)
			code_null = true;	/* blank: missing */
		else
			flags = uscc_classify(&n, packed);
	}

	if (code_null)
	{
		st->invalid++;
		st->missing++;
		if (st->detail)
			detail_row(st, raw, raw_len, name, name_null, "missing");
		return;
	}
	if (flags != 0 && flags != CREDIT_PB_LEGACY_CHECK)
	{
		int			i;

		st->invalid++;
		for (i = 0; i < (int) N_QUALITY_PROBLEMS; i++)
			if (flags & quality_problem_flags[i])
			{
				st->by_problem[i]++;
				if (st->detail)
					detail_row(st, raw, raw_len, name, name_null,
							   credit_uscc_problem_code(quality_problem_flags[i]));
			}
		return;
	}

	if (flags == CREDIT_PB_LEGACY_CHECK)
	{
		st->legacy++;
		if (st->detail)
		{
			uscc_unpack(packed, s);
			detail_row(st, s, USCC_LEN, name, name_null, "legacy_check_char");
		}
	}
	else
		st->valid++;

	/* a valid or legacy code: to the duplicate analysis */
	{
		TupleTableSlot *slot = st->in_slot;

		ExecClearTuple(slot);
		memset(slot->tts_isnull, true, sizeof(bool) * 4);
		slot->tts_values[Q_CODE - 1] = PointerGetDatum(packed);
		slot->tts_isnull[Q_CODE - 1] = false;
		if (st->has_names)
		{
			text	   *nt;
			const char *s;
			int			len;
			size_t		keylen;

			if (name_null)
				return;			/* no name: no part in name comparisons */
			nt = DatumGetTextPP(name);
			s = VARDATA_ANY(nt);
			len = VARSIZE_ANY_EXHDR(nt);
			if (!st->utf8)
			{
				s = pg_server_to_any(s, len, PG_UTF8);
				len = strlen(s);
			}
			if (len > st->keybuf_size)
			{
				st->keybuf = repalloc(st->keybuf, len);	/* stays in work_ctx */
				st->keybuf_size = len;
			}
			keylen = credit_name_key(s, len, st->keybuf);
			if (keylen == 0)
				return;			/* blank name: likewise */
			slot->tts_values[Q_HASH - 1] =
				Int64GetDatum((int64) hash_bytes_extended((const unsigned char *) st->keybuf, (int) keylen, 0));
			slot->tts_isnull[Q_HASH - 1] = false;
			slot->tts_values[Q_KEY - 1] = PointerGetDatum(cstring_to_text_with_len(st->keybuf, (int) keylen));
			slot->tts_isnull[Q_KEY - 1] = false;
			if (st->detail)
			{
				slot->tts_values[Q_NAME - 1] = PointerGetDatum(nt);
				slot->tts_isnull[Q_NAME - 1] = false;
			}
		}
		ExecStoreVirtualTuple(slot);
		tuplesort_puttupleslot(st->by_code, slot);
	}
}

/* ---------- the DestReceiver of the scan ---------- */

static bool
quality_receive(TupleTableSlot *slot, DestReceiver *self)
{
	quality_state *st = ((quality_receiver *) self)->st;
	MemoryContext old = MemoryContextSwitchTo(st->row_ctx);
	bool		code_null;
	bool		name_null = true;
	Datum		code = slot_getattr(slot, 1, &code_null);
	Datum		name = (Datum) 0;

	if (st->has_names)
		name = slot_getattr(slot, 2, &name_null);
	quality_row(st, code, code_null, name, name_null);
	MemoryContextSwitchTo(old);
	MemoryContextReset(st->row_ctx);
	return true;
}

static void
quality_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
quality_shutdown(DestReceiver *self)
{
}

static void
quality_destroy(DestReceiver *self)
{
}

/* ---------- the sorts ---------- */

static Tuplesortstate *
quality_sort(quality_state *st, Oid uscc_lt, bool by_name)
{
	AttrNumber	cols_code[3] = {Q_CODE, Q_HASH, Q_KEY};
	AttrNumber	cols_name[3] = {Q_HASH, Q_KEY, Q_CODE};
	Oid			ops_code[3] = {uscc_lt, Int8LessOperator, TextLessOperator};
	Oid			ops_name[3] = {Int8LessOperator, TextLessOperator, uscc_lt};
	Oid			coll_code[3] = {InvalidOid, InvalidOid, C_COLLATION_OID};
	Oid			coll_name[3] = {InvalidOid, C_COLLATION_OID, InvalidOid};
	bool		nulls_first[3] = {false, false, false};

	return tuplesort_begin_heap(st->sort_desc, st->has_names ? 3 : 1,
								by_name ? cols_name : cols_code,
								by_name ? ops_name : ops_code,
								by_name ? coll_name : coll_code,
								nulls_first, work_mem, NULL, TUPLESORT_NONE);
}

/* a copy of the name key of the slot's tuple into buf */
static void
copy_key(TupleTableSlot *slot, StringInfo buf, int64 *hash)
{
	bool		isnull;
	text	   *t = DatumGetTextPP(slot_getattr(slot, Q_KEY, &isnull));

	*hash = DatumGetInt64(slot_getattr(slot, Q_HASH, &isnull));
	resetStringInfo(buf);
	appendBinaryStringInfo(buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

static bool
same_key(TupleTableSlot *slot, StringInfo buf, int64 hash)
{
	bool		isnull;
	text	   *t;

	if (DatumGetInt64(slot_getattr(slot, Q_HASH, &isnull)) != hash)
		return false;
	t = DatumGetTextPP(slot_getattr(slot, Q_KEY, &isnull));
	return VARSIZE_ANY_EXHDR(t) == buf->len &&
		memcmp(VARDATA_ANY(t), buf->data, buf->len) == 0;
}

/*
 * A correction-list row of a valid or legacy code read from a sort (in
 * canonical form); what it allocates goes with the row context.
 */
static void
detail_code(quality_state *st, const uint8 *packed, Datum name, bool name_null,
			const char *problem)
{
	MemoryContext old = MemoryContextSwitchTo(st->row_ctx);
	char		s[USCC_LEN];

	uscc_unpack(packed, s);
	detail_row(st, s, USCC_LEN, name, name_null, problem);
	MemoryContextSwitchTo(old);
	MemoryContextReset(st->row_ctx);
}

/* the correction-list row of a sorted tuple */
static void
detail_sorted(quality_state *st, TupleTableSlot *slot, const char *problem)
{
	bool		code_null,
				name_null;
	Datum		code = slot_getattr(slot, Q_CODE, &code_null);
	Datum		name = slot_getattr(slot, Q_NAME, &name_null);

	detail_code(st, (const uint8 *) DatumGetPointer(code), name, name_null, problem);
}

/*
 * The n-th member (from 1) of a group read in sort order, for the correction
 * list: a group is reported from its second member on, with the first one,
 * which *first keeps until then.
 */
static void
detail_member(quality_state *st, TupleTableSlot *first, TupleTableSlot *slot,
			  int64 n, const char *problem)
{
	if (!st->detail)
		return;
	if (n == 1)
	{
		ExecCopySlot(first, slot);
		return;
	}
	if (n == 2)
		detail_sorted(st, first, problem);
	detail_sorted(st, slot, problem);
}

/*
 * Codes held by two or more different names (or, without names, found on
 * two or more rows); each distinct (code, name) pair goes on to by_name.
 */
static void
quality_duplicates(quality_state *st)
{
	TupleTableSlot *slot = st->out_slot;
	uint8		code[USCC_PACKED_LEN];
	bool		have = false;
	int64		rows = 0;		/* rows of the current code */
	int64		names = 0;		/* different names of the current code */
	StringInfoData key;
	int64		hash = 0;
	TupleTableSlot *first = NULL;	/* the first name of the code, until a second */

	initStringInfo(&key);
	if (st->detail && st->has_names)
		first = MakeSingleTupleTableSlot(st->sort_desc, &TTSOpsMinimalTuple);

	tuplesort_performsort(st->by_code);
	for (;;)
	{
		bool		more = tuplesort_gettupleslot(st->by_code, true, false, slot, NULL);
		bool		isnull;
		const uint8 *c = NULL;
		bool		same_code;

		CHECK_FOR_INTERRUPTS();
		if (more)
			c = (const uint8 *) DatumGetPointer(slot_getattr(slot, Q_CODE, &isnull));
		same_code = more && have && memcmp(c, code, USCC_PACKED_LEN) == 0;
		if (!same_code)
		{
			/* the code before is complete */
			if (have && (st->has_names ? names >= 2 : rows >= 2))
			{
				st->duplicate_codes++;
				st->duplicate_rows += rows;
			}
			if (!more)
				break;
			memcpy(code, c, USCC_PACKED_LEN);
			have = true;
			rows = 0;
			names = 0;
		}
		rows++;
		if (!st->has_names)
		{
			if (rows == 2 && st->detail)
				detail_code(st, code, (Datum) 0, true, "duplicate_code");
			continue;
		}
		if (names > 0 && same_key(slot, &key, hash))
			continue;			/* the same name again */
		/* a name not seen with this code */
		names++;
		copy_key(slot, &key, &hash);
		tuplesort_puttupleslot(st->by_name, slot);
		detail_member(st, first, slot, names, "duplicate_code");
	}
	if (first)
		ExecDropSingleTupleTableSlot(first);
	pfree(key.data);
}

/* names found with two or more different valid or legacy codes */
static void
quality_several_codes(quality_state *st)
{
	TupleTableSlot *slot = st->out_slot;
	StringInfoData key;
	int64		hash = 0;
	int64		codes = 0;		/* different codes of the current name */
	TupleTableSlot *first = NULL;

	initStringInfo(&key);
	if (st->detail)
		first = MakeSingleTupleTableSlot(st->sort_desc, &TTSOpsMinimalTuple);

	tuplesort_performsort(st->by_name);
	for (;;)
	{
		bool		more = tuplesort_gettupleslot(st->by_name, true, false, slot, NULL);

		CHECK_FOR_INTERRUPTS();
		if (!more || codes == 0 || !same_key(slot, &key, hash))
		{
			if (codes >= 2)
				st->names_with_several_codes++;
			if (!more)
				break;
			copy_key(slot, &key, &hash);
			codes = 0;
		}
		/* every tuple is a distinct (name, code) pair */
		codes++;
		detail_member(st, first, slot, codes, "several_codes");
	}
	if (first)
		ExecDropSingleTupleTableSlot(first);
	pfree(key.data);
}

/* ---------- the whole report ---------- */

static void
quality_run(FunctionCallInfo fcinfo, quality_state *st)
{
	Oid			relid;
	char		relkind;
	Oid			uscc_oid = uscc_type_oid();
	AttrNumber	code_att;
	AttrNumber	name_att = InvalidAttrNumber;
	code_kind	name_kind;
	char	   *query;
	MemoryContext work_ctx;
	MemoryContext old;
	quality_receiver rcv;
	SPIExecuteOptions opts;
	int			ret;
	TypeCacheEntry *tc;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("source and code_column must not be null"),
				 errhint("Call it as credit.code_quality('schema.table', 'code_column', 'name_column').")));
	relid = PG_GETARG_OID(0);
	relkind = get_rel_relkind(relid);
	if (relkind == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE &&
		relkind != RELKIND_VIEW && relkind != RELKIND_MATVIEW &&
		relkind != RELKIND_FOREIGN_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table or view", get_rel_name(relid)),
				 errdetail("A code-quality report reads a table, a view, a materialized view or a foreign table.")));
	code_att = quality_column(relid, PG_GETARG_NAME(1), uscc_oid, &st->kind);
	st->has_names = !PG_ARGISNULL(2);
	if (st->has_names)
		name_att = quality_column(relid, PG_GETARG_NAME(2), InvalidOid, &name_kind);
	st->utf8 = GetDatabaseEncoding() == PG_UTF8;

	/* the query, with the caller's rights */
	query = psprintf("SELECT %s%s%s FROM %s",
					 quote_identifier(get_attname(relid, code_att, false)),
					 st->has_names ? ", " : "",
					 st->has_names ? quote_identifier(get_attname(relid, name_att, false)) : "",
					 quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
												get_rel_name(relid)));

	/* everything of the report lives here, and goes at the end */
	work_ctx = AllocSetContextCreate(CurrentMemoryContext, "credit code quality",
									 ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work_ctx);
	st->row_ctx = AllocSetContextCreate(work_ctx, "credit code quality row",
										ALLOCSET_SMALL_SIZES);
	st->keybuf_size = 256;
	st->keybuf = palloc(st->keybuf_size);
	st->sort_desc = CreateTemplateTupleDesc(4);
	TupleDescInitEntry(st->sort_desc, Q_CODE, "code", uscc_oid, -1, 0);
	TupleDescInitEntry(st->sort_desc, Q_HASH, "hash", INT8OID, -1, 0);
	TupleDescInitEntry(st->sort_desc, Q_KEY, "key", TEXTOID, -1, 0);
	TupleDescInitEntryCollation(st->sort_desc, Q_KEY, C_COLLATION_OID);
	TupleDescInitEntry(st->sort_desc, Q_NAME, "name", TEXTOID, -1, 0);
	st->in_slot = MakeSingleTupleTableSlot(st->sort_desc, &TTSOpsVirtual);
	st->out_slot = MakeSingleTupleTableSlot(st->sort_desc, &TTSOpsMinimalTuple);
	tc = lookup_type_cache(uscc_oid, TYPECACHE_LT_OPR);
	if (!OidIsValid(tc->lt_opr))
		elog(ERROR, "credit.uscc has no < operator");
	st->by_code = quality_sort(st, tc->lt_opr, false);
	if (st->has_names)
		st->by_name = quality_sort(st, tc->lt_opr, true);
	MemoryContextSwitchTo(old);

	/* one pass over the source */
	memset(&rcv, 0, sizeof(rcv));
	rcv.pub.receiveSlot = quality_receive;
	rcv.pub.rStartup = quality_startup;
	rcv.pub.rShutdown = quality_shutdown;
	rcv.pub.rDestroy = quality_destroy;
	rcv.pub.mydest = DestNone;
	rcv.st = st;
	memset(&opts, 0, sizeof(opts));
	opts.read_only = true;
	opts.dest = (DestReceiver *) &rcv;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute_extended(query, &opts);
	/* a SELECT whose rows went to a receiver tagged DestNone: SPI_OK_UTILITY */
	if (ret != SPI_OK_SELECT && ret != SPI_OK_UTILITY)
		elog(ERROR, "could not read %s: %s", query, SPI_result_code_string(ret));
	SPI_finish();

	old = MemoryContextSwitchTo(work_ctx);
	quality_duplicates(st);
	tuplesort_end(st->by_code);
	if (st->has_names)
	{
		quality_several_codes(st);
		tuplesort_end(st->by_name);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work_ctx);
}

/* (invalid + duplicate_rows) * 10000 / total, rounded to 4 decimal places */
static Datum
quality_rate(const quality_state *st)
{
	Numeric		errors = int64_to_numeric(st->invalid + st->duplicate_rows);
	Numeric		scaled = DatumGetNumeric(DirectFunctionCall2(numeric_mul, NumericGetDatum(errors),
															 NumericGetDatum(int64_to_numeric(10000))));
	Datum		rate = DirectFunctionCall2(numeric_div, NumericGetDatum(scaled),
										   NumericGetDatum(int64_to_numeric(st->total)));

	return DirectFunctionCall2(numeric_round, rate, Int32GetDatum(4));
}

static Datum
quality_by_problem(const quality_state *st)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	if (st->missing)
		appendStringInfo(&buf, "\"missing\": " INT64_FORMAT, st->missing);
	for (i = 0; i < (int) N_QUALITY_PROBLEMS; i++)
		if (st->by_problem[i])
			appendStringInfo(&buf, "%s\"%s\": " INT64_FORMAT, buf.len > 1 ? ", " : "",
							 credit_uscc_problem_code(quality_problem_flags[i]), st->by_problem[i]);
	appendStringInfoChar(&buf, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data));
}

PG_FUNCTION_INFO_V1(credit_code_quality);
Datum
credit_code_quality(PG_FUNCTION_ARGS)
{
	quality_state st;
	TupleDesc	tupdesc;
	Datum		values[9];
	bool		nulls[9] = {false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	memset(&st, 0, sizeof(st));
	quality_run(fcinfo, &st);

	values[0] = Int64GetDatum(st.total);
	values[1] = Int64GetDatum(st.valid);
	values[2] = Int64GetDatum(st.invalid);
	values[3] = quality_by_problem(&st);
	values[4] = Int64GetDatum(st.legacy);
	values[5] = Int64GetDatum(st.duplicate_codes);
	values[6] = Int64GetDatum(st.duplicate_rows);
	values[7] = Int64GetDatum(st.names_with_several_codes);
	nulls[7] = !st.has_names;
	if (st.total > 0)
		values[8] = quality_rate(&st);
	else
		nulls[8] = true;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

PG_FUNCTION_INFO_V1(credit_code_quality_detail);
Datum
credit_code_quality_detail(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	quality_state st;

	InitMaterializedSRF(fcinfo, 0);
	memset(&st, 0, sizeof(st));
	st.detail = true;
	st.out = rsinfo->setResult;
	st.out_desc = rsinfo->setDesc;
	quality_run(fcinfo, &st);
	return (Datum) 0;
}
