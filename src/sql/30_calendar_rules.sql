-- Working-day calendar, rule sets and publicity periods (SPEC §2)

-- messages of the PL/pgSQL parts go through the extension's gettext domain
CREATE FUNCTION credit.tr(msgid text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_tr' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.tr(text) IS
    'a message of the extension translated under lc_messages (gettext domain credit-<major>; po/ has the catalogues)';

-- Dates are checked for sense (SPEC §3): finite, not before 1949-10-01, and
-- at most days_ahead days in the future (NULL: any future date)
CREATE OR REPLACE FUNCTION credit.require_sane_date(d date, what text, days_ahead integer DEFAULT 1) RETURNS date
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF d IS NULL THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('the %s date is null'), what), ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT isfinite(d) OR d < DATE '1949-10-01' OR (days_ahead IS NOT NULL AND d > current_date + days_ahead) THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('%s date %s is out of range'), what, d),
            ERRCODE = 'datetime_field_overflow',
            DETAIL = CASE WHEN NOT isfinite(d) THEN credit.tr('The date must be finite.')
                          WHEN d < DATE '1949-10-01' THEN credit.tr('Dates before 1949-10-01 are not accepted.')
                          ELSE format(credit.tr('The date is after %s.'), current_date + days_ahead) END,
            HINT = credit.tr('Check the year.');
    END IF;
    RETURN d;
END $$;
COMMENT ON FUNCTION credit.require_sane_date(date, text, integer) IS
    'returns the date, or raises datetime_field_overflow (22008) when it is infinite, before 1949-10-01 or more than days_ahead days in the future; null_value_not_allowed when NULL';

-- Rows that ship with the extension are marked builtin: they are recreated by
-- CREATE EXTENSION, so pg_dump keeps only the users' own rows, and they cannot
-- be changed or deleted (copy a ruleset to adapt it).
-- the logical table of a Citus shard (the table itself when it is none)
CREATE OR REPLACE FUNCTION credit.citus_logical_table(rel regclass) RETURNS regclass
    AS 'MODULE_PATHNAME', 'credit_citus_logical_table' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.citus_logical_table(regclass) IS
    'the logical table of a Citus shard (<table>_<shardid> listed in pg_dist_shard); the relation itself when it is not a shard or Citus is not installed';

-- whether one of the extension's tables is hash-distributed by Citus
CREATE OR REPLACE FUNCTION credit.citus_distributed(rel regclass) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_citus_distributed' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.citus_distributed(regclass) IS
    'true when the relation is one of the extension''s tables and Citus has distributed it by hash (pg_dist_partition); false without Citus';

CREATE OR REPLACE FUNCTION credit.protect_builtin() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- on a Citus node the trigger fires on a shard: name the logical table
    tbl text := (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = credit.citus_logical_table(TG_RELID));
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('cannot truncate %s.%s'), TG_TABLE_SCHEMA, tbl),
            ERRCODE = 'insufficient_privilege',
            DETAIL = credit.tr('The table holds rows that ship with the extension (builtin = true).'),
            HINT = credit.tr('Delete your own rows with DELETE ... WHERE NOT builtin.');
    END IF;
    IF TG_OP = 'INSERT' THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('rows of %s.%s marked builtin ship with the extension'), TG_TABLE_SCHEMA, tbl),
            ERRCODE = 'insufficient_privilege',
            HINT = credit.tr('Insert your own rows with builtin = false (the default).');
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = format(credit.tr('cannot %s a builtin row of %s.%s'), lower(TG_OP), TG_TABLE_SCHEMA, tbl),
        ERRCODE = 'insufficient_privilege',
        DETAIL = credit.tr('Builtin rows ship with the extension and change only with ALTER EXTENSION credit UPDATE.'),
        HINT = CASE WHEN tbl IN ('ruleset', 'publicity_rule')
                    THEN credit.tr('Copy the ruleset with credit.copy_ruleset() and change the copy.')
                    ELSE credit.tr('Add your own rows instead.') END;
END $$;
COMMENT ON FUNCTION credit.protect_builtin() IS
    'trigger: refuses changes to rows that ship with the extension (builtin = true), and TRUNCATE of a table that has them';

CREATE FUNCTION credit.config_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_config_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.config_changed() IS
    'statement trigger on calendar and rule tables: makes every session drop its cached copy';

