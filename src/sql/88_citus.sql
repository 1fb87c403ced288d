-- Scale-out on Citus (SPEC §10): the configuration on every node.
--
-- The configuration tables (calendar, rules, models, catalogues, the
-- authority map) become Citus reference tables: one copy on every node,
-- changed from the coordinator in one transaction, read locally by the
-- caches and the triggers that run on shards.  The data tables stay where
-- they are (credit.distribute, which distributes them by subject, builds on
-- this).

-- the configuration tables: no per-subject data, not the per-node audit log
CREATE OR REPLACE FUNCTION credit.configuration_tables() RETURNS SETOF regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.oid::regclass
    FROM pg_catalog.pg_class c
    WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind = 'r'
      AND c.relname NOT IN ('audit_log', 'audit_block')
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attname = 'subject_id' AND NOT a.attisdropped)
    ORDER BY c.relname $$;
COMMENT ON FUNCTION credit.configuration_tables() IS
    'the extension''s configuration tables (no subject_id column; not audit_log or audit_block, which each node keeps for itself): what credit.distribute_configuration makes Citus reference tables';

-- what every cluster-wide function needs first: Citus in this database, on
-- a coordinator that is in the metadata (it holds a copy of the reference
-- tables and reaches every node)
CREATE OR REPLACE FUNCTION credit.require_citus() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname = 'citus') THEN
        RAISE EXCEPTION USING ERRCODE = 'feature_not_supported',
            MESSAGE = credit.tr('citus is not installed in this database'),
            HINT = credit.tr('Install Citus, add citus to shared_preload_libraries and run CREATE EXTENSION citus on the coordinator and every worker.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_node n WHERE n.groupid = 0) THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = credit.tr('the coordinator is not in the Citus metadata'),
            HINT = credit.tr('Run SELECT citus_set_coordinator_host(''host'', port) on the coordinator first: reference tables need a copy there.');
    END IF;
END $$;
COMMENT ON FUNCTION credit.require_citus() IS
    'internal: raises unless Citus is installed in this database and the coordinator is in its metadata (citus_set_coordinator_host); the cluster-wide functions call it first';

CREATE OR REPLACE FUNCTION credit.distribute_configuration()
RETURNS TABLE (table_name regclass, converted boolean)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v        text := (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'credit');
    bad      text;
    pending  regclass[];
    ready    regclass[];
    t        regclass;
BEGIN
    PERFORM credit.require_citus();
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = credit.tr('distributing the extension''s tables needs a superuser'),
            DETAIL = credit.tr('The builtin rows are copied to every node past their protection, which only a superuser may do.');
    END IF;
    -- every worker has the extension, at this version
    SELECT string_agg(format('%s:%s (%s)', w.nodename, w.nodeport, CASE WHEN w.success THEN coalesce(nullif(w.result, ''), 'not installed') ELSE w.result END), ', ')
    INTO bad
    FROM pg_catalog.run_command_on_workers($q$SELECT coalesce((SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'credit'), '')$q$) w
    WHERE NOT w.success OR w.result IS DISTINCT FROM v;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = credit.tr('credit is not installed at the same version on every worker'),
            DETAIL = format(credit.tr('The coordinator has %s; workers: %s.'), v, bad),
            HINT = credit.tr('Install the same release on every node and run CREATE EXTENSION credit (or ALTER EXTENSION credit UPDATE) in this database on each worker.');
    END IF;

    -- The conversion: triggers are kept (they fire on the shards); the rows
    -- are copied without firing them (replica), so the builtin rows reach
    -- every node and the copy is not logged again: each node's log already
    -- holds the rows' history, or they ship with the extension.
    SET LOCAL citus.enable_unsafe_triggers = on;
    -- the data tables that refer to configuration tables stay local tables
    -- (Citus would otherwise convert them, and fail on the workers' copies)
    SET LOCAL citus.enable_local_reference_table_foreign_keys = off;
    SET LOCAL citus.multi_shard_modify_mode = 'sequential';
    SET LOCAL citus.propagate_set_commands = 'local';
    SET LOCAL session_replication_role = replica;

    pending := ARRAY(SELECT c FROM credit.configuration_tables() c
                     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = c));
    WHILE cardinality(pending) > 0 LOOP
        -- those whose referenced tables are reference tables already
        ready := ARRAY(SELECT c FROM unnest(pending) c
                       WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                                         WHERE k.conrelid = c AND k.contype = 'f' AND k.confrelid <> c
                                           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p
                                                           WHERE p.logicalrelid = k.confrelid)));
        IF cardinality(ready) = 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
                MESSAGE = credit.tr('configuration tables refer to tables that are not distributed'),
                DETAIL = format(credit.tr('Waiting: %s.'), pending::text);
        END IF;
        FOREACH t IN ARRAY ready LOOP
            PERFORM pg_catalog.create_reference_table(t);
            table_name := t; converted := true;
            RETURN NEXT;
        END LOOP;
        pending := ARRAY(SELECT c FROM unnest(pending) c WHERE c <> ALL (ready));
    END LOOP;
    RETURN QUERY SELECT c, false FROM credit.configuration_tables() c
                 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = c AND p.partmethod = 'n');
END $$;
REVOKE EXECUTE ON FUNCTION credit.distribute_configuration() FROM PUBLIC;
COMMENT ON FUNCTION credit.distribute_configuration() IS
    'on a Citus coordinator (superuser): makes every configuration table (credit.configuration_tables) a reference table, referenced tables first, copying the rows (builtin ones included, without firing triggers or logging the copy); returns each table converted (true), and any configuration table still not a reference table (false); tables already converted are skipped';

-- Each node keeps its own audit log (a shard's changes are logged where the
-- shard is), seals it and has its own digest; the cluster's digest is the
-- SHA-256 over the nodes' digests, one line per node in group order.
CREATE OR REPLACE FUNCTION credit.audit_digest_cluster(OUT digest text, OUT nodes jsonb)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bad text;
BEGIN
    PERFORM credit.require_citus();
    SELECT string_agg(format('%s (%s)', x.node, x.result), ', ') FILTER (WHERE NOT x.ok),
           encode(pg_catalog.sha256(convert_to(string_agg(format('%s %s %s', x.groupid, x.node, coalesce(x.d, '-')), E'\n'
                                                          ORDER BY x.groupid, x.node), 'UTF8')), 'hex'),
           jsonb_object_agg(x.node, x.d)
    INTO bad, digest, nodes
    FROM (SELECT n.groupid, format('%s:%s', n.nodename, n.nodeport) AS node, r.success AS ok, r.result,
                 CASE WHEN r.success THEN nullif(r.result, '') END AS d
          FROM pg_catalog.run_command_on_all_nodes($q$SELECT coalesce(credit.audit_digest(), '')$q$) r
          JOIN pg_catalog.pg_dist_node n ON n.nodeid = r.nodeid) x;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'connection_failure',
            MESSAGE = credit.tr('could not read the audit digest of every node'),
            DETAIL = format(credit.tr('Failed: %s.'), bad);
    END IF;
END $$;
REVOKE EXECUTE ON FUNCTION credit.audit_digest_cluster() FROM PUBLIC;
COMMENT ON FUNCTION credit.audit_digest_cluster() IS
    'on a Citus coordinator: every node''s audit digest (credit.audit_digest() there: its latest sealed block, NULL before the first seal) as nodes {"host:port": digest}, and digest, the SHA-256 (hex) over the lines "groupid host:port digest" in group order; keep both, and check each node with credit.audit_verify(its digest) on that node.  Runs the digest on each node as the caller (a superuser, or a role with credit_auditor on every node)';
