/*
 * citus.c
 *	  What the extension needs to know about Citus, read from Citus's own
 *	  catalogue (pg_dist_shard) when it is there, without depending on Citus:
 *	  on a node without Citus every function answers "not a Citus table".
 *
 * On a Citus node a table of the extension exists twice: the table created
 * by CREATE EXTENSION (on the coordinator the distributed or reference
 * table's shell, on a worker an empty copy) and its shards, named
 * <table>_<shardid>, which hold the rows.  Triggers fire on the shards, so:
 *
 *	- the audit trigger logs the logical table's name, not the shard's
 *	  (credit_logical_relid);
 *	- credit.config_changed() on a configuration table's shard invalidates
 *	  the logical table, the relation the caches watch (credit_logical_relid);
 *	- the caches load the configuration from this node's placement of a
 *	  reference table (credit_local_table), and so does credit.may_access
 *	  (credit_local_relid): a query of the logical table from inside a query
 *	  that Citus pushed down to a shard is refused ("cannot execute a
 *	  distributed query from a query on a shard");
 *	- a table distributed by subject (credit_relid_distributed, SQL
 *	  credit.citus_distributed) holds its rows in the workers' shards: the
 *	  functions that scan a table directly refuse it
 *	  (credit_require_not_distributed) rather than read the local shell.
 */
#include "credit.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

/* pg_dist_shard's columns: logicalrelid regclass, shardid bigint, ... */
#define DIST_SHARD_LOGICALRELID 1
#define DIST_SHARD_SHARDID		2

/*
 * The first row of pg_dist_shard whose column attno equals key (through the
 * index named indexname), and in *nrows how many rows do; false when none
 * does or Citus's catalogue is not there.
 */
