# credit -- PostgreSQL extension (PGXS)
#
#   make demo     build, install, throwaway cluster, generated data, tour
#   make test     build, install, unit tests + pg_regress + pgTAP on a throwaway cluster
#   make bench    benchmarks against plain PostgreSQL, side by side
#   make fuzz     libFuzzer targets with ASan/UBSan, FUZZ_SECONDS each
#
# Both `demo` and `test` first install missing dependencies (scripts/deps.sh).

EXTENSION  = credit
EXTVERSION = 0.3.0

PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
# every target and script (deps.sh, the throwaway clusters, the tests) uses
# the same server: make test PG_CONFIG=/path/to/bin/pg_config
export PG_CONFIG
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

CORE_SRCS = src/normalize.c src/uscc_core.c src/rid_core.c src/ident_tables.c src/workday_core.c src/repair_core.c src/classify_core.c src/audit_core.c
GLUE_SRCS = src/credit.c src/uscc.c src/rid.c src/reference.c src/calendar.c src/publicity.c src/repair.c src/classify.c src/audit.c src/sealer.c src/quality.c src/citus.c src/access.c
MODULE_big = credit
OBJS = $(CORE_SRCS:.c=.o) $(GLUE_SRCS:.c=.o)

ICU_CFLAGS := $(shell pkg-config --cflags icu-uc icu-i18n 2>/dev/null)
ICU_LIBS   := $(shell pkg-config --libs icu-uc icu-i18n 2>/dev/null)
PG_CPPFLAGS = -I$(srcdir)/src $(ICU_CFLAGS)
# a call to an undeclared function is an error on every compiler (GCC 14 makes
# it one; older ones would link a truncated pointer)
PG_CFLAGS = -Werror=implicit-function-declaration
# the messages' gettext domain is credit-<PostgreSQL major version> (src/credit.h)
PG_MAJOR := $(shell $(PG_CONFIG) --version 2>/dev/null | sed 's/^[^0-9]*\([0-9]*\).*/\1/')

SHLIB_LINK  = $(ICU_LIBS)

# The current version's install script is assembled from src/sql (the
# comparison template is instantiated once per identifier type).  Released
# scripts (full and upgrade) are frozen in src/releases and installed as they
# are; make test proves an upgraded install equals a fresh one.
TYPE_PARTS = src/sql/00_header.sql src/sql/10_uscc.sql uscc src/sql/20_rid.sql rid
V020_PARTS = src/sql/30_calendar_rules.sql src/data/cn_calendar.csv src/sql/31_commitment_rules.sql src/sql/39_protect.sql \
             src/sql/40_records.sql src/sql/50_repair.sql src/sql/60_classify.sql \
             src/sql/70_audit.sql src/sql/80_roles.sql src/sql/82_sanctions.sql src/sql/84_report.sql src/sql/85_commitments.sql \
             src/sql/86_quality.sql src/sql/88_citus.sql src/sql/95_comments.sql
SQL_PARTS = $(TYPE_PARTS) $(V020_PARTS)
# upgrade scripts of the current release: src/upgrade/*.sql.in, whose
# "-- @include NAME" lines take the function or view NAME from src/sql
UPGRADE_built = $(patsubst src/upgrade/%.sql.in,%.sql,$(wildcard src/upgrade/$(EXTENSION)--*.sql.in))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(UPGRADE_built)
DATA = $(wildcard src/releases/$(EXTENSION)--*.sql)

REGRESS = uscc rid calendar records repair classify commitments messages quality
REGRESS_OPTS = --inputdir=$(srcdir)

UNIT_TESTS = test/unit/test_ident test/unit/test_workday test/unit/test_repair test/unit/test_classify test/unit/test_audit
EXTRA_CLEAN = $(MO_FILES) $(UNIT_TESTS) test/unit/proof_fixture credit-verify test/fuzz/fuzz_uscc test/fuzz/fuzz_rid test/fuzz/fuzz_proof results regression.diffs regression.out

ifneq ($(PGXS),)
include $(PGXS)
else
all:
	@PG_CONFIG=$(PG_CONFIG) scripts/deps.sh && $(MAKE) all
endif

