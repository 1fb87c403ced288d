-- Risk classification (分类监管): classes, aggregates, models, monthly
-- classification, report views and 双随机 inspection sampling (SPEC §5)

CREATE TYPE credit.credit_class AS ENUM ('A', 'B', 'C', 'D');
COMMENT ON TYPE credit.credit_class IS 'credit risk class, ordered A < B < C < D (A = low risk)';

-- ------------------------------------------------- aggregate state types
-- fixed length, updated in place by the transition functions; not
-- `internal`, so parallel query and Citus can combine partial states
CREATE TYPE credit.risk_acc;
CREATE FUNCTION credit.risk_acc_in(cstring) RETURNS credit.risk_acc
    AS 'MODULE_PATHNAME', 'risk_acc_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.risk_acc_out(credit.risk_acc) RETURNS cstring
    AS 'MODULE_PATHNAME', 'risk_acc_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE credit.risk_acc (INPUT = credit.risk_acc_in, OUTPUT = credit.risk_acc_out,
    INTERNALLENGTH = 88, ALIGNMENT = double, STORAGE = plain);
COMMENT ON TYPE credit.risk_acc IS 'transition state of risk_score and risk_class: weighted sums, cap counts, thresholds';
COMMENT ON FUNCTION credit.risk_acc_in(cstring) IS 'input of credit.risk_acc: (sum_ws,sum_w,nscored,nA,nB,nC,nD,tA,tB,tC), thresholds empty (none given) or default,default,default (NULL given); only states an aggregate could produce';
COMMENT ON FUNCTION credit.risk_acc_out(credit.risk_acc) IS 'output of credit.risk_acc (exact doubles)';

CREATE TYPE credit.class_tally;
CREATE FUNCTION credit.class_tally_in(cstring) RETURNS credit.class_tally
    AS 'MODULE_PATHNAME', 'class_tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_tally_out(credit.class_tally) RETURNS cstring
    AS 'MODULE_PATHNAME', 'class_tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE credit.class_tally (INPUT = credit.class_tally_in, OUTPUT = credit.class_tally_out,
    INTERNALLENGTH = 32, ALIGNMENT = double, STORAGE = plain);
COMMENT ON TYPE credit.class_tally IS 'transition state of class_counts: four counts {A,B,C,D}';
COMMENT ON FUNCTION credit.class_tally_in(cstring) IS 'input of credit.class_tally: {nA,nB,nC,nD}';
COMMENT ON FUNCTION credit.class_tally_out(credit.class_tally) IS 'output of credit.class_tally';

CREATE TYPE credit.migration_tally;
CREATE FUNCTION credit.migration_tally_in(cstring) RETURNS credit.migration_tally
    AS 'MODULE_PATHNAME', 'migration_tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.migration_tally_out(credit.migration_tally) RETURNS cstring
    AS 'MODULE_PATHNAME', 'migration_tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE credit.migration_tally (INPUT = credit.migration_tally_in, OUTPUT = credit.migration_tally_out,
    INTERNALLENGTH = 128, ALIGNMENT = double, STORAGE = plain);
COMMENT ON TYPE credit.migration_tally IS 'transition state of class_migration: 16 counts, row = from class, column = to class';
COMMENT ON FUNCTION credit.migration_tally_in(cstring) IS 'input of credit.migration_tally: {16 counts, row by row}';
COMMENT ON FUNCTION credit.migration_tally_out(credit.migration_tally) IS 'output of credit.migration_tally';

-- ------------------------------------------------------------ aggregates
CREATE FUNCTION credit.risk_score_trans(credit.risk_acc, float8, float8) RETURNS credit.risk_acc
    AS 'MODULE_PATHNAME', 'risk_score_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.risk_class_trans(credit.risk_acc, float8, float8, credit.credit_class) RETURNS credit.risk_acc
    AS 'MODULE_PATHNAME', 'risk_class_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.risk_class_trans(credit.risk_acc, float8, float8, credit.credit_class, float8[]) RETURNS credit.risk_acc
    AS 'MODULE_PATHNAME', 'risk_class_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.risk_acc_combine(credit.risk_acc, credit.risk_acc) RETURNS credit.risk_acc
    AS 'MODULE_PATHNAME', 'risk_acc_combine_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.risk_score_final(credit.risk_acc) RETURNS float8
    AS 'MODULE_PATHNAME', 'risk_score_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.risk_class_final(credit.risk_acc) RETURNS credit.credit_class
    AS 'MODULE_PATHNAME', 'risk_class_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.risk_score_trans(credit.risk_acc, float8, float8) IS 'transition function of risk_score';