static bool
dist_shard_lookup(const char *indexname, AttrNumber attno, RegProcedure eqproc, Datum key,
				  Oid *logicalrelid, int64 *shardid, int *nrows)
{
	Oid			relid = get_relname_relid("pg_dist_shard", PG_CATALOG_NAMESPACE);
	Oid			indexid;
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData skey;
	HeapTuple	tup;
	bool		found = false;

	*nrows = 0;
	if (!OidIsValid(relid))
		return false;
	indexid = get_relname_relid(indexname, PG_CATALOG_NAMESPACE);
	rel = table_open(relid, AccessShareLock);
	ScanKeyInit(&skey, attno, BTEqualStrategyNumber, eqproc, key);
	scan = systable_beginscan(rel, indexid, OidIsValid(indexid), NULL, 1, &skey);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		d;

		if ((*nrows)++ > 0)
			continue;

		d = heap_getattr(tup, DIST_SHARD_LOGICALRELID, RelationGetDescr(rel), &isnull);
		*logicalrelid = isnull ? InvalidOid : DatumGetObjectId(d);
		d = heap_getattr(tup, DIST_SHARD_SHARDID, RelationGetDescr(rel), &isnull);
		*shardid = isnull ? 0 : DatumGetInt64(d);
		found = !isnull && OidIsValid(*logicalrelid);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

/*
 * The logical table of relid when relid is a Citus shard (<table>_<shardid>
 * in the same schema, listed in pg_dist_shard); relid itself otherwise.
 */
Oid
credit_logical_relid(Oid relid)
{
	const char *name = get_rel_name(relid);
	const char *p;
	int64		shardid;
	Oid			logical;
	int64		found_shard;	/* = shardid: the lookup is by it */
	int			n;

	if (name == NULL || (p = strrchr(name, '_')) == NULL || p[1] == '\0')
		return relid;
	for (const char *c = p + 1; *c; c++)
		if (*c < '0' || *c > '9')
			return relid;
	shardid = pg_strtoint64(p + 1);
	if (!dist_shard_lookup("pg_dist_shard_shardid_index", DIST_SHARD_SHARDID, F_INT8EQ,
						   Int64GetDatum(shardid), &logical, &found_shard, &n) ||
		get_rel_namespace(logical) != get_rel_namespace(relid))
		return relid;
	/* the shard's name is the logical table's followed by _<shardid> */
	{
		const char *lname = get_rel_name(logical);

		if (lname == NULL || strlen(lname) != (size_t) (p - name) || strncmp(lname, name, p - name) != 0)
			return relid;
	}
	return logical;
}

/*
 * The relation to read credit.<relname> by on this node: its local placement
 * credit.<relname>_<shardid> when it is a Citus reference table placed here,
 * else credit.<relname> itself (InvalidOid when there is none).
 */
Oid
credit_local_relid(const char *relname)
{
	Oid			nsp = get_namespace_oid("credit", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid(relname, nsp) : InvalidOid;
	Oid			logical;
	int64		shardid;
	int			n;

	/* a reference table has one shard (a distributed one many: not this) */
	if (OidIsValid(relid) &&
		dist_shard_lookup("pg_dist_shard_logical_relid_index", DIST_SHARD_LOGICALRELID, F_OIDEQ,
						  ObjectIdGetDatum(relid), &logical, &shardid, &n) && n == 1)
	{
		char	   *shard = psprintf("%s_" INT64_FORMAT, relname, shardid);
		Oid			shardrel = get_relname_relid(shard, nsp);

		pfree(shard);
		if (OidIsValid(shardrel))
			return shardrel;
	}
	return relid;
}

/* the same as a qualified name, palloc'd in the current context */
char *
credit_local_table(const char *relname)
{
	Oid			relid = credit_local_relid(relname);
	const char *name = OidIsValid(relid) ? get_rel_name(relid) : NULL;

	return psprintf("credit.%s", quote_identifier(name ? name : relname));
}

/*
 * Whether relid is a Citus distributed table (pg_dist_partition's partmethod
 * 'h', hash-distributed): the functions that scan a table directly refuse
 * it, and the SQL functions take their cluster path.
 */
bool
credit_relid_distributed(Oid relid)
{
	Oid			part = get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE);
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData skey;
	HeapTuple	tup;
	Oid			idx;
	bool		hash = false;

	if (!OidIsValid(relid) || !OidIsValid(part))
		return false;
	rel = table_open(part, AccessShareLock);
	ScanKeyInit(&skey, 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
	idx = get_relname_relid("pg_dist_partition_logical_relid_index", PG_CATALOG_NAMESPACE);
	scan = systable_beginscan(rel, idx, OidIsValid(idx), NULL, 1, &skey);
	if (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, 2, RelationGetDescr(rel), &isnull);

		hash = !isnull && DatumGetChar(d) == 'h';
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return hash;
}

/* credit.citus_logical_table(regclass) → regclass */
PG_FUNCTION_INFO_V1(credit_citus_logical_table);
Datum
credit_citus_logical_table(PG_FUNCTION_ARGS)
{
	PG_RETURN_OID(credit_logical_relid(PG_GETARG_OID(0)));
}

/* credit.citus_distributed(regclass) → boolean */
PG_FUNCTION_INFO_V1(credit_citus_distributed);
Datum
credit_citus_distributed(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);

	PG_RETURN_BOOL(get_rel_namespace(relid) == get_namespace_oid("credit", true) &&
				   credit_relid_distributed(relid));
}

/*
 * Refuse to scan a distributed table directly: its rows are in the workers'
 * shards, the relation itself is an empty (or stale) shell.
 */
void
credit_require_not_distributed(Oid relid, const char *what)
{
	if (credit_relid_distributed(relid))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s does not run on a table distributed by Citus yet", what),
				 errdetail("Table %s is distributed: its rows are in the shards on the workers, which %s reads no further than this node.",
						   get_rel_name(relid), what),
				 errhint("See \"Scale-out on Citus\" in the README for what runs distributed so far.")));
}
