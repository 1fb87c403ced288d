/*
 * audit.c
 *	  The audit trigger and the hash functions of the tamper-evident log.
 *
 * credit.audit_trigger() is an AFTER row (and TRUNCATE statement) trigger.
 * It turns the old and new rows into jsonb, lists the changed columns
 * (an UPDATE that changes nothing is not logged), and inserts one row into
 * credit.audit_log through a prepared statement run as the log's owner, the
 * way PostgreSQL's RI triggers run as the referenced table's owner: writers
 * need no privilege on the log, and the user who wrote is recorded before the
 * switch.  Nothing shared is updated (no chain head), so concurrent writers
 * never wait for each other; the chain is built afterwards by
 * credit.audit_seal().
 *
 * The row hash is computed by credit.audit_row_hash() inside that INSERT,
 * over the values as stored; credit.audit_verify() calls the same function,
 * so there is one definition of the encoding.
 */
#include "credit.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "utils/acl.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#if PG_VERSION_NUM >= 140000
#include "common/cryptohash.h"
#else
#include "common/sha2.h"
#endif

#include "audit_core.h"

bool		credit_audit_pause = false;
bool		credit_drop_with_data = false;

/*
 * Restore mode.  pg_restore (and psql running a pg_dump script) loads the
 * audit tables' rows before the audited tables' (pg_dump orders table data
 * by name: credit.audit_* come first in the schema), then replays every
 * audited table's rows.  Those rows are history already in the restored log:
 * logging them again would duplicate it and collide with the restored
 * log_ids.  Only the extension's own code writes the audit tables, always
 * with a locally changed user id (the audit trigger, SECURITY DEFINER
 * functions); a plain INSERT or COPY into them -- which only their owner or a
 * superuser may run -- is a restore, and from then on this session logs
 * nothing.  credit.audit_restore_mark() is the BEFORE INSERT statement
 * trigger that notices it.
 */
static bool audit_restoring = false;

/* ---------- SHA-256 (PostgreSQL's own) ---------- */

static void
pg_sha256(const uint8_t *data, size_t len, uint8_t out[AUDIT_HASH_LEN])
{
#if PG_VERSION_NUM >= 140000
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, data, len) < 0 ||
		pg_cryptohash_final(ctx, out, AUDIT_HASH_LEN) < 0)
		elog(ERROR, "could not compute a SHA-256 hash");
	pg_cryptohash_free(ctx);
#else
	pg_sha256_ctx ctx;

	pg_sha256_init(&ctx);
	pg_sha256_update(&ctx, data, len);
	pg_sha256_final(&ctx, out);
#endif
}

static void *
buf_grow(void *ptr, size_t newcap)
{
	return ptr ? repalloc(ptr, newcap) : palloc(newcap);
}

static bytea *
hash_buf(audit_buf *b)
{
	bytea	   *res = palloc(VARHDRSZ + AUDIT_HASH_LEN);

	SET_VARSIZE(res, VARHDRSZ + AUDIT_HASH_LEN);
	pg_sha256(b->data, b->len, (uint8_t *) VARDATA(res));
	return res;
}