COMMENT ON FUNCTION credit.risk_class_trans(credit.risk_acc, float8, float8, credit.credit_class) IS 'transition function of risk_class (default thresholds)';
COMMENT ON FUNCTION credit.risk_class_trans(credit.risk_acc, float8, float8, credit.credit_class, float8[]) IS 'transition function of risk_class';
COMMENT ON FUNCTION credit.risk_acc_combine(credit.risk_acc, credit.risk_acc) IS 'combine function of risk_score and risk_class';
COMMENT ON FUNCTION credit.risk_score_final(credit.risk_acc) IS 'final function of risk_score';
COMMENT ON FUNCTION credit.risk_class_final(credit.risk_acc) IS 'final function of risk_class';

CREATE AGGREGATE credit.risk_score(score float8, weight float8) (
    SFUNC = credit.risk_score_trans, STYPE = credit.risk_acc,
    COMBINEFUNC = credit.risk_acc_combine, FINALFUNC = credit.risk_score_final,
    PARALLEL = SAFE);
CREATE AGGREGATE credit.risk_class(score float8, weight float8, cap credit.credit_class, thresholds float8[]) (
    SFUNC = credit.risk_class_trans, STYPE = credit.risk_acc,
    COMBINEFUNC = credit.risk_acc_combine, FINALFUNC = credit.risk_class_final,
    PARALLEL = SAFE);
