--
-- Messages in English and Chinese (gettext, selected by lc_messages)
--
CREATE EXTENSION IF NOT EXISTS credit;
\set SHOW_CONTEXT never
SET datestyle = ISO;
INSERT INTO credit.subject (subject_id, uscc, name)
SELECT 900, (b || credit.uscc_check_char(b))::credit.uscc, 'm' FROM (VALUES ('91350100MA0000900')) v(b);
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on)
VALUES (9000, 900, 'administrative_penalty', 'general', 'x', '2026-01-31');

SET lc_messages = 'C';
SELECT '91350100M000100Y44'::credit.uscc;
SELECT '9135 0100'::credit.uscc;
UPDATE credit.record SET state = 'repaired' WHERE record_id = 9000;

SET lc_messages = 'zh_CN.UTF-8';
-- from C (ereport)
SELECT '91350100M000100Y44'::credit.uscc;
SELECT '9135 0100'::credit.uscc;
SELECT '91350100M000100YO3'::credit.uscc;
SELECT '110105194902290027'::credit.rid;
SELECT credit.uscc_legacy('91110203M0001QKT1X');
SELECT * FROM credit.publicity_window('administrative_penalty', 'grave', '2026-05-01');
-- from PL/pgSQL (credit.tr)
UPDATE credit.record SET state = 'repaired' WHERE record_id = 9000;
DELETE FROM credit.record WHERE record_id = 9000;
SELECT credit.tr('The audit log is append-only.') AS translated, credit.tr('not a message of credit') AS unknown_stays;
RESET lc_messages;