static void
put_text_arg(audit_buf *b, FunctionCallInfo fcinfo, int i)
{
	if (PG_ARGISNULL(i))
		audit_put_null(b);
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(i);

		audit_put_bytes(b, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
}

/* a non-text argument through its type's output function */
static void
put_out_arg(audit_buf *b, FunctionCallInfo fcinfo, int i, Oid typoid)
{
	Oid			outfn;
	bool		isvarlena;
	char	   *s;

	if (PG_ARGISNULL(i))
	{
		audit_put_null(b);
		return;
	}
	getTypeOutputInfo(typoid, &outfn, &isvarlena);
	s = OidOutputFunctionCall(outfn, PG_GETARG_DATUM(i));
	audit_put_bytes(b, s, strlen(s));
}

static void
put_int64_arg(audit_buf *b, FunctionCallInfo fcinfo, int i)
{
	if (PG_ARGISNULL(i))
		audit_put_null(b);
	else
		audit_put_int64(b, PG_GETARG_INT64(i));
}

/*
 * credit.audit_row_hash(log_id, schema_name, table_name, operation, old_row,
 *		new_row, changed_columns, session_user_name, current_user_name,
 *		application_name, client_addr, txid, statement_ts) -> bytea
 *
 * Version 1 of the encoding: the tag, then the 13 fields in this order;
 * jsonb, text[] and inet as their canonical text; log_id, txid and the
 * timestamp (microseconds) as 8-byte integers.
 */
PG_FUNCTION_INFO_V1(credit_audit_row_hash);
Datum
credit_audit_row_hash(PG_FUNCTION_ARGS)
{
	audit_buf	b = {NULL, 0, 0, buf_grow};

	audit_put_tag(&b, AUDIT_ROW_TAG);
	put_int64_arg(&b, fcinfo, 0);
	put_text_arg(&b, fcinfo, 1);
	put_text_arg(&b, fcinfo, 2);
	put_text_arg(&b, fcinfo, 3);
	put_out_arg(&b, fcinfo, 4, JSONBOID);
	put_out_arg(&b, fcinfo, 5, JSONBOID);
	put_out_arg(&b, fcinfo, 6, TEXTARRAYOID);
	put_text_arg(&b, fcinfo, 7);
	put_text_arg(&b, fcinfo, 8);
	put_text_arg(&b, fcinfo, 9);
	put_out_arg(&b, fcinfo, 10, INETOID);
	put_int64_arg(&b, fcinfo, 11);	/* xid8: a uint64 in an int8-sized Datum */
	put_int64_arg(&b, fcinfo, 12);	/* timestamptz: int64 microseconds */
	PG_RETURN_BYTEA_P(hash_buf(&b));
}

/*
 * credit.audit_block_hash(block_id, row_count, merkle_root, prev_hash,
 *		sealed_at) -> bytea
 */
PG_FUNCTION_INFO_V1(credit_audit_block_hash);
Datum
credit_audit_block_hash(PG_FUNCTION_ARGS)
{
	audit_buf	b = {NULL, 0, 0, buf_grow};
	int			i;

	audit_put_tag(&b, AUDIT_BLOCK_TAG);
	put_int64_arg(&b, fcinfo, 0);
	put_int64_arg(&b, fcinfo, 1);
	for (i = 2; i <= 3; i++)
	{
		if (PG_ARGISNULL(i))
			audit_put_null(&b);
		else
		{
			bytea	   *h = PG_GETARG_BYTEA_PP(i);

			audit_put_bytes(&b, VARDATA_ANY(h), VARSIZE_ANY_EXHDR(h));
		}
	}
	put_int64_arg(&b, fcinfo, 4);
	PG_RETURN_BYTEA_P(hash_buf(&b));
}

/* credit.audit_merkle_root(bytea[]) -> bytea: RFC 6962 tree head */
PG_FUNCTION_INFO_V1(credit_audit_merkle_root);
Datum
credit_audit_merkle_root(PG_FUNCTION_ARGS)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	uint8_t		(*leaves)[AUDIT_HASH_LEN];
	bytea	   *res = palloc(VARHDRSZ + AUDIT_HASH_LEN);

	SET_VARSIZE(res, VARHDRSZ + AUDIT_HASH_LEN);
	if (PG_ARGISNULL(0))
		n = 0, elems = NULL, nulls = NULL;
	else
	{
		arr = PG_GETARG_ARRAYTYPE_P(0);
		deconstruct_array(arr, BYTEAOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	}
	leaves = palloc(sizeof(*leaves) * (n > 0 ? n : 1));
	for (i = 0; i < n; i++)
	{
		bytea	   *h;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a Merkle leaf is null")));
		h = DatumGetByteaPP(elems[i]);
		if (VARSIZE_ANY_EXHDR(h) != AUDIT_HASH_LEN)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("a Merkle leaf has %d bytes, not %d",
							(int) VARSIZE_ANY_EXHDR(h), AUDIT_HASH_LEN)));
		memcpy(leaves[i], VARDATA_ANY(h), AUDIT_HASH_LEN);
	}
	audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, (size_t) n, pg_sha256,
					  (uint8_t *) VARDATA(res));
	PG_RETURN_BYTEA_P(res);
}