CREATE AGGREGATE credit.risk_class(score float8, weight float8, cap credit.credit_class) (
    SFUNC = credit.risk_class_trans, STYPE = credit.risk_acc,
    COMBINEFUNC = credit.risk_acc_combine, FINALFUNC = credit.risk_class_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE credit.risk_score(float8, float8) IS
    'weighted mean of scores (0-100); rows without score or weight are skipped; NULL when nothing is scored';
COMMENT ON AGGREGATE credit.risk_class(float8, float8, credit.credit_class, float8[]) IS
    'class of the weighted mean score under thresholds {A,B,C} (minimum scores; NULL: 90,75,60), made no better than the worst cap seen (a cap row may have no score)';
COMMENT ON AGGREGATE credit.risk_class(float8, float8, credit.credit_class) IS
    'risk_class with the default thresholds {90,75,60}';

CREATE FUNCTION credit.risk_class_of(score float8, thresholds float8[] DEFAULT NULL) RETURNS credit.credit_class
    AS 'MODULE_PATHNAME', 'risk_class_of' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.risk_class_of(float8, float8[]) IS
    'the class of one score under thresholds {A,B,C} (NULL: the default 90,75,60); NULL score gives NULL';

CREATE FUNCTION credit.class_counts_trans(credit.class_tally, credit.credit_class) RETURNS credit.class_tally
    AS 'MODULE_PATHNAME', 'class_counts_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_counts_inv(credit.class_tally, credit.credit_class) RETURNS credit.class_tally
    AS 'MODULE_PATHNAME', 'class_counts_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_tally_combine(credit.class_tally, credit.class_tally) RETURNS credit.class_tally
    AS 'MODULE_PATHNAME', 'class_tally_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_counts_final(credit.class_tally) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'class_counts_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.class_counts_trans(credit.class_tally, credit.credit_class) IS 'transition function of class_counts';
COMMENT ON FUNCTION credit.class_counts_inv(credit.class_tally, credit.credit_class) IS 'inverse transition of class_counts (moving windows)';
COMMENT ON FUNCTION credit.class_tally_combine(credit.class_tally, credit.class_tally) IS 'combine function of class_counts';
COMMENT ON FUNCTION credit.class_counts_final(credit.class_tally) IS 'final function of class_counts: bigint[] {A,B,C,D}';
CREATE AGGREGATE credit.class_counts(credit.credit_class) (
    SFUNC = credit.class_counts_trans, STYPE = credit.class_tally, INITCOND = '{0,0,0,0}',
    COMBINEFUNC = credit.class_tally_combine, FINALFUNC = credit.class_counts_final,
    MSFUNC = credit.class_counts_trans, MINVFUNC = credit.class_counts_inv,
    MSTYPE = credit.class_tally, MINITCOND = '{0,0,0,0}', MFINALFUNC = credit.class_counts_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE credit.class_counts(credit.credit_class) IS
    'counts per class as bigint[] {A,B,C,D}; NULLs are not counted; {0,0,0,0} for no rows';

CREATE FUNCTION credit.class_migration_trans(credit.migration_tally, credit.credit_class, credit.credit_class) RETURNS credit.migration_tally
    AS 'MODULE_PATHNAME', 'class_migration_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_migration_inv(credit.migration_tally, credit.credit_class, credit.credit_class) RETURNS credit.migration_tally
    AS 'MODULE_PATHNAME', 'class_migration_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.migration_tally_combine(credit.migration_tally, credit.migration_tally) RETURNS credit.migration_tally
    AS 'MODULE_PATHNAME', 'migration_tally_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_migration_final(credit.migration_tally) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'class_migration_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.class_migration_trans(credit.migration_tally, credit.credit_class, credit.credit_class) IS 'transition function of class_migration';
COMMENT ON FUNCTION credit.class_migration_inv(credit.migration_tally, credit.credit_class, credit.credit_class) IS 'inverse transition of class_migration (moving windows)';
COMMENT ON FUNCTION credit.migration_tally_combine(credit.migration_tally, credit.migration_tally) IS 'combine function of class_migration';
COMMENT ON FUNCTION credit.class_migration_final(credit.migration_tally) IS 'final function of class_migration: bigint[4][4]';
CREATE AGGREGATE credit.class_migration("from" credit.credit_class, "to" credit.credit_class) (
    SFUNC = credit.class_migration_trans, STYPE = credit.migration_tally,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = credit.migration_tally_combine, FINALFUNC = credit.class_migration_final,
    MSFUNC = credit.class_migration_trans, MINVFUNC = credit.class_migration_inv,
    MSTYPE = credit.migration_tally, MINITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    MFINALFUNC = credit.class_migration_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE credit.class_migration(credit.credit_class, credit.credit_class) IS
    'transition counts as bigint[4][4]: [from][to], A..D; rows with a NULL side are not counted';

-- The aggregates' support functions are no API: PostgreSQL checks the
-- aggregate owner's right to call them, not the caller's, so the aggregates
-- work for everyone while nobody can feed a hand-made state to them.
REVOKE EXECUTE ON FUNCTION
    credit.risk_score_trans(credit.risk_acc, float8, float8),
    credit.risk_class_trans(credit.risk_acc, float8, float8, credit.credit_class),
    credit.risk_class_trans(credit.risk_acc, float8, float8, credit.credit_class, float8[]),
    credit.risk_acc_combine(credit.risk_acc, credit.risk_acc),
    credit.risk_score_final(credit.risk_acc),
    credit.risk_class_final(credit.risk_acc),
    credit.class_counts_trans(credit.class_tally, credit.credit_class),
    credit.class_counts_inv(credit.class_tally, credit.credit_class),
    credit.class_tally_combine(credit.class_tally, credit.class_tally),
    credit.class_counts_final(credit.class_tally),
    credit.class_migration_trans(credit.migration_tally, credit.credit_class, credit.credit_class),
    credit.class_migration_inv(credit.migration_tally, credit.credit_class, credit.credit_class),
    credit.migration_tally_combine(credit.migration_tally, credit.migration_tally),
    credit.class_migration_final(credit.migration_tally)
FROM PUBLIC;

-- ------------------------------------------------------------ the models
CREATE TABLE credit.risk_model (
    model         text PRIMARY KEY CHECK (model ~ '^[a-z0-9][a-z0-9_-]*$'),
    name          text NOT NULL,
    thresholds    float8[] NOT NULL DEFAULT '{90,75,60}'
                  CHECK (cardinality(thresholds) = 3 AND array_position(thresholds, NULL) IS NULL
                         AND thresholds[1] <= 100 AND thresholds[1] >= thresholds[2]
                         AND thresholds[2] >= thresholds[3] AND thresholds[3] >= 0),
    default_class credit.credit_class NOT NULL DEFAULT 'B',
    is_default    boolean NOT NULL DEFAULT false,
    builtin       boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX risk_model_one_default ON credit.risk_model (is_default) WHERE is_default;
COMMENT ON TABLE credit.risk_model IS 'risk classification models: thresholds, default class, with indicators (risk_indicator) and caps (risk_cap)';
COMMENT ON COLUMN credit.risk_model.model IS 'stable code';
COMMENT ON COLUMN credit.risk_model.name IS 'title';
COMMENT ON COLUMN credit.risk_model.thresholds IS 'minimum weighted mean score for A, B and C';
COMMENT ON COLUMN credit.risk_model.default_class IS 'class of a subject with no indicator scores and no cap';
COMMENT ON COLUMN credit.risk_model.is_default IS 'the model classify_period uses when none is named (at most one)';
COMMENT ON COLUMN credit.risk_model.builtin IS 'true for the model shipped with the extension';

CREATE TABLE credit.risk_indicator (
    model     text NOT NULL REFERENCES credit.risk_model ON UPDATE CASCADE ON DELETE CASCADE,
    indicator text NOT NULL CHECK (indicator ~ '^[a-z][a-z0-9_]*$'),
    name      text NOT NULL,
    weight    float8 NOT NULL CHECK (weight >= 0 AND weight < 'infinity'),
    builtin   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (model, indicator)
);
COMMENT ON TABLE credit.risk_indicator IS 'the indicators of a model and their weights';
COMMENT ON COLUMN credit.risk_indicator.model IS 'the model';
COMMENT ON COLUMN credit.risk_indicator.indicator IS 'stable indicator code, as in indicator_value';
COMMENT ON COLUMN credit.risk_indicator.name IS 'what the indicator measures';
COMMENT ON COLUMN credit.risk_indicator.weight IS 'weight in the weighted mean';
COMMENT ON COLUMN credit.risk_indicator.builtin IS 'true for the shipped model''s indicators';

CREATE TABLE credit.risk_cap (
    model    text NOT NULL REFERENCES credit.risk_model ON UPDATE CASCADE ON DELETE CASCADE,
    category text NOT NULL REFERENCES credit.record_category ON UPDATE CASCADE,
    cap      credit.credit_class NOT NULL,
    builtin  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (model, category)
);
COMMENT ON TABLE credit.risk_cap IS
    'veto rules: a subject with a record of this category in force is classed no better than cap (serious-dishonesty list => D)';
COMMENT ON COLUMN credit.risk_cap.model IS 'the model';
COMMENT ON COLUMN credit.risk_cap.category IS 'record category';
COMMENT ON COLUMN credit.risk_cap.cap IS 'the best class such a subject can have';
COMMENT ON COLUMN credit.risk_cap.builtin IS 'true for the shipped model''s caps';

INSERT INTO credit.risk_model (model, name, thresholds, default_class, is_default, builtin)
VALUES ('default', '企业信用风险分类（默认模型）', '{90,75,60}', 'B', true, true);
INSERT INTO credit.risk_indicator (model, indicator, name, weight, builtin) VALUES
    ('default', 'basic',      '基础信息（登记、年报、存续）', 0.15, true),
    ('default', 'operations', '经营状况', 0.20, true),
    ('default', 'compliance', '监管信息（处罚、抽查结果）', 0.35, true),
    ('default', 'tax',        '纳税信用', 0.15, true),
    ('default', 'social',     '社会评价（投诉举报）', 0.15, true);
INSERT INTO credit.risk_cap (model, category, cap, builtin) VALUES
    ('default', 'serious_dishonesty_list', 'D', true),
    ('default', 'abnormal_operations', 'C', true);

CREATE TABLE credit.indicator_value (
    period     date NOT NULL CHECK (period = date_trunc('month', period)),
    subject_id bigint NOT NULL REFERENCES credit.subject,
    indicator  text NOT NULL,
    score      float8 NOT NULL CHECK (score >= 0 AND score <= 100),
    PRIMARY KEY (period, subject_id, indicator)
);
COMMENT ON TABLE credit.indicator_value IS 'monthly indicator scores (0-100) per subject';
COMMENT ON COLUMN credit.indicator_value.period IS 'the month (its first day)';
COMMENT ON COLUMN credit.indicator_value.subject_id IS 'the subject';
COMMENT ON COLUMN credit.indicator_value.indicator IS 'indicator code (risk_indicator.indicator)';
COMMENT ON COLUMN credit.indicator_value.score IS 'score, 0 (worst) to 100 (best)';

-- No foreign keys: classify_period is the only writer and takes every row's
-- subject and model from their tables, and a foreign key would check each of
-- a month's rows one by one (an index probe and a row lock per row: 60 % of a
-- first run).  The referenced side is kept by the triggers below, as the
-- foreign keys kept it: a classified subject or a model in use cannot be
-- deleted, and renaming a model renames it here.
CREATE TABLE credit.classification (
    period        date NOT NULL CHECK (period = date_trunc('month', period)),
    subject_id    bigint NOT NULL,
    model         text NOT NULL,
    score         float8,
    class         credit.credit_class NOT NULL,
    capped        boolean NOT NULL,
    classified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (period, subject_id)
);
CREATE INDEX classification_subject ON credit.classification (subject_id, period);
COMMENT ON TABLE credit.classification IS 'the monthly classification of every subject (credit.classify_period)';
COMMENT ON COLUMN credit.classification.period IS 'the month (its first day)';
COMMENT ON COLUMN credit.classification.subject_id IS 'the subject';
COMMENT ON COLUMN credit.classification.model IS 'the model used';
COMMENT ON COLUMN credit.classification.score IS 'weighted mean score (NULL: no indicator scores)';
COMMENT ON COLUMN credit.classification.class IS 'the class';
COMMENT ON COLUMN credit.classification.capped IS 'the class was made worse by a veto (risk_cap)';
COMMENT ON COLUMN credit.classification.classified_at IS 'when classify_period ran';

-- What the foreign keys of classification would do on the referenced side
-- (TG_ARGV[0] names the key: subject_id on credit.subject, model on
-- credit.risk_model): a classified subject or a model in use cannot be
-- deleted or get another key, except that renaming a model renames it in
-- the classifications (ON UPDATE CASCADE).  A run of classify_period holds
-- SHARE ROW EXCLUSIVE on classification from before it reads the subjects
-- and the model until it commits; this takes SHARE (ROW EXCLUSIVE to
-- rename), so it waits for a run and then sees its rows, and a run waits
-- for it.
CREATE OR REPLACE FUNCTION credit.classification_key_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    col     text := TG_ARGV[0];
    old_key text := to_jsonb(OLD) ->> col;
    used    boolean;
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) ->> col = old_key THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND col = 'model' THEN
        LOCK TABLE credit.classification IN SHARE ROW EXCLUSIVE MODE;
        UPDATE credit.classification c SET model = to_jsonb(NEW) ->> col WHERE c.model = old_key;
        RETURN NEW;
    END IF;
    LOCK TABLE credit.classification IN SHARE MODE;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM credit.classification c WHERE c.%I = $1::%s)',
                   col, CASE col WHEN 'model' THEN 'text' ELSE 'bigint' END)
    INTO used USING old_key;
    IF used THEN
        RAISE EXCEPTION USING
            MESSAGE = CASE col WHEN 'model'
                      THEN format(credit.tr('risk model "%s" has classified subjects and cannot be deleted'), old_key)
                      ELSE format(credit.tr('subject %s has been classified and cannot be deleted or renumbered'), old_key) END,
            ERRCODE = 'foreign_key_violation',
            DETAIL = credit.tr('credit.classification keeps the monthly classes.');
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION credit.classification_key_guard() IS
    'trigger on credit.subject (argument subject_id) and credit.risk_model (argument model): refuses deleting a subject or a model that credit.classification uses, or giving a subject another subject_id; renaming a model renames it in the classifications (what foreign keys from credit.classification, ON UPDATE CASCADE for the model, would do; runs as the owner)';
