# tests/unit/: cmocka tests, one binary per test_*.c, linked with the
# programs' libraries (a test's own definitions replace fakes it needs).
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_LIBS := $(LIB)/libplugin.a $(LIB)/libb2bua.a $(LIB)/libweb.a $(LIB)/libcommon.a

.PHONY: unit-bins
unit-bins: $(UNIT_BINS)

$(BUILD)/tests/test_%: $(OBJ)/tests/unit/test_%.o $(UNIT_LIBS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(UNIT_LIBS) $(PKG_LIBS) -lcmocka

# tests/db/: checks of common/ against a real MariaDB, run by integration
# tests (t_db_rows.sh); not unit tests: they need the server.
PROGRAMS += $(BUILD)/tests/db-rows-check
$(BUILD)/tests/db-rows-check: $(OBJ)/tests/db/db_rows_check.o $(LIB)/libcommon.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB)/libcommon.a $(PKG_LIBS)
PROGRAMS += $(BUILD)/tests/db-galera-check
$(BUILD)/tests/db-galera-check: $(OBJ)/tests/db/db_galera_check.o $(LIB)/libb2bua.a $(LIB)/libcommon.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB)/libb2bua.a $(LIB)/libcommon.a $(PKG_LIBS)