/* ---------- per-table cache ---------- */

typedef struct AuditTable
{
	Oid			relid;			/* hash key */
	bool		valid;
	char	   *schema;
	char	   *table;
	FmgrInfo	to_jsonb;		/* to_jsonb() bound to the table's row type */
} AuditTable;

static HTAB *audit_tables = NULL;
static SPIPlanPtr insert_plan = NULL;
static Oid	log_relid = InvalidOid;
static Oid	log_owner = InvalidOid;

static void
audit_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == log_relid)
	{
		log_relid = InvalidOid;
		log_owner = InvalidOid;
	}
	if (audit_tables == NULL)
		return;
	if (relid == InvalidOid)
	{
		HASH_SEQ_STATUS st;
		AuditTable *e;

		hash_seq_init(&st, audit_tables);
		while ((e = hash_seq_search(&st)) != NULL)
			e->valid = false;
	}
	else
	{
		AuditTable *e = hash_search(audit_tables, &relid, HASH_FIND, NULL);

		if (e)
			e->valid = false;
	}
}

void
credit_audit_register(void)
{
	CacheRegisterRelcacheCallback(audit_relcache_callback, (Datum) 0);
}

static AuditTable *
audit_table(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	AuditTable *e;
	bool		found;
	MemoryContext oldcxt;

	if (audit_tables == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(AuditTable);
		ctl.hcxt = CacheMemoryContext;
		audit_tables = hash_create("credit audited tables", 32, &ctl,
								   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	e = hash_search(audit_tables, &relid, HASH_ENTER, &found);
	if (found && e->valid)
		return e;
	if (found)
	{
		/* renamed, altered, ...: rebuild (the old strings are small) */
		pfree(e->schema);
		pfree(e->table);
	}
	e->valid = false;

	oldcxt = MemoryContextSwitchTo(CacheMemoryContext);
	/* a Citus shard's rows are logged under its logical table's name */
	e->schema = pstrdup(get_namespace_name(RelationGetNamespace(rel)));
	e->table = pstrdup(get_rel_name(credit_logical_relid(relid)));
	fmgr_info_cxt(F_TO_JSONB, &e->to_jsonb, CacheMemoryContext);
	fmgr_info_set_expr((Node *) makeFuncExpr(F_TO_JSONB, JSONBOID,
											 list_make1(makeNullConst(RelationGetDescr(rel)->tdtypeid, -1, InvalidOid)),
											 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL),
					   &e->to_jsonb);
	MemoryContextSwitchTo(oldcxt);
	e->valid = true;
	return e;
}

/* the owner of credit.audit_log: the log is written with its rights */
static Oid
audit_log_owner(void)
{
	if (OidIsValid(log_owner))
		return log_owner;
	log_relid = get_relname_relid("audit_log", get_namespace_oid("credit", false));
	if (!OidIsValid(log_relid))
		elog(ERROR, "table credit.audit_log does not exist");
	log_owner = credit_rel_owner(log_relid);
	return log_owner;
}

static Datum
row_jsonb(AuditTable *e, HeapTuple tup, TupleDesc desc)
{
	return FunctionCall1(&e->to_jsonb, heap_copy_tuple_as_datum(tup, desc));
}

/* names of the columns an UPDATE changed (NULL when none) */
static ArrayType *
changed_columns(HeapTuple oldtup, HeapTuple newtup, TupleDesc desc)
{
	Datum	   *names = palloc(sizeof(Datum) * desc->natts);
	int			n = 0;
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		bool		null1,
					null2;
		Datum		d1,
					d2;

		if (att->attisdropped)
			continue;
		d1 = heap_getattr(oldtup, i + 1, desc, &null1);
		d2 = heap_getattr(newtup, i + 1, desc, &null2);
		if (null1 != null2 ||
			(!null1 && !datumIsEqual(d1, d2, att->attbyval, att->attlen)))
			names[n++] = CStringGetTextDatum(NameStr(att->attname));
	}
	if (n == 0)
		return NULL;
	return construct_array(names, n, TEXTOID, -1, false, TYPALIGN_INT);
}

#define AUDIT_NARGS 9

/*
 * Write one log row as the log's owner: values are schema, table, operation,
 * old_row, new_row, changed_columns, session_user_name, current_user_name,
 * application_name (the writer's names are captured before the switch).
 * Returns the new log_id.
 */
static int64
audit_write(Datum *values, char *nulls)
{
	Oid			save_userid;
	int			save_sec;
	int			ret;
	int64		log_id = 0;

	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(audit_log_owner(), save_sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		bool		isnull;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (insert_plan == NULL)
		{
			Oid			argtypes[AUDIT_NARGS] = {TEXTOID, TEXTOID, TEXTOID, JSONBOID, JSONBOID,
			TEXTARRAYOID, TEXTOID, TEXTOID, TEXTOID};
			SPIPlanPtr	plan;

			plan = SPI_prepare(
							   "INSERT INTO credit.audit_log (log_id, schema_name, table_name, operation, "
							   "old_row, new_row, changed_columns, session_user_name, current_user_name, "
							   "application_name, client_addr, txid, statement_ts, row_hash) "
							   "SELECT v.id, $1, $2, $3, $4, $5, $6, $7, $8, $9, v.addr, v.x, v.ts, "
							   "credit.audit_row_hash(v.id, $1, $2, $3, $4, $5, $6, $7, $8, $9, v.addr, v.x, v.ts) "
							   "FROM (SELECT pg_catalog.nextval('credit.audit_log_log_id_seq'::pg_catalog.regclass) AS id, "
							   "pg_catalog.inet_client_addr() AS addr, pg_catalog.pg_current_xact_id() AS x, "
							   "pg_catalog.statement_timestamp() AS ts) v RETURNING log_id",
							   AUDIT_NARGS, argtypes);
			if (plan == NULL)
				elog(ERROR, "could not prepare the audit insert: %s", SPI_result_code_string(SPI_result));
			if (SPI_keepplan(plan) != 0)
				elog(ERROR, "SPI_keepplan failed");
			insert_plan = plan;
		}
		ret = SPI_execute_plan(insert_plan, values, nulls, false, 1);
		if (ret != SPI_OK_INSERT_RETURNING || SPI_processed != 1)
			elog(ERROR, "audit insert failed: %s", SPI_result_code_string(ret));
		log_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		SPI_finish();
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_userid, save_sec);
	}
	PG_END_TRY();
	return log_id;
}

