/*
 * credit.c
 *	  Module entry point and helpers shared by the fmgr glue.
 */
#include "credit.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/tableam.h"
#include "catalog/pg_class.h"
#include "utils/syscache.h"
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

static const struct config_enum_entry coverage_options[] = {
	{"warning", CREDIT_COVERAGE_WARNING, false},
	{"error", CREDIT_COVERAGE_ERROR, false},
	{"ignore", CREDIT_COVERAGE_IGNORE, false},
	{NULL, 0, false}
};

void
_PG_init(void)
{
	pg_bindtextdomain(TEXTDOMAIN);
	DefineCustomStringVariable("credit.default_ruleset",
							   "Ruleset used when a record or call names none.",
							   "One of the rulesets in credit.ruleset, e.g. national, national-2019, dandong.",
							   &credit_default_ruleset,
							   "national",
							   PGC_USERSET, 0,
							   NULL, NULL, NULL);
	DefineCustomEnumVariable("credit.calendar_coverage",
							 "What to do when working days are counted in a year credit.calendar does not cover.",
							 "warning: count weekends only and warn once per session and year; "
							 "error: refuse; ignore: count weekends only silently.",
							 &credit_calendar_coverage,
							 CREDIT_COVERAGE_WARNING,
							 coverage_options,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomBoolVariable("credit.audit_pause",
							 "Suspends the audit trigger in this session (superusers only).",
							 "For pg_restore: PGOPTIONS='-c credit.audit_pause=on' keeps the restore from "
							 "logging every restored row again.",
							 &credit_audit_pause,
							 false,
							 PGC_SUSET, 0,
							 NULL, NULL, NULL);
	DefineCustomBoolVariable("credit.drop_with_data",
							 "Lets DROP EXTENSION credit (or DROP SCHEMA credit) delete the records and the audit log.",
							 "Off: the drop is refused while credit.subject, credit.record or credit.audit_log has rows.",
							 &credit_drop_with_data,
							 false,
							 PGC_SUSET, 0,
							 NULL, NULL, NULL);
	DefineCustomIntVariable("credit.audit_seal_interval",
							"How often the background worker seals the audit log (0 = never).",
							"Needs credit in shared_preload_libraries; without it sealing is manual (credit.audit_seal()).",
							&credit_audit_seal_interval,
							10, 0, 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);
	if (process_shared_preload_libraries_in_progress)
		credit_sealer_register();
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("credit");
#else
	EmitWarningsOnPlaceholders("credit");
#endif
	credit_register_invalidation();
	credit_audit_register();
}

/*
 * credit.tr(msgid): msgid translated in the extension's gettext domain under
 * the session's lc_messages, for the messages the PL/pgSQL parts raise.
 */
PG_FUNCTION_INFO_V1(credit_tr);
Datum
credit_tr(PG_FUNCTION_ARGS)
{
	char	   *msgid = text_to_cstring(PG_GETARG_TEXT_PP(0));

	PG_RETURN_TEXT_P(cstring_to_text(CT_(msgid)));
}

bool
credit_normalize_server(const char *s, int len, credit_norm *out,
						credit_norm_status *status)
{
	const char *utf8 = s;
	int			i;
	bool		ascii = true;

	/*
	 * no code is this long: refuse before any work (NFKC expands up to 18x).
	 * The bound of credit_normalize_code(), applied to the text as given.
	 */
	if (len > CREDIT_INPUT_MAX)
	{
		out->len = 0;
		*status = CREDIT_NORM_TOO_LONG;
		return false;
	}
	for (i = 0; i < len; i++)
	{
		if ((unsigned char) s[i] >= 0x80)
		{
			ascii = false;
			break;
		}
	}
	if (ascii)
	{
		credit_normalize_ascii(s, (size_t) len, out);
		*status = CREDIT_NORM_OK;
		return true;
	}

	/* non-ASCII: ICU wants UTF-8 (a no-op in a UTF8 database) */
	if (GetDatabaseEncoding() != PG_UTF8)
	{
		utf8 = pg_server_to_any(s, len, PG_UTF8);
		if (utf8 != s)
			len = strlen(utf8);
	}
	*status = credit_normalize(utf8, (size_t) len, out);
	if (utf8 != s)
		pfree((void *) utf8);
	if (*status == CREDIT_NORM_NO_MEMORY)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory while normalising a code")));
	return *status == CREDIT_NORM_OK;
}

char *
credit_input_excerpt(const char *s, int len)
{
	int			cut;

	if (len <= CREDIT_INPUT_MAX)
		return pnstrdup(s, len);
	cut = pg_mbcliplen(s, len, CREDIT_EXCERPT_BYTES);
	return psprintf("%.*s...", cut, s);
}

void
credit_invalid_input(Node *escontext, const char *typname, const char *input,
					 const char *detail, const char *hint)
{
	credit_errsave(escontext,
				   (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					errmsg("invalid input syntax for type %s: \"%s\"", typname, input),
					errdetail_internal("%s", detail),
					hint ? errhint("%s", hint) : 0));
}

char *
credit_utf8_to_server(const char *s)
{
	return pg_any_to_server(s, strlen(s), PG_UTF8);
}

char *
credit_describe_char(uint32_t cp)
{
	char		buf[8];
	int			n;

	/* printable ASCII: just the character */
	if (cp > 0x20 && cp < 0x7F)
		return psprintf("\"%c\"", (char) cp);
	/* controls and the invisible format characters: the code point only */
	if (cp < 0xA0 || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF ||
		(cp >= 0x2060 && cp <= 0x2064) || cp > 0x10FFFF)
		return psprintf("U+%04X", cp);
	n = credit_utf8_encode(cp, buf);
	buf[n] = '\0';
	return psprintf("\"%s\" (U+%04X)", credit_utf8_to_server(buf), cp);
}

Datum
credit_text_array(const char **items, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * (n > 0 ? n : 1));
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(items[i]);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

Oid
credit_rel_owner(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

Oid
credit_rel_oid(Oid nsp, const char *name)
{
	Oid			oid = get_relname_relid(name, nsp);

	if (!OidIsValid(oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"credit.%s\" does not exist", name),
				 errhint("Is the credit extension installed completely?")));
	return oid;
}

AttrNumber
credit_attnum(Oid rel, const char *name)
{
	AttrNumber	a = get_attnum(rel, name);

	if (a == InvalidAttrNumber)
		elog(ERROR, "column \"%s\" of a credit table is missing", name);
	return a;
}

IndexScanDesc
credit_index_beginscan(Relation rel, Relation idx, int nkeys)
{
#if PG_VERSION_NUM >= 190000
	return index_beginscan(rel, idx, GetActiveSnapshot(), NULL, nkeys, 0, SO_NONE);
#elif PG_VERSION_NUM >= 180000
	return index_beginscan(rel, idx, GetActiveSnapshot(), NULL, nkeys, 0);
#else
	return index_beginscan(rel, idx, GetActiveSnapshot(), nkeys, 0);
#endif
}

TableScanDesc
credit_table_beginscan(Relation rel)
{
#if PG_VERSION_NUM >= 190000
	return table_beginscan(rel, GetActiveSnapshot(), 0, NULL, SO_NONE);
#else
	return table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
#endif
}

void
credit_scan_index_eq(Relation rel, TupleTableSlot *slot, Oid indexid, RegProcedure eqproc,
					 Datum key, int maxatt, credit_row_callback cb, void *arg)
{
	ScanKeyData skey;

	ScanKeyInit(&skey, 1, BTEqualStrategyNumber, eqproc, key);
	credit_scan_index_keys(rel, slot, indexid, 1, &skey, maxatt, cb, arg);
}

/* the same with nkeys keys on the first index columns */
void
credit_scan_index_keys(Relation rel, TupleTableSlot *slot, Oid indexid, int nkeys, ScanKey keys,
					   int maxatt, credit_row_callback cb, void *arg)
{
	Relation	idx = index_open(indexid, AccessShareLock);
	IndexScanDesc scan = credit_index_beginscan(rel, idx, nkeys);

	index_rescan(scan, keys, nkeys, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		slot_getsomeattrs(slot, maxatt);
		cb(slot, arg);
	}
	index_endscan(scan);
	ExecClearTuple(slot);
	index_close(idx, AccessShareLock);
}

/* materialise-mode set-up that works on PG 15-19 */
Tuplestorestate *
credit_srf_begin(FunctionCallInfo fcinfo, TupleDesc *tupdesc, int maxKBytes)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext oldcxt;
	Tuplestorestate *ts;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	oldcxt = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	*tupdesc = CreateTupleDescCopy(*tupdesc);
	ts = tuplestore_begin_heap(true, false, maxKBytes);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = ts;
	rsinfo->setDesc = *tupdesc;
	MemoryContextSwitchTo(oldcxt);
	return ts;
}
