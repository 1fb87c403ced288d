-- credit: China social-credit supervision data in PostgreSQL
-- This file is generated from src/sql/*.sql by the Makefile; edit those.

\echo Use "CREATE EXTENSION credit" to load this file. \quit

COMMENT ON SCHEMA credit IS 'credit extension: social-credit supervision data (统一社会信用代码, 公示期, 信用修复, 分类监管, 审计)';
