-- Protection and cache invalidation for the configuration tables (after the seed data)

-- builtin rows are kept by CREATE EXTENSION; pg_dump keeps the rest
SELECT pg_catalog.pg_extension_config_dump('credit.calendar', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.record_category', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.ruleset', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.publicity_rule', 'WHERE NOT builtin');

CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.calendar
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.calendar
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.calendar
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.record_category
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.record_category
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.record_category
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.ruleset
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.ruleset
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.ruleset
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.publicity_rule
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.publicity_rule
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.publicity_rule
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();

CREATE TRIGGER config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.calendar
    FOR EACH STATEMENT EXECUTE FUNCTION credit.config_changed();
CREATE TRIGGER config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.record_category
    FOR EACH STATEMENT EXECUTE FUNCTION credit.config_changed();
CREATE TRIGGER config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.ruleset
    FOR EACH STATEMENT EXECUTE FUNCTION credit.config_changed();
CREATE TRIGGER config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.publicity_rule
    FOR EACH STATEMENT EXECUTE FUNCTION credit.config_changed();


-- TRUNCATE would remove the builtin rows (and fire no row trigger): refused
CREATE TRIGGER protect_builtin_truncate BEFORE TRUNCATE ON credit.calendar
    FOR EACH STATEMENT EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_truncate BEFORE TRUNCATE ON credit.record_category
    FOR EACH STATEMENT EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_truncate BEFORE TRUNCATE ON credit.ruleset
    FOR EACH STATEMENT EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_truncate BEFORE TRUNCATE ON credit.publicity_rule
    FOR EACH STATEMENT EXECUTE FUNCTION credit.protect_builtin();

-- The holiday calendar and the rules are public law: every role may read
-- them, so the working-day functions and the publicity and repair rules work
-- whoever calls them (their C caches load with the caller's rights).
GRANT SELECT ON credit.calendar, credit.record_category, credit.ruleset, credit.publicity_rule TO PUBLIC;