/* the writer's session user, current user and application */
static void
audit_writer(Datum *values, char *nulls)
{
	const char *app = GetConfigOption("application_name", true, false);

	values[6] = CStringGetTextDatum(GetUserNameFromId(GetSessionUserId(), false));
	values[7] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	if (app)
		values[8] = CStringGetTextDatum(app);
	else
		nulls[8] = 'n';
}

PG_FUNCTION_INFO_V1(credit_audit_trigger);
Datum
credit_audit_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	AuditTable *e;
	Datum		values[AUDIT_NARGS];
	char		nulls[AUDIT_NARGS];
	const char *op;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("credit.audit_trigger() must be an AFTER trigger"),
				 errhint("Use credit.audit_enable(table) to add it.")));
	if (credit_audit_pause || audit_restoring)
		return PointerGetDatum(NULL);
	if (td->tg_relation->rd_rel->relpersistence == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("temporary table \"%s\" cannot be audited", RelationGetRelationName(td->tg_relation)),
				 errdetail("The audit log is permanent; a temporary table's rows are not kept."),
				 errhint("Drop the trigger \"%s\" from the temporary table.", td->tg_trigger->tgname)));

	desc = RelationGetDescr(td->tg_relation);
	e = audit_table(td->tg_relation);
	memset(nulls, ' ', sizeof(nulls));
	values[0] = CStringGetTextDatum(e->schema);
	values[1] = CStringGetTextDatum(e->table);
	values[3] = values[4] = values[5] = (Datum) 0;
	nulls[3] = nulls[4] = nulls[5] = 'n';

	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		op = "TRUNCATE";
	else if (!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("credit.audit_trigger() must be FOR EACH ROW (or a TRUNCATE trigger)")));
	else if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		op = "INSERT";
		values[4] = row_jsonb(e, td->tg_trigtuple, desc);
		nulls[4] = ' ';
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		op = "DELETE";
		values[3] = row_jsonb(e, td->tg_trigtuple, desc);
		nulls[3] = ' ';
	}
	else
	{
		ArrayType  *changed = changed_columns(td->tg_trigtuple, td->tg_newtuple, desc);

		if (changed == NULL)
			return PointerGetDatum(NULL);	/* nothing changed: nothing to log */
		op = "UPDATE";
		values[3] = row_jsonb(e, td->tg_trigtuple, desc);
		values[4] = row_jsonb(e, td->tg_newtuple, desc);
		values[5] = PointerGetDatum(changed);
		nulls[3] = nulls[4] = nulls[5] = ' ';
	}
	values[2] = CStringGetTextDatum(op);
	audit_writer(values, nulls);

	(void) audit_write(values, nulls);
	return PointerGetDatum(NULL);
}

