#!/usr/bin/python3
"""What an application does through a real driver (psycopg2), as TAP.

Run by test/client_driver.sh against a database where credit is installed
and credit.configure_database() has NOT been called yet; the script calls it.
"""
import sys

import psycopg2

dsn = sys.argv[1]
code = sys.argv[2]
n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    if not cond:
        failed += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, what))


def query(sql, args=None):
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall()
    finally:
        conn.close()


def fails(sql, args=None):
    try:
        query(sql, args)
        return None
    except psycopg2.Error as e:
        return e.pgcode


# before: the bare operators are not on the search_path
ok(fails("SELECT name FROM credit.subject WHERE uscc = %s", (code,)) == "42883",
   "before configure_database(): WHERE uscc = %s fails (operator does not exist, 42883)")

path = query("SELECT credit.configure_database()")[0][0]
ok(path.endswith("credit"), "configure_database() appends credit to the search_path (%s)" % path)

# a new connection, as an application pool would open
ok(query("SELECT name FROM credit.subject WHERE uscc = %s", (code,)) == [("福州甲公司",)],
   "WHERE uscc = %s finds the subject through psycopg2")
ok(query("SELECT name FROM credit.subject WHERE uscc = %s::credit.uscc", (code,)) == [("福州甲公司",)],
   "WHERE uscc = %s::credit.uscc works too")
plan = "\n".join(r[0] for r in query("EXPLAIN SELECT name FROM credit.subject WHERE uscc = %s", (code,)))
ok("subject_uscc_key" in plan, "the lookup uses the unique index on uscc")
ok(query("SELECT min(uscc)::text FROM credit.subject")[0][0] is not None, "min(uscc) is found")
ok(query("SHOW credit.default_ruleset") == [("national",)],
   "SHOW credit.default_ruleset works in a new session before any credit function ran")
ok(query("SELECT count(*) FROM credit.public_record WHERE subject_id = %s", (1,))[0][0] >= 0,
   "public_record has subject_id for an application's joins")

path = query("SELECT credit.unconfigure_database()")[0][0]
ok("credit" not in path, "unconfigure_database() takes credit off the search_path again (%s)" % path)
ok(fails("SELECT name FROM credit.subject WHERE uscc = %s", (code,)) == "42883",
   "... and new sessions are as before")

print("1..%d" % n)
sys.exit(1 if failed else 0)