-- ---------------------------------------------------------------- calendar
CREATE TABLE credit.calendar (
    day     date PRIMARY KEY,
    kind    text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name    text,
    builtin boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE credit.calendar IS
    'China''s official holidays and adjusted working days (调休): one row per day that differs from the Monday-Friday week. Seeded with the State Council arrangements 2015-2026 (source: NateScarlet/holiday-cn, MIT); add later years with plain INSERTs';
COMMENT ON COLUMN credit.calendar.day IS 'the day';
COMMENT ON COLUMN credit.calendar.kind IS 'holiday: a weekday off; workday: a weekend day worked (调休)';
COMMENT ON COLUMN credit.calendar.name IS 'the holiday the arrangement belongs to, e.g. 国庆节';
COMMENT ON COLUMN credit.calendar.builtin IS 'true for the rows shipped with the extension';

-- ------------------------------------------------------- categories, rules
CREATE TABLE credit.record_category (
    category text PRIMARY KEY CHECK (category ~ '^[a-z][a-z0-9_]*$'),
    name     text NOT NULL,
    builtin  boolean NOT NULL DEFAULT false,
    list_kind text CONSTRAINT record_category_list_kind CHECK (list_kind IN ('black', 'watch'))
);
COMMENT ON TABLE credit.record_category IS 'kinds of dishonesty/penalty record (stable codes); users add their own';
COMMENT ON COLUMN credit.record_category.list_kind IS
    'black: a record in force is an entry on a black list (严重失信主体名单, 失信被执行人: excludes honours, 告知承诺); watch: a watch list (经营异常名录, 重点关注对象名单); NULL: not a list';
COMMENT ON COLUMN credit.record_category.category IS 'stable code, e.g. administrative_penalty';
COMMENT ON COLUMN credit.record_category.name IS 'official name';
COMMENT ON COLUMN credit.record_category.builtin IS 'true for the categories shipped with the extension';

CREATE TABLE credit.ruleset (
    ruleset      text PRIMARY KEY CHECK (ruleset ~ '^[a-z0-9][a-z0-9_-]*$'),
    name         text NOT NULL,
    legal_basis  text,
    in_force     date,
    excluded_categories smallint[] NOT NULL DEFAULT '{}'
        CHECK (excluded_categories <@ '{1,2,3,4,5,6}'::smallint[]),
    same_type_window    interval CHECK (same_type_window > interval '0'),
    repair_limit        integer CHECK (repair_limit > 0),
    repair_limit_window interval CHECK (repair_limit_window > interval '0'),
    notice_working_days     integer NOT NULL DEFAULT 0 CHECK (notice_working_days >= 0),
    processing_working_days integer NOT NULL DEFAULT 3 CHECK (processing_working_days >= 0),
    builtin      boolean NOT NULL DEFAULT false,
    replaces     text,
    requires_public_commitment boolean NOT NULL DEFAULT false,
    CHECK ((repair_limit IS NULL) = (repair_limit_window IS NULL)),
    CONSTRAINT ruleset_not_itself CHECK (replaces <> ruleset)
);
COMMENT ON TABLE credit.ruleset IS 'a set of publicity and repair rules (national, national-2019, dandong, or the users'' own)';
COMMENT ON COLUMN credit.ruleset.ruleset IS 'stable code, referred to by records and credit.default_ruleset';
COMMENT ON COLUMN credit.ruleset.name IS 'title of the rules';
COMMENT ON COLUMN credit.ruleset.legal_basis IS 'the instrument the rules come from';
COMMENT ON COLUMN credit.ruleset.in_force IS 'date the rules took effect';
COMMENT ON COLUMN credit.ruleset.excluded_categories IS 'values of record.excluded_category that are never repairable under this ruleset';
COMMENT ON COLUMN credit.ruleset.same_type_window IS 'no repair if a record of the same category was repaired within this period (NULL: no such limit)';
COMMENT ON COLUMN credit.ruleset.repair_limit IS 'no repair once the subject had this many repairs within repair_limit_window (NULL: no limit)';
COMMENT ON COLUMN credit.ruleset.repair_limit_window IS 'the period repair_limit counts over';
COMMENT ON COLUMN credit.ruleset.notice_working_days IS 'working days a repair decision is publicly noticed before it takes effect (0: no notice)';
COMMENT ON COLUMN credit.ruleset.processing_working_days IS 'working days allowed to process an approved repair';
COMMENT ON COLUMN credit.ruleset.builtin IS 'true for the rulesets shipped with the extension';
COMMENT ON COLUMN credit.ruleset.replaces IS
    'the ruleset this one replaced: a record given no ruleset is judged by the default ruleset if it was in force on the decision date, else by the one it replaced (national replaces national-2019); not a foreign key (pg_dump would warn of a circular one on every dump): an unknown code is reported when a record needs it';
COMMENT ON COLUMN credit.ruleset.requires_public_commitment IS
    'the commitment a repair needs (publicity_rule.requires_commitment) must be a public repair commitment for the record, in force, in credit.commitment (令第36号); false: a commitment row of credit.repair_evidence also counts';

CREATE TABLE credit.publicity_rule (
    ruleset   text NOT NULL REFERENCES credit.ruleset ON UPDATE CASCADE ON DELETE CASCADE,
    category  text NOT NULL REFERENCES credit.record_category ON UPDATE CASCADE,
    severity  text NOT NULL CHECK (severity IN ('minor', 'general', 'serious')),
    published boolean NOT NULL,
    anchor    text NOT NULL DEFAULT 'decided_on' CHECK (anchor IN ('decided_on', 'disclosed_on')),
    min_period interval CHECK (min_period >= interval '0' AND date_trunc('day', min_period) = min_period),
    max_period interval CHECK (max_period > interval '0' AND date_trunc('day', max_period) = max_period),
    repairable boolean NOT NULL DEFAULT true,
    requires_correction    boolean NOT NULL DEFAULT true,
    requires_commitment    boolean NOT NULL DEFAULT false,
    requires_interview     boolean NOT NULL DEFAULT false,
    min_training_hours     numeric CHECK (min_training_hours >= 0),
    requires_credit_report boolean NOT NULL DEFAULT false,
    note      text,
    builtin   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (ruleset, category, severity),
    CHECK (min_period IS NULL OR max_period IS NULL OR min_period <= max_period),
    CHECK (published OR min_period IS NULL)
);
COMMENT ON TABLE credit.publicity_rule IS
    'per ruleset, record category and severity: whether the record is published, its minimum and maximum publicity period and what a repair needs';
COMMENT ON COLUMN credit.publicity_rule.ruleset IS 'the ruleset';
COMMENT ON COLUMN credit.publicity_rule.category IS 'record category';
COMMENT ON COLUMN credit.publicity_rule.severity IS 'minor, general or serious';
COMMENT ON COLUMN credit.publicity_rule.published IS 'whether such records are published at all';
COMMENT ON COLUMN credit.publicity_rule.anchor IS 'the date periods are counted from: decided_on or disclosed_on';
COMMENT ON COLUMN credit.publicity_rule.min_period IS 'minimum publicity period: repair (or removal) may be applied for once it has passed; NULL: never by lapse of time';
COMMENT ON COLUMN credit.publicity_rule.max_period IS 'maximum publicity period: publication stops automatically; for records that are not published, how long they stay in force (lists, measures); NULL: no automatic end';
COMMENT ON COLUMN credit.publicity_rule.repairable IS 'whether credit repair applies at all (false e.g. for court lists)';
COMMENT ON COLUMN credit.publicity_rule.requires_correction IS 'the conduct must have been corrected (record.corrected_on set)';
COMMENT ON COLUMN credit.publicity_rule.requires_commitment IS 'a credit commitment (信用承诺) is required';
COMMENT ON COLUMN credit.publicity_rule.requires_interview IS 'an interview (约谈) is required';
COMMENT ON COLUMN credit.publicity_rule.min_training_hours IS 'credit training required, in class hours (NULL: none required)';
COMMENT ON COLUMN credit.publicity_rule.requires_credit_report IS 'a credit report (信用报告) is required';
COMMENT ON COLUMN credit.publicity_rule.note IS 'where the rule comes from';
COMMENT ON COLUMN credit.publicity_rule.builtin IS 'true for the rules shipped with the extension';

INSERT INTO credit.record_category (category, name, builtin, list_kind) VALUES
    ('administrative_penalty',  '行政处罚信息', true, NULL),
    ('serious_dishonesty_list', '严重失信主体名单', true, 'black'),
    ('abnormal_operations',     '经营异常名录', true, 'watch'),
    ('judgment_defaulter',      '失信被执行人', true, 'black'),
    ('key_attention_list',      '重点关注对象名单', true, 'watch');

INSERT INTO credit.ruleset (ruleset, name, legal_basis, in_force, excluded_categories,
                            same_type_window, repair_limit, repair_limit_window,
                            notice_working_days, processing_working_days, builtin, replaces,
                            requires_public_commitment) VALUES
    ('national', '全国信用修复规则（默认）', '国家发展和改革委员会令第36号', DATE '2026-04-01',
     '{}', NULL, NULL, NULL, 0, 3, true, 'national-2019', true),
    ('national-2019', '全国信用修复规则（2019）',
     '关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知（发改办财金规〔2019〕527号）',
     DATE '2019-07-01', '{}', NULL, NULL, NULL, 0, 3, true, NULL, false),
    ('dandong', '丹东市企业法人公共信用信息修复', '丹东市企业法人公共信用信息修复管理办法（试行）',
     DATE '2019-01-01', '{1,2,3,4,5,6}', interval '3 years', 2, interval '3 years', 5, 1, true, NULL, false);

INSERT INTO credit.publicity_rule (ruleset, category, severity, published, anchor, min_period, max_period,
        repairable, requires_correction, requires_commitment, requires_interview, min_training_hours,
        requires_credit_report, note, builtin) VALUES
    -- national (令第36号): counted from the decision; publication ends at the maximum;
    -- every repair needs a public credit commitment (信用承诺)
    ('national', 'administrative_penalty', 'minor',   false, 'decided_on', NULL, NULL, false, false, false, false, NULL, false, '轻微失信：不公示', true),
    ('national', 'administrative_penalty', 'general', true,  'decided_on', '3 months', '1 year', true, true, true, false, NULL, false, '一般失信：最短3个月，最长1年', true),
    ('national', 'administrative_penalty', 'serious', true,  'decided_on', '1 year', '3 years', true, true, true, false, NULL, false, '严重失信：最短1年，最长3年', true),
    ('national', 'serious_dishonesty_list', 'serious', true, 'decided_on', '1 year', '3 years', true, true, true, false, NULL, false, '满1年可申请移出，满3年自动移出', true),
    ('national', 'abnormal_operations', 'general', true, 'decided_on', '0 days', NULL, true, true, true, false, NULL, false, '改正后即可申请移出', true),
    ('national', 'judgment_defaulter', 'serious', true, 'decided_on', NULL, NULL, false, false, false, false, NULL, false, '由人民法院决定移除，无自动期满', true),
    ('national', 'key_attention_list', 'general', false, 'decided_on', NULL, '2 years', false, false, false, false, NULL, false, '重点关注对象名单：不公示，实施重点监管，最长2年', true),
    -- national-2019 (527号)
    ('national-2019', 'administrative_penalty', 'minor',   false, 'decided_on', NULL, NULL, false, false, false, false, NULL, false, '不公示', true),
    ('national-2019', 'administrative_penalty', 'general', true,  'decided_on', '3 months', '1 year', true, true, false, false, NULL, false, '一般失信：最短3个月，最长1年', true),
    ('national-2019', 'administrative_penalty', 'serious', true,  'decided_on', '6 months', '3 years', true, true, false, false, 3, true, '严重失信：最短6个月，最长3年；修复需参加信用修复培训（不少于3学时）并提交信用报告', true),
    ('national-2019', 'serious_dishonesty_list', 'serious', true, 'decided_on', '1 year', '3 years', true, true, false, false, 3, true, '满1年可申请移出，满3年自动移出', true),
    ('national-2019', 'abnormal_operations', 'general', true, 'decided_on', '0 days', NULL, true, true, false, false, NULL, false, '改正后即可申请移出', true),
    ('national-2019', 'judgment_defaulter', 'serious', true, 'decided_on', NULL, NULL, false, false, false, false, NULL, false, '由人民法院决定移除', true),
    ('national-2019', 'key_attention_list', 'general', false, 'decided_on', NULL, '2 years', false, false, false, false, NULL, false, '重点关注对象名单：不公示，实施重点监管，最长2年', true),
    -- dandong (2019): repair only 6 months after disclosure; commitment, interview and training
    ('dandong', 'administrative_penalty', 'minor',   false, 'disclosed_on', NULL, NULL, false, false, false, false, NULL, false, '不公示', true),
    ('dandong', 'administrative_penalty', 'general', true,  'disclosed_on', '6 months', '1 year', true, true, true, true, 0, false, '公示满6个月方可申请修复；需承诺、约谈、培训', true),
    ('dandong', 'administrative_penalty', 'serious', true,  'disclosed_on', '6 months', '3 years', true, true, true, true, 0, false, '公示满6个月方可申请修复；需承诺、约谈、培训', true),
    ('dandong', 'serious_dishonesty_list', 'serious', true, 'disclosed_on', '1 year', '3 years', true, true, true, true, 0, false, '满1年可申请移出，满3年自动移出', true),
    ('dandong', 'abnormal_operations', 'general', true, 'disclosed_on', '6 months', NULL, true, true, true, true, 0, false, '公示满6个月方可申请修复', true),
    ('dandong', 'judgment_defaulter', 'serious', true, 'disclosed_on', NULL, NULL, false, false, false, false, NULL, false, '由人民法院决定移除', true),
    ('dandong', 'key_attention_list', 'general', false, 'disclosed_on', NULL, '2 years', false, false, false, false, NULL, false, '重点关注对象名单：不公示，实施重点监管，最长2年', true);

CREATE OR REPLACE FUNCTION credit.copy_ruleset(source text, target text, name text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM credit.ruleset r WHERE r.ruleset = source) THEN
        RAISE EXCEPTION USING MESSAGE = format(credit.tr('unknown ruleset "%s"'), source), ERRCODE = 'undefined_object';
    END IF;
    INSERT INTO credit.ruleset (ruleset, name, legal_basis, in_force, excluded_categories, same_type_window,
                                repair_limit, repair_limit_window, notice_working_days, processing_working_days,
                                replaces, requires_public_commitment)
    SELECT target, coalesce(copy_ruleset.name, r.name || ' (' || target || ')'), r.legal_basis, r.in_force,
           r.excluded_categories, r.same_type_window, r.repair_limit, r.repair_limit_window,
           r.notice_working_days, r.processing_working_days, r.replaces, r.requires_public_commitment
    FROM credit.ruleset r WHERE r.ruleset = source;
    INSERT INTO credit.publicity_rule (ruleset, category, severity, published, anchor, min_period, max_period,
            repairable, requires_correction, requires_commitment, requires_interview, min_training_hours,
            requires_credit_report, note)
    SELECT target, category, severity, published, anchor, min_period, max_period, repairable,
           requires_correction, requires_commitment, requires_interview, min_training_hours,
           requires_credit_report, note
    FROM credit.publicity_rule WHERE ruleset = source;
END $$;
COMMENT ON FUNCTION credit.copy_ruleset(text, text, text) IS
    'copy a ruleset and its rules under a new code (to adapt a builtin ruleset to local rules)';

-- -------------------------------------------------------- working days
CREATE FUNCTION credit.is_working_day(day date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_is_working_day_fn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.add_working_days(day date, n integer) RETURNS date
    AS 'MODULE_PATHNAME', 'credit_add_working_days_fn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.working_days_between(from_day date, to_day date) RETURNS integer
    AS 'MODULE_PATHNAME', 'credit_working_days_between_fn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.is_working_day(date) IS
    'true for Monday-Friday days that are not holidays, and for adjusted working days (调休), per credit.calendar';
COMMENT ON FUNCTION credit.add_working_days(date, integer) IS
    'the n-th working day after the day (n > 0), before it (n < 0), or the day itself (n = 0)';
COMMENT ON FUNCTION credit.working_days_between(date, date) IS
    'number of working days in (from_day, to_day]; negative when to_day < from_day';

CREATE FUNCTION credit.publicity_window(category text, severity text, decided_on date,
        disclosed_on date DEFAULT NULL, ruleset text DEFAULT NULL,
        OUT published boolean, OUT starts date, OUT min_end date, OUT max_end date)
    AS 'MODULE_PATHNAME', 'credit_publicity_window' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.publicity_window(text, text, date, date, text) IS
    'publicity of a record under a ruleset (default credit.default_ruleset): whether published, the first day shown, the first day repair may be applied for (min_end) and the first day no longer shown (max_end); ends are exclusive';

CREATE FUNCTION credit.publicity_trigger() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_publicity_trigger' LANGUAGE C;
COMMENT ON FUNCTION credit.publicity_trigger() IS
    'BEFORE INSERT OR UPDATE row trigger that fills publicity_starts/min_end/max_end from the rules; arguments key=column rename the columns (category, severity, decided_on, disclosed_on, ruleset, corrected_on, excluded_category, publicity_starts, publicity_min_end, publicity_max_end)';