/*
 * BEFORE INSERT FOR EACH STATEMENT on the audit tables: a write that is not
 * the extension's own (see audit_restoring above) puts the session in
 * restore mode.
 */
PG_FUNCTION_INFO_V1(credit_audit_restore_mark);
Datum
credit_audit_restore_mark(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Oid			userid;
	int			sec;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "credit.audit_restore_mark() must be called as a trigger");
	GetUserIdAndSecContext(&userid, &sec);
	if ((sec & SECURITY_LOCAL_USERID_CHANGE) == 0 && !audit_restoring)
	{
		audit_restoring = true;
		ereport(LOG,
				(errmsg("credit: rows are being restored into %s; this session does not log the audited tables' rows again",
						RelationGetRelationName(td->tg_relation))));
	}
	return PointerGetDatum(NULL);
}

/*
 * Event trigger (ddl_command_start, DROP EXTENSION / DROP SCHEMA): refuse to
 * drop the extension -- which drops every record and the append-only log --
 * while it holds data, unless credit.drop_with_data is on.
 */
static bool
drop_names_credit(DropStmt *stmt)
{
	ListCell   *lc;

	if (stmt->removeType != OBJECT_EXTENSION && stmt->removeType != OBJECT_SCHEMA)
		return false;
	foreach(lc, stmt->objects)
	{
		Node	   *n = lfirst(lc);

		if (IsA(n, String) && strcmp(strVal(n), "credit") == 0)
			return true;
	}
	return false;
}