CREATE TRIGGER classification_key_guard BEFORE DELETE OR UPDATE OF subject_id ON credit.subject
    FOR EACH ROW EXECUTE FUNCTION credit.classification_key_guard('subject_id');
CREATE TRIGGER classification_key_guard BEFORE DELETE OR UPDATE OF model ON credit.risk_model
    FOR EACH ROW EXECUTE FUNCTION credit.classification_key_guard('model');

CREATE TABLE credit.inspector (
    inspector_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name         text NOT NULL,
    authority    text,
    active       boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE credit.inspector IS 'law-enforcement inspectors (执法检查人员) for 双随机 sampling';
COMMENT ON COLUMN credit.inspector.inspector_id IS 'surrogate key';
COMMENT ON COLUMN credit.inspector.name IS 'name';
COMMENT ON COLUMN credit.inspector.authority IS 'the authority the inspector belongs to';
COMMENT ON COLUMN credit.inspector.active IS 'available for drawing';

SELECT pg_catalog.pg_extension_config_dump('credit.risk_model', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.risk_indicator', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.risk_cap', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.indicator_value', '');
SELECT pg_catalog.pg_extension_config_dump('credit.classification', '');
SELECT pg_catalog.pg_extension_config_dump('credit.inspector', '');
SELECT pg_catalog.pg_extension_config_dump('credit.inspector_inspector_id_seq', '');
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.risk_model
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.risk_model
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.risk_model
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.risk_indicator
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.risk_indicator
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.risk_indicator
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.risk_cap
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.risk_cap
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.risk_cap
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();

-- -------------------------------------------------- monthly classification
-- Runs as the owner, so every caller gets the same classes (the caps come
-- from all records, whatever the caller's row-level security would show);
-- granted to credit_admin only.
CREATE OR REPLACE FUNCTION credit.classify_period(period date, model text DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m        credit.risk_model;
    month    date := date_trunc('month', period)::date;
    last_day date := (date_trunc('month', period) + interval '1 month - 1 day')::date;
    n        bigint;
    digest   text;
    src      text;
    changed  text;
BEGIN
    IF period IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = credit.tr('classify_period needs a period'), ERRCODE = 'null_value_not_allowed';
    END IF;
    -- a month that has begun, not before the People's Republic
    PERFORM credit.require_sane_date(period, 'period', 0);
    -- one run at a time; deleting a classified subject or a model in use,
    -- and renaming a model, wait for the run (their triggers lock the table
    -- too).  Taken before the model and the subjects are read, so the run
    -- sees what such a change committed while it waited.
    LOCK TABLE credit.classification IN SHARE ROW EXCLUSIVE MODE;
    SELECT * INTO m FROM credit.risk_model r
    WHERE r.model = coalesce(classify_period.model, (SELECT d.model FROM credit.risk_model d WHERE d.is_default));
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('unknown risk model "%s"'), coalesce(classify_period.model, '(default)')),
            ERRCODE = 'undefined_object',
            HINT = credit.tr('Name a model of credit.risk_model, or mark one is_default.');
    END IF;

    -- Re-running a month replaces it by writing only what changed: the rows
    -- whose class, score, cap or model differ are updated, new subjects
    -- inserted (every subject is classified, and a classified subject cannot
    -- be deleted), so re-running unchanged inputs writes nothing.  One
    -- statement; on one node a MERGE, on a Citus cluster (which pushes no
    -- MERGE down) INSERT ... ON CONFLICT, which every shard runs on its own
    -- subjects.  (A score that moved only in its last bits -- another order
    -- of the floating-point sum under another plan -- is not a change.)
    src := $src$
    SELECT $3 AS period, s.subject_id, $1 AS model, x.score,
           coalesce(x.class, $5) AS class,
           x.class IS NOT NULL AND x.class IS DISTINCT FROM x.uncapped AS capped
    FROM credit.subject s
    LEFT JOIN (
        SELECT f.subject_id,
               credit.risk_score(f.score, f.weight) AS score,
               credit.risk_class(f.score, f.weight, f.cap, $2) AS class,
               credit.risk_class(f.score, f.weight, NULL::credit.credit_class, $2) AS uncapped
        FROM (
            -- the month's indicator scores with the model's weights
            SELECT v.subject_id, v.score, i.weight, NULL::credit.credit_class AS cap
            FROM credit.indicator_value v
            JOIN credit.risk_indicator i ON i.model = $1 AND i.indicator = v.indicator
            WHERE v.period = $3
            UNION ALL
            -- caps from records in force on the last day of the month
            SELECT r.subject_id, NULL, NULL, c.cap
            FROM credit.record r
            JOIN credit.risk_cap c ON c.model = $1 AND c.category = r.category
            WHERE r.publicity_starts <= $4
              AND (r.publicity_max_end IS NULL OR $4 < r.publicity_max_end)
              AND NOT r.under_verification
              AND (r.state IN ('published', 'under_repair', 'expired')
                   OR (r.state = 'repaired' AND r.repair_decided_on > $4))
        ) f
        GROUP BY f.subject_id
    ) x ON x.subject_id = s.subject_id$src$;
    changed := $c$(c.model, c.class, c.capped) IS DISTINCT FROM (src.model, src.class, src.capped)
                  OR (c.score IS NULL) <> (src.score IS NULL)
                  OR abs(c.score - src.score) > 1e-9$c$;
    IF credit.citus_distributed('credit.classification') THEN
        EXECUTE format($q$
            INSERT INTO credit.classification AS c (period, subject_id, model, score, class, capped, classified_at)
            SELECT src.period, src.subject_id, src.model, src.score, src.class, src.capped, $6 FROM (%s) src
            ON CONFLICT (period, subject_id) DO UPDATE
                SET model = excluded.model, score = excluded.score, class = excluded.class, capped = excluded.capped
                WHERE %s$q$, src, replace(changed, 'src.', 'excluded.'))
        USING m.model, m.thresholds, month, last_day, m.default_class, now();
    ELSE
        EXECUTE format($q$
            MERGE INTO credit.classification c USING (%s) src ON c.period = src.period AND c.subject_id = src.subject_id
            WHEN MATCHED AND (%s) THEN
                UPDATE SET model = src.model, score = src.score, class = src.class, capped = src.capped
            WHEN NOT MATCHED THEN
                INSERT (period, subject_id, model, score, class, capped)
                VALUES (src.period, src.subject_id, src.model, src.score, src.class, src.capped)$q$, src, changed)
        USING m.model, m.thresholds, month, last_day, m.default_class;
    END IF;
    -- derived data is audited per run, not per row (SPEC §6): who ran it, the
    -- model, the month, the count and a digest that check_tables recomputes
    -- (one pass over the month's rows in subject order, in C)
    IF current_setting('credit.audit_pause')::boolean THEN
        SELECT count(*) INTO n FROM credit.classification c WHERE c.period = month;
    ELSE
        SELECT d.rows, d.sha256 INTO n, digest FROM credit.classification_month(month) d;
        PERFORM credit.audit_log_event('credit.classification', 'RUN', jsonb_build_object(
            'job', 'classify_period', 'period', month, 'model', m.model, 'rows', n,
            'run_by', credit.caller(), 'sha256', digest));
    END IF;
    RETURN n;
END $$;
REVOKE EXECUTE ON FUNCTION credit.classify_period(date, text) FROM PUBLIC;
COMMENT ON FUNCTION credit.classify_period(date, text) IS
    'classify every subject for the month of period (a month that has begun, from 1949-10) in one statement (risk_score / risk_class over the month''s indicator scores and the caps of all records in force on its last day); runs as the owner, so the result does not depend on who runs it (granted to credit_admin); re-running replaces the month, writing only the rows that changed (MERGE; on a Citus cluster INSERT ... ON CONFLICT, run by every shard); logs one RUN row (who, model, period, count, SHA-256 of the sorted result) instead of a row per subject; returns the number of subjects';

-- the digest of a month's classification: what a classify_period run logs and
-- audit_verify(check_tables => true) recomputes.  In C: one pass over the
-- month's rows in subject order (the primary key), the lines hashed as they
-- are read; the score is written as float8out writes it by default (the
-- shortest text that reads back exactly), whatever extra_float_digits says.
CREATE OR REPLACE FUNCTION credit.classification_month(period date, OUT rows bigint, OUT sha256 text)
    AS 'MODULE_PATHNAME', 'credit_classification_month' LANGUAGE C STABLE STRICT;
REVOKE EXECUTE ON FUNCTION credit.classification_month(date) FROM PUBLIC;
COMMENT ON FUNCTION credit.classification_month(date) IS
    'the number of the month''s classification rows and the SHA-256 (hex) over them sorted by subject_id (subject_id, model, score, class, capped, comma-separated, one line each, lines joined by newlines); reads the table as the caller (classify_period and audit_verify run as the owner)';
CREATE OR REPLACE FUNCTION credit.classification_digest(period date) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT d.sha256 FROM credit.classification_month(classification_digest.period) d
$$;
COMMENT ON FUNCTION credit.classification_digest(date) IS
    'SHA-256 (hex) over the month''s classification rows sorted by subject_id (subject_id, model, score, class, capped, one line each): the digest a classify_period run logs';

-- --------------------------------------------------------- report views
CREATE OR REPLACE VIEW credit.class_distribution WITH (security_barrier) AS
WITH grid AS (
    SELECT DISTINCT c.period, coalesce(left(s.region, 2), '00') AS province
    FROM credit.classification c JOIN credit.subject s ON s.subject_id = c.subject_id
), counts AS (
    SELECT c.period, coalesce(left(s.region, 2), '00') AS province, c.class, count(*) AS subjects
    FROM credit.classification c JOIN credit.subject s ON s.subject_id = c.subject_id
    GROUP BY 1, 2, 3
)
SELECT g.period,
       g.province,
       p.name AS province_name,
       k.class,
       coalesce(n.subjects, 0)::bigint AS subjects,
       round(coalesce(n.subjects, 0)::numeric
             / sum(coalesce(n.subjects, 0)) OVER (PARTITION BY g.period, g.province), 4) AS share
FROM grid g
CROSS JOIN unnest(enum_range(NULL::credit.credit_class)) AS k(class)
LEFT JOIN counts n ON n.period = g.period AND n.province = g.province AND n.class = k.class
LEFT JOIN credit.province p ON p.code = g.province;
COMMENT ON VIEW credit.class_distribution IS
    'subjects per month, province and class (every class listed, zero included) with their share of the month and province';
COMMENT ON COLUMN credit.class_distribution.period IS 'the month';
COMMENT ON COLUMN credit.class_distribution.province IS 'two-digit province code of the subject''s region (00: unknown)';
COMMENT ON COLUMN credit.class_distribution.province_name IS 'province name';
COMMENT ON COLUMN credit.class_distribution.class IS 'risk class';
COMMENT ON COLUMN credit.class_distribution.subjects IS 'number of subjects';
COMMENT ON COLUMN credit.class_distribution.share IS 'share of the month''s subjects in the province (0-1, 4 decimals)';

CREATE OR REPLACE VIEW credit.class_migration_matrix WITH (security_barrier) AS
WITH pairs AS (
    SELECT cur.period, prev.class AS from_class, cur.class AS to_class
    FROM credit.classification cur
    JOIN credit.classification prev
      ON prev.subject_id = cur.subject_id
     AND prev.period = (cur.period - interval '1 month')::date
), grid AS (
    SELECT DISTINCT period FROM pairs
)
SELECT g.period,
       (g.period - interval '1 month')::date AS from_period,
       f.class AS from_class,
       t.class AS to_class,
       count(p.period)::bigint AS subjects,
       round(count(p.period)::numeric
             / nullif(sum(count(p.period)) OVER (PARTITION BY g.period, f.class), 0), 4) AS share_of_from
FROM grid g
CROSS JOIN unnest(enum_range(NULL::credit.credit_class)) AS f(class)
CROSS JOIN unnest(enum_range(NULL::credit.credit_class)) AS t(class)
LEFT JOIN pairs p ON p.period = g.period AND p.from_class = f.class AND p.to_class = t.class
GROUP BY g.period, f.class, t.class;
COMMENT ON VIEW credit.class_migration_matrix IS
    'month-over-month class migration: for each month, subjects moving from each class to each class (all 16 cells)';
COMMENT ON COLUMN credit.class_migration_matrix.period IS 'the month';
COMMENT ON COLUMN credit.class_migration_matrix.from_period IS 'the month before';
COMMENT ON COLUMN credit.class_migration_matrix.from_class IS 'class the month before';
COMMENT ON COLUMN credit.class_migration_matrix.to_class IS 'class this month';
COMMENT ON COLUMN credit.class_migration_matrix.subjects IS 'number of subjects';
COMMENT ON COLUMN credit.class_migration_matrix.share_of_from IS 'share of the subjects of from_class (0-1, 4 decimals; NULL when from_class was empty)';

-- ------------------------------------------------- 双随机 inspection draws
CREATE OR REPLACE FUNCTION credit.draw_inspections(period date, ratios float8[], seed bigint, inspectors integer DEFAULT 2)
RETURNS TABLE (subject_id bigint, class credit.credit_class, inspector_ids bigint[])
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    month     date := date_trunc('month', period)::date;
    available integer;
BEGIN
    PERFORM credit.require_sane_date(period, 'period', 0);
    IF seed IS NULL THEN
        RAISE EXCEPTION USING
            MESSAGE = credit.tr('a draw needs a seed'), ERRCODE = 'null_value_not_allowed',
            DETAIL = credit.tr('The seed makes the draw reproducible; without one it would always pick the same subjects.'),
            HINT = credit.tr('Pass a random bigint, e.g. (random() * 9e18)::bigint, and keep it with the draw.');
    END IF;
    IF ratios IS NULL OR cardinality(ratios) <> 4 OR array_position(ratios, NULL) IS NOT NULL
       OR EXISTS (SELECT 1 FROM unnest(ratios) r WHERE NOT (r >= 0 AND r <= 1)) THEN
        RAISE EXCEPTION USING
            MESSAGE = credit.tr('ratios must be four shares {A,B,C,D} between 0 and 1'),
            ERRCODE = 'invalid_parameter_value', HINT = credit.tr('For example ''{0.03,0.05,0.2,1}''.');
    END IF;
    IF inspectors IS NULL OR inspectors < 1 THEN
        RAISE EXCEPTION USING MESSAGE = credit.tr('an inspection needs at least one inspector'), ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT count(*) INTO available FROM credit.inspector i WHERE i.active;
    IF available < inspectors THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('only %s active inspectors for %s per inspection'), available, inspectors),
            ERRCODE = 'invalid_parameter_value', HINT = credit.tr('Add inspectors to credit.inspector.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM credit.classification c WHERE c.period = month) THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('no classification for %s'), to_char(month, 'YYYY-MM')),
            ERRCODE = 'no_data_found', HINT = credit.tr('Run credit.classify_period first.');
    END IF;
    -- the order within each class is a hash of the seed and the subject:
    -- the same seed and data give the same draw, whatever the rows' order
    RETURN QUERY
    WITH ranked AS (
        SELECT c.subject_id, c.class,
               row_number() OVER (PARTITION BY c.class
                                  ORDER BY hashint8extended(c.subject_id, seed), c.subject_id) AS k,
               count(*) OVER (PARTITION BY c.class) AS n
        FROM credit.classification c
        WHERE c.period = month
    )
    SELECT r.subject_id, r.class,
           ARRAY(SELECT i.inspector_id FROM credit.inspector i
                 WHERE i.active
                 ORDER BY hashint8extended(i.inspector_id, hashint8extended(r.subject_id, seed)), i.inspector_id
                 LIMIT inspectors)
    FROM ranked r
    WHERE r.k <= round(r.n * ratios[array_position(enum_range(NULL::credit.credit_class), r.class)])
    ORDER BY r.class, r.k;
END $$;
COMMENT ON FUNCTION credit.draw_inspections(date, float8[], bigint, integer) IS
    '双随机 draw for a month: per class the share ratios {A,B,C,D} of its subjects (rounded), each with `inspectors` distinct active inspectors; reproducible for the same seed and data';
