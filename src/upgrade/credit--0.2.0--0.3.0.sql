-- credit: upgrade script from 0.2.0 to 0.3.0 (hand-written; test/upgrade.sh
-- proves that an upgraded database equals a fresh install of 0.3.0).

\echo Use "ALTER EXTENSION credit UPDATE" to load this file. \quit

