-- credit: upgrade script.  Frozen when its target version was released.

\echo Use "ALTER EXTENSION credit UPDATE" to load this file. \quit
