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
 *	  functions that scan a table directly read this node's shard of a
 *	  subject (credit_local_shard: the subject's hash in pg_dist_shard's
 *	  ranges, a placement in this node's group in pg_dist_placement), never
 *	  the local shell.
 */
#include "credit.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "parser/parse_relation.h"
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
 * The columns of pg_dist_placement and pg_dist_shard's hash range columns
 * (text) are found by name: an upgrade of Citus dropped a column of
 * pg_dist_shard before them.
 */

/* this node's group in pg_dist_node (-1: none known) */
static int32
local_groupid(void)
{
	Oid			relid = get_relname_relid("pg_dist_local_group", PG_CATALOG_NAMESPACE);
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;
	int32		group = -1;

	if (!OidIsValid(relid))
		return -1;
	rel = table_open(relid, AccessShareLock);
	scan = table_beginscan_catalog(rel, 0, NULL);
	if ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, 1, RelationGetDescr(rel), &isnull);

		if (!isnull)
			group = DatumGetInt32(d);
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	return group;
}

/* whether shard shardid has a placement in this node's group */
static bool
placed_here(int64 shardid)
{
	Oid			relid = get_relname_relid("pg_dist_placement", PG_CATALOG_NAMESPACE);
	Oid			indexid = get_relname_relid("pg_dist_placement_shardid_index", PG_CATALOG_NAMESPACE);
	int32		group = local_groupid();
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData skey;
	HeapTuple	tup;
	bool		here = false;
	AttrNumber	shardatt,
				groupatt;

	if (!OidIsValid(relid) || group < 0)
		return false;
	rel = table_open(relid, AccessShareLock);
	shardatt = attnameAttNum(rel, "shardid", false);
	groupatt = attnameAttNum(rel, "groupid", false);
	if (shardatt <= 0 || groupatt <= 0)
	{
		table_close(rel, AccessShareLock);
		return false;
	}
	ScanKeyInit(&skey, shardatt, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(shardid));
	scan = systable_beginscan(rel, indexid, OidIsValid(indexid), NULL, 1, &skey);
	while (!here && HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, groupatt, RelationGetDescr(rel), &isnull);

		here = !isnull && DatumGetInt32(d) == group;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return here;
}

/*
 * The shard of the hash-distributed credit table logical (distributed by a
 * bigint column) that holds the rows of distribution value key, when this
 * node has a placement of it: its relation credit.<table>_<shardid>, and in
 * *lo .. *hi the range of hashes it holds (Citus hashes a bigint with the
 * type's hash function, hashint8).  InvalidOid when the shard is placed on
 * another node.
 */
Oid
credit_local_shard(Oid logical, int64 key, int32 *lo, int32 *hi)
{
	int32		h = credit_shard_hash(key);
	Oid			relid = get_relname_relid("pg_dist_shard", PG_CATALOG_NAMESPACE);
	Oid			indexid = get_relname_relid("pg_dist_shard_logical_relid_index", PG_CATALOG_NAMESPACE);
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData skey;
	HeapTuple	tup;
	int64		shardid = 0;
	Oid			shard = InvalidOid;
	AttrNumber	minatt,
				maxatt;

	if (!OidIsValid(relid))
		return InvalidOid;
	rel = table_open(relid, AccessShareLock);
	minatt = attnameAttNum(rel, "shardminvalue", false);
	maxatt = attnameAttNum(rel, "shardmaxvalue", false);
	if (minatt <= 0 || maxatt <= 0)
	{
		table_close(rel, AccessShareLock);
		return InvalidOid;
	}
	ScanKeyInit(&skey, DIST_SHARD_LOGICALRELID, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(logical));
	scan = systable_beginscan(rel, indexid, OidIsValid(indexid), NULL, 1, &skey);
	while (shardid == 0 && HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		n1,
					n2,
					n3;
		Datum		mn = heap_getattr(tup, minatt, RelationGetDescr(rel), &n1);
		Datum		mx = heap_getattr(tup, maxatt, RelationGetDescr(rel), &n2);
		Datum		id = heap_getattr(tup, DIST_SHARD_SHARDID, RelationGetDescr(rel), &n3);
		int32		min,
					max;

		if (n1 || n2 || n3)
			continue;
		min = pg_strtoint32(TextDatumGetCString(mn));
		max = pg_strtoint32(TextDatumGetCString(mx));
		if (h >= min && h <= max)
		{
			shardid = DatumGetInt64(id);
			*lo = min;
			*hi = max;
		}
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (shardid != 0 && placed_here(shardid))
	{
		char	   *name = psprintf("%s_" INT64_FORMAT, get_rel_name(logical), shardid);

		shard = get_relname_relid(name, get_rel_namespace(logical));
		pfree(name);
	}
	return shard;
}

/* the hash Citus places a bigint distribution value by (credit_local_shard's ranges) */
int32
credit_shard_hash(int64 key)
{
	return DatumGetInt32(DirectFunctionCall1(hashint8, Int64GetDatum(key)));
}