PG_FUNCTION_INFO_V1(credit_drop_guard);
Datum
credit_drop_guard(PG_FUNCTION_ARGS)
{
	EventTriggerData *ev;
	StringInfoData held;
	static const char *const tables[] = {"subject", "record", "audit_log"};
	int			i;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		elog(ERROR, "credit.drop_guard() must be called as an event trigger");
	ev = (EventTriggerData *) fcinfo->context;
	if (credit_drop_with_data || ev->parsetree == NULL || !IsA(ev->parsetree, DropStmt) ||
		!drop_names_credit((DropStmt *) ev->parsetree))
		PG_RETURN_VOID();
	if (get_namespace_oid("credit", true) == InvalidOid)
		PG_RETURN_VOID();

	initStringInfo(&held);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	for (i = 0; i < lengthof(tables); i++)
	{
		char	   *q;

		if (get_relname_relid(tables[i], get_namespace_oid("credit", false)) == InvalidOid)
			continue;
		q = psprintf("SELECT count(*) FROM (SELECT 1 FROM credit.%s LIMIT 1) t", tables[i]);
		if (SPI_execute(q, true, 0) == SPI_OK_SELECT && SPI_processed == 1)
		{
			bool		isnull;
			int64		n = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

			if (n > 0)
				appendStringInfo(&held, "%scredit.%s", held.len ? ", " : "", tables[i]);
		}
	}
	SPI_finish();
	if (held.len > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("extension credit holds data"),
				 errdetail("Dropping it would delete every row of %s, including the append-only audit log.", held.data),
				 errhint("Keep a dump first (pg_dump), then SET credit.drop_with_data = on in this session to drop it anyway.")));
	PG_RETURN_VOID();
}

/*
 * credit.audit_log_event(tbl, operation, image) -> log_id: a SNAPSHOT row
 * (a row present when auditing of the table starts; only before its audit
 * trigger exists) or a RUN row (one run of a batch job over derived data),
 * for a table the caller owns.
 */
PG_FUNCTION_INFO_V1(credit_audit_log_event);
Datum
credit_audit_log_event(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *op;
	Datum		values[AUDIT_NARGS];
	char		nulls[AUDIT_NARGS];
	bool		owner;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("credit.audit_log_event needs a table, an operation and an image")));
	relid = PG_GETARG_OID(0);
	op = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (strcmp(op, "SNAPSHOT") != 0 && strcmp(op, "RUN") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("operation \"%s\" cannot be logged as an event", op),
				 errdetail("Events are SNAPSHOT (a row present when auditing starts) or RUN (a batch job's run); row changes are logged by the audit trigger.")));
#if PG_VERSION_NUM >= 160000
	owner = object_ownercheck(RelationRelationId, relid, GetUserId());
#else
	owner = pg_class_ownercheck(relid, GetUserId());
#endif
	if (!owner)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table %s to log an event for it", get_rel_name(relid))));
	if (strcmp(op, "SNAPSHOT") == 0)
	{
		Relation	rel = table_open(relid, AccessShareLock);
		bool		has = false;
		int			i;

		if (rel->trigdesc)
			for (i = 0; i < rel->trigdesc->numtriggers; i++)
				if (strcmp(rel->trigdesc->triggers[i].tgname, "credit_audit") == 0)
					has = true;
		table_close(rel, AccessShareLock);
		if (has)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("table %s is audited already", get_rel_name(relid)),
					 errdetail("A SNAPSHOT records the rows present when auditing of a table starts.")));
	}
	memset(nulls, ' ', sizeof(nulls));
	values[0] = CStringGetTextDatum(get_namespace_name(get_rel_namespace(relid)));
	values[1] = CStringGetTextDatum(get_rel_name(relid));
	values[2] = CStringGetTextDatum(op);
	values[3] = (Datum) 0;
	nulls[3] = 'n';
	values[4] = PG_GETARG_DATUM(2);
	values[5] = (Datum) 0;
	nulls[5] = 'n';
	audit_writer(values, nulls);
	PG_RETURN_INT64(audit_write(values, nulls));
}

/* bigint[] as a palloc'd int64 array */
static int64 *
int8_array(ArrayType *arr, size_t *n)
{
	Datum	   *elems;
	bool	   *nulls;
	int			k,
				i;
	int64	   *out;

	deconstruct_array(arr, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &k);
	out = palloc(sizeof(int64) * (k > 0 ? k : 1));
	for (i = 0; i < k; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a log_id list of a block holds a null")));
		out[i] = DatumGetInt64(elems[i]);
	}
	*n = (size_t) k;
	return out;
}

