-- pgTAP: every object of the extension has a comment (the project's rule:
-- COMMENT ON every object, including constraints, indexes, sequences,
-- triggers and view columns), and no comment is empty.  The queries are
-- generic: an object added later without a comment is listed by name.
BEGIN;
SELECT plan(3);

-- every commentable object in the schema credit, and the extension's casts,
-- with its comment (NULL: none)
CREATE TEMP VIEW credit_object AS
WITH ext AS (SELECT objid, classid FROM pg_depend WHERE refclassid = 'pg_extension'::regclass
             AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'credit') AND deptype = 'e'),
rels AS (SELECT c.oid, c.relkind FROM pg_class c WHERE c.relnamespace = 'credit'::regnamespace),
objs AS (
  SELECT 'relation ' || c.oid::regclass AS what, obj_description(c.oid, 'pg_class') AS d FROM rels c WHERE relkind IN ('r','v','S','i','p','m')
  UNION ALL
  SELECT 'column ' || a.attrelid::regclass || '.' || a.attname, col_description(a.attrelid, a.attnum)
  FROM pg_attribute a JOIN rels c ON c.oid = a.attrelid AND c.relkind IN ('r','v','p') WHERE a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'trigger ' || t.tgname || ' on ' || t.tgrelid::regclass, obj_description(t.oid, 'pg_trigger')
  FROM pg_trigger t JOIN rels c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal
  UNION ALL
  SELECT 'constraint ' || k.conname || ' on ' || k.conrelid::regclass, obj_description(k.oid, 'pg_constraint')
  FROM pg_constraint k JOIN rels c ON c.oid = k.conrelid
  WHERE k.contype <> 'n'        -- NOT NULL (catalogued from PostgreSQL 18 on) is a column property
  UNION ALL
  SELECT 'constraint ' || k.conname || ' on type ' || k.contypid::regtype, obj_description(k.oid, 'pg_constraint')
  FROM pg_constraint k WHERE k.contypid IN (SELECT oid FROM pg_type WHERE typnamespace = 'credit'::regnamespace)
  UNION ALL
  SELECT 'function ' || p.oid::regprocedure, obj_description(p.oid, 'pg_proc') FROM pg_proc p WHERE p.pronamespace = 'credit'::regnamespace
  UNION ALL
  SELECT 'type ' || t.oid::regtype, obj_description(t.oid, 'pg_type') FROM pg_type t
  WHERE t.typnamespace = 'credit'::regnamespace AND t.typtype IN ('b','e','d','c') AND t.typcategory <> 'A' AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
  UNION ALL
  SELECT 'policy ' || p.polname || ' on ' || p.polrelid::regclass, obj_description(p.oid, 'pg_policy') FROM pg_policy p JOIN rels c ON c.oid = p.polrelid
  UNION ALL
  SELECT 'operator ' || o.oid::regoperator, obj_description(o.oid, 'pg_operator') FROM pg_operator o WHERE o.oprnamespace = 'credit'::regnamespace
  UNION ALL
  SELECT 'opclass ' || o.opcname, obj_description(o.oid, 'pg_opclass') FROM pg_opclass o WHERE o.opcnamespace = 'credit'::regnamespace
  UNION ALL
  SELECT 'opfamily ' || o.opfname, obj_description(o.oid, 'pg_opfamily') FROM pg_opfamily o WHERE o.opfnamespace = 'credit'::regnamespace
  UNION ALL
  SELECT 'event trigger ' || e.evtname, obj_description(e.oid, 'pg_event_trigger') FROM pg_event_trigger e
  WHERE e.evtfoid IN (SELECT oid FROM pg_proc WHERE pronamespace = 'credit'::regnamespace)
  UNION ALL
  SELECT 'cast ' || format_type(c.castsource, NULL) || ' -> ' || format_type(c.casttarget, NULL), obj_description(c.oid, 'pg_cast')
  FROM pg_cast c JOIN ext e ON e.classid = 'pg_cast'::regclass AND e.objid = c.oid
)
SELECT what, d FROM objs;

SELECT is(ARRAY(SELECT what FROM pg_temp.credit_object WHERE d IS NULL ORDER BY 1), '{}'::text[],
          'every object of the extension has a comment');

SELECT is(ARRAY(SELECT what FROM pg_temp.credit_object WHERE btrim(d, E' \t\r\n') = '' ORDER BY 1), '{}'::text[],
          'no comment is empty');

-- whatever kind of object a later version adds to the extension (schema,
-- aggregate, event trigger, sequence ...): each member has a comment
SELECT is(ARRAY(SELECT pg_describe_object(m.classid, m.objid, 0)
                FROM pg_depend m
                WHERE m.refclassid = 'pg_extension'::regclass AND m.deptype = 'e'
                  AND m.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'credit')
                  -- array types and the row types of tables and views come with them
                  AND NOT (m.classid = 'pg_type'::regclass AND EXISTS (
                           SELECT 1 FROM pg_type t WHERE t.oid = m.objid
                              AND (t.typcategory = 'A'
                                   OR (t.typrelid <> 0 AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) <> 'c'))))
                  AND NOT EXISTS (SELECT 1 FROM pg_description x
                                  WHERE x.classoid = m.classid AND x.objoid = m.objid AND x.objsubid = 0
                                    AND btrim(x.description, E' \t\r\n') <> '')
                ORDER BY 1), '{}'::text[],
          'every member of the extension has a comment that is not empty');

SELECT * FROM finish();
ROLLBACK;