# PGXS does not track header dependencies: every object depends on them all
$(OBJS): $(wildcard src/*.h)

$(EXTENSION)--$(EXTVERSION).sql: $(wildcard src/sql/*.sql) src/sql/ordered_type.sql.in src/data/cn_calendar.csv scripts/assemble-sql.sh
	scripts/assemble-sql.sh $(SQL_PARTS) > $@.tmp && mv $@.tmp $@

$(UPGRADE_built): %.sql: src/upgrade/%.sql.in $(wildcard src/sql/*.sql) scripts/assemble-upgrade.sh
	scripts/assemble-upgrade.sh $< > $@.tmp && mv $@.tmp $@

# ---- translations (gettext; po/LANG.po -> LANG.mo in pg_config --localedir) --
PO_LANGS = zh_CN
LOCALEDIR := $(shell $(PG_CONFIG) --localedir 2>/dev/null)
MO_FILES = $(PO_LANGS:%=po/%.mo)

po/%.mo: po/%.po
	msgfmt --check-format -o $@ $<

all: $(MO_FILES)
install: install-po
install-po: $(MO_FILES)
	@for lang in $(PO_LANGS); do \
	  $(MKDIR_P) '$(DESTDIR)$(LOCALEDIR)'/$$lang/LC_MESSAGES && \
	  $(INSTALL_DATA) po/$$lang.mo '$(DESTDIR)$(LOCALEDIR)'/$$lang/LC_MESSAGES/credit-$(PG_MAJOR).mo || exit 1; \
	done

# regenerate po/credit.pot from the sources and merge it into every po/LANG.po
update-po:
	scripts/extract-messages.sh > po/credit.pot
	@for lang in $(PO_LANGS); do msgmerge --update --backup=none --no-fuzzy-matching po/$$lang.po po/credit.pot; done

.PHONY: deps demo test unit check-unit bench fuzz install-po update-po

deps:
	@PG_CONFIG=$(PG_CONFIG) scripts/deps.sh

# ---- C unit tests (pure logic, no server) --------------------------------
UNIT_CFLAGS = -O1 -g -Wall -Wextra -Werror -std=c99 -Isrc $(ICU_CFLAGS)

test/unit/test_ident: test/unit/test_ident.c test/unit/tap.h $(CORE_SRCS) src/ident_core.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/test_ident.c $(CORE_SRCS) $(ICU_LIBS) -lm

test/unit/test_workday: test/unit/test_workday.c test/unit/tap.h src/workday_core.c src/workday_core.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/test_workday.c src/workday_core.c

test/unit/test_repair: test/unit/test_repair.c test/unit/tap.h src/repair_core.c src/repair_core.h src/workday_core.c
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/test_repair.c src/repair_core.c src/workday_core.c

test/unit/test_classify: test/unit/test_classify.c test/unit/tap.h src/classify_core.c src/classify_core.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/test_classify.c src/classify_core.c -lm

# the audit core is tested with PostgreSQL's own SHA-256 (libpgcommon, OpenSSL)
PG_INCLUDEDIR_SERVER := $(shell $(PG_CONFIG) --includedir-server 2>/dev/null)
# libpgcommon.a/libpgport.a live in --libdir (Debian: libpq-dev; a source
# build: PREFIX/lib); older Debian layouts had them in --pkglibdir
PG_LIBDIR := $(shell $(PG_CONFIG) --libdir 2>/dev/null)
PG_PKGLIBDIR := $(shell $(PG_CONFIG) --pkglibdir 2>/dev/null)
PG_STATICLIBDIR := $(firstword $(dir $(wildcard $(PG_LIBDIR)/libpgcommon.a $(PG_PKGLIBDIR)/libpgcommon.a)) $(PG_LIBDIR)/)
PG_CRYPTO_LIBS := $(if $(findstring with-openssl,$(shell $(PG_CONFIG) --configure 2>/dev/null)),-lcrypto)
# the programs without a server use PostgreSQL's SHA-256 from libpgcommon
AUDIT_PG_CFLAGS = -O1 -g -Wall -Wextra -Werror -Isrc -I$(PG_INCLUDEDIR_SERVER)
AUDIT_PG_SRCS = src/audit_core.c src/audit_sha256_fe.c
AUDIT_PG_LIBS = $(PG_STATICLIBDIR)libpgcommon.a $(PG_STATICLIBDIR)libpgport.a $(PG_CRYPTO_LIBS) -lm
test/unit/test_audit: test/unit/test_audit.c test/unit/tap.h $(AUDIT_PG_SRCS) src/audit_core.h
	$(CC) $(AUDIT_PG_CFLAGS) -o $@ test/unit/test_audit.c $(AUDIT_PG_SRCS) $(AUDIT_PG_LIBS)

# credit-verify: checks an audit proof without a server; not installed, built in the root
credit-verify: src/credit_verify.c $(AUDIT_PG_SRCS) src/audit_core.h
	$(CC) $(AUDIT_PG_CFLAGS) -o $@ src/credit_verify.c $(AUDIT_PG_SRCS) $(AUDIT_PG_LIBS)

all: credit-verify

# writes valid audit proofs for test/credit_verify_selftest.sh
test/unit/proof_fixture: test/unit/proof_fixture.c $(AUDIT_PG_SRCS) src/audit_core.h
	$(CC) $(AUDIT_PG_CFLAGS) -o $@ test/unit/proof_fixture.c $(AUDIT_PG_SRCS) $(AUDIT_PG_LIBS)

unit: $(UNIT_TESTS) credit-verify test/unit/proof_fixture

check-unit: unit
	prove -v $(UNIT_TESTS) 2>&1 | tail -n 5

# ---- the two commands -------------------------------------------------------
demo: deps
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory install >/dev/null
	scripts/pgtmp.sh scripts/demo.sh

test: deps
	$(MAKE) --no-print-directory all unit
	$(MAKE) --no-print-directory install >/dev/null
	scripts/pgtmp.sh scripts/run-tests.sh

# BENCH_ONLY=section,... runs only those sections of test/bench/run.sh (the
# audit and sanctions benches run in a full make bench).  BENCH_SCALE=1 runs
# the growth bench instead (test/bench/scale.sh: the main jobs at 10^6 and
# 10^7 records, or SCALE_RECORDS and ten times that), into
# test/bench/results-scale.md
# the scale mode's 10^7 records (about 10 GB with their indexes and the
# insert's tables) fit in 8GB of shared buffers; the other benches use 2GB
BENCH_SHARED_BUFFERS ?= $(if $(BENCH_SCALE),8GB,2GB)
bench: deps
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory install >/dev/null
	CREDIT_PG_OPTS="-c shared_buffers=$(BENCH_SHARED_BUFFERS) -c work_mem=1GB -c maintenance_work_mem=1GB -c shared_preload_libraries=credit" \
	  scripts/pgtmp.sh sh -c 'test/bench/sealer.sh off && \
	    if [ -n "$$BENCH_SCALE" ]; then exec test/bench/scale.sh; fi && test/bench/run.sh && \
	    if [ -z "$$BENCH_ONLY" ]; then test/bench/audit.sh && test/bench/audit_v2.sh && test/bench/sanctions.sh; fi'

# the jobs on a Citus coordinator and two workers on this machine against one
# node (needs Citus installed in the PostgreSQL of PG_CONFIG; SKIP otherwise)
.PHONY: bench-citus
bench-citus: deps
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory install >/dev/null
	test/bench/citus.sh > test/bench/results-citus.md; status=$$?; cat test/bench/results-citus.md; exit $$status

# every suite against several installations in turn, one line per version:
#   make test-matrix PG_CONFIGS="/opt/pg16/bin/pg_config /opt/pg17/bin/pg_config"
.PHONY: test-matrix
test-matrix:
	scripts/test-matrix.sh $(PG_CONFIGS)

# pg_regress (make installcheck) against a throwaway server under valgrind
# memcheck; fails on memory errors whose stack is in credit.so
.PHONY: valgrind
valgrind: deps
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory install >/dev/null
	scripts/valgrind.sh

# ---- fuzzing (clang, libFuzzer, ASan + UBSan) -----------------------------
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Isrc $(ICU_CFLAGS)

test/fuzz/fuzz_%: test/fuzz/fuzz_%.c $(CORE_SRCS) src/ident_core.h
	clang $(FUZZ_CFLAGS) -o $@ $< $(CORE_SRCS) $(ICU_LIBS) -lm

# credit-verify's parser and checks, with PostgreSQL's SHA-256; the corpus is
# test/unit/proof_fixture's valid proofs
test/fuzz/fuzz_proof: test/fuzz/fuzz_proof.c src/credit_verify.c src/audit_core.c src/audit_core.h
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Wno-ignored-attributes -Isrc \
	  -I$(PG_INCLUDEDIR_SERVER) -o $@ test/fuzz/fuzz_proof.c src/audit_core.c $(AUDIT_PG_LIBS)

fuzz:
	@PG_CONFIG=$(PG_CONFIG) scripts/deps.sh fuzz
	$(MAKE) --no-print-directory test/fuzz/fuzz_uscc test/fuzz/fuzz_rid test/fuzz/fuzz_proof test/unit/proof_fixture
	@for t in uscc rid; do \
	  mkdir -p test/fuzz/corpus-$$t.work; \
	  echo "fuzz_$$t: $(FUZZ_SECONDS)s"; \
	  test/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=256 -print_final_stats=1 \
	     test/fuzz/corpus-$$t.work test/fuzz/corpus-$$t 2>&1 | tail -n 4 || exit 1; \
	done
	@mkdir -p test/fuzz/corpus-proof.work
	@for m in v2 v1 mixed; do test/unit/proof_fixture $$m > test/fuzz/corpus-proof.work/fixture-$$m.json || exit 1; done
	@echo "fuzz_proof: $(FUZZ_SECONDS)s"
	@test/fuzz/fuzz_proof -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
	   test/fuzz/corpus-proof.work 2>&1 | tail -n 4