static void
hash_arg(FunctionCallInfo fcinfo, int i, uint8_t out[AUDIT_HASH_LEN], bool *present)
{
	bytea	   *h;

	*present = !PG_ARGISNULL(i);
	if (!*present)
		return;
	h = PG_GETARG_BYTEA_PP(i);
	if (VARSIZE_ANY_EXHDR(h) != AUDIT_HASH_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("a block hash field has %d bytes, not %d", (int) VARSIZE_ANY_EXHDR(h), AUDIT_HASH_LEN)));
	memcpy(out, VARDATA_ANY(h), AUDIT_HASH_LEN);
}

/*
 * credit.audit_block_hash(block_id, row_count, merkle_root, prev_hash,
 *		sealed_at, high_log_id, late_log_ids, deferred_log_ids) -> bytea:
 * version 2 of the block hash (audit_core.c)
 */
PG_FUNCTION_INFO_V1(credit_audit_block_hash_v2);
Datum
credit_audit_block_hash_v2(PG_FUNCTION_ARGS)
{
	audit_block_header h;
	bool		present;
	bytea	   *res = palloc(VARHDRSZ + AUDIT_HASH_LEN);
	int			i;

	for (i = 0; i < 8; i++)
		if (i != 3 && PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a block header field is null")));
	memset(&h, 0, sizeof(h));
	h.version = 2;
	h.block_id = PG_GETARG_INT64(0);
	h.row_count = PG_GETARG_INT64(1);
	hash_arg(fcinfo, 2, h.merkle_root, &present);
	hash_arg(fcinfo, 3, h.prev_hash, &h.has_prev);
	h.sealed_at = PG_GETARG_INT64(4);
	h.high_log_id = PG_GETARG_INT64(5);
	h.late = int8_array(PG_GETARG_ARRAYTYPE_P(6), &h.nlate);
	h.deferred = int8_array(PG_GETARG_ARRAYTYPE_P(7), &h.ndeferred);
	SET_VARSIZE(res, VARHDRSZ + AUDIT_HASH_LEN);
	audit_block_hash(&h, pg_sha256, (uint8_t *) VARDATA(res));
	PG_RETURN_BYTEA_P(res);
}

/* credit.audit_merkle_path(bytea[], leaf_index) -> bytea[]: RFC 6962 audit path */
PG_FUNCTION_INFO_V1(credit_audit_merkle_path);
Datum
credit_audit_merkle_path(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	int64		m = PG_GETARG_INT64(1);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	uint8_t		(*leaves)[AUDIT_HASH_LEN];
	uint8_t		path[64][AUDIT_HASH_LEN];
	size_t		len;
	Datum	   *out;

	deconstruct_array(arr, BYTEAOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (m < 0 || m >= n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("leaf %lld is not in a tree of %d leaves", (long long) m, n)));
	leaves = palloc(sizeof(*leaves) * n);
	for (i = 0; i < n; i++)
	{
		bytea	   *h;

		if (nulls[i])
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("a Merkle leaf is null")));
		h = DatumGetByteaPP(elems[i]);
		if (VARSIZE_ANY_EXHDR(h) != AUDIT_HASH_LEN)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("a Merkle leaf has %d bytes, not %d", (int) VARSIZE_ANY_EXHDR(h), AUDIT_HASH_LEN)));
		memcpy(leaves[i], VARDATA_ANY(h), AUDIT_HASH_LEN);
	}
	len = audit_merkle_path((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, (size_t) n, (size_t) m, pg_sha256, path);
	out = palloc(sizeof(Datum) * (len > 0 ? len : 1));
	for (i = 0; i < (int) len; i++)
	{
		bytea	   *b = palloc(VARHDRSZ + AUDIT_HASH_LEN);

		SET_VARSIZE(b, VARHDRSZ + AUDIT_HASH_LEN);
		memcpy(VARDATA(b), path[i], AUDIT_HASH_LEN);
		out[i] = PointerGetDatum(b);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(out, (int) len, BYTEAOID, -1, false, TYPALIGN_INT));
}
