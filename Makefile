# The call-center plugin: build, run, test.
#
#   make run     install what is missing, build, start the whole stack with demo data
#   make stop    stop everything `make run` started
#   make test    build and run every test; the last line reads "N passed, N failed"
#   make check   unit tests and the end-to-end call test under ASan and UBSan
#   make bench   benchmarks; figures go to BENCHMARKS.md (PARTS="soak", "fuzz", "reports", "nodes" or
#                "agents": a part alone, bench/run.sh)
#   make layers  the B2BUA's folders include only the layers below them
#
# Programs: build/bin/cc-b2bua (call control), build/bin/cc-web (FastCGI app),
# build/bin/cc-ctl (control-socket client), build/bin/cc-ngctl (rtpengine ng client),
# build/bin/cc-plugin (the installer: docs/install.md).

BUILD    ?= build
CC       ?= cc
OPT      ?= -O2 -g
SAN      ?=
PKGS     := sofia-sip-ua jansson libxslt libxml-2.0 mysqlclient libcrypto libcurl zlib
WARN     := -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers
CPPFLAGS := -D_GNU_SOURCE -I. -Icommon -MMD -MP
# pkg-config runs when a rule needs it, after `make deps` has installed the packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lfcgi -lpthread -lm
CFLAGS    = $(OPT) $(SAN) $(WARN) $(PKG_CFLAGS)
LDFLAGS   = $(SAN)

OBJ := $(BUILD)/obj
BIN := $(BUILD)/bin
LIB := $(BUILD)/lib

.SECONDARY:
.PHONY: all deps run stop status test unit layers integration browser check bench clean help
all: programs prompts

include common/module.mk
include b2bua/module.mk
include fcgi-app/module.mk
include tools/module.mk
include bench/module.mk
include tests/unit/module.mk
include scripts/prompts.mk

programs: $(PROGRAMS)

# V=1 shows the commands.
Q := $(if $(V),,@)

$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC    $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB)/%.a:
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/stack.sh start --demo --history

stop:
	@scripts/stack.sh stop

status:
	@scripts/stack.sh status

test: deps
	@$(MAKE) --no-print-directory all unit-bins
	@scripts/test.sh

unit: deps
	@$(MAKE) --no-print-directory unit-bins
	@scripts/test.sh unit

layers:
	@scripts/test.sh lint t_layers

integration: deps
	@$(MAKE) --no-print-directory all
	@scripts/test.sh integration

browser: deps
	@$(MAKE) --no-print-directory all
	@scripts/test.sh browser

check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory BUILD=build/san OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  programs unit-bins
	@BUILD=build/san scripts/check-san.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run.sh $(PARTS)

clean:
	rm -rf $(BUILD) build/san

help:
	@sed -n '1,12p' Makefile

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
