# tools/: small command-line programs for operators and tests, one file each
# (cc-ctl: control socket; cc-ngctl: rtpengine ng; cc-sipping: SIP OPTIONS;
# cc-plugin: the installer, with its parts in tools/plugin/).
TOOLS := $(patsubst tools/%.c,$(BIN)/%,$(wildcard tools/cc-*.c))
PROGRAMS += $(TOOLS)

PLUGIN_SRC := $(wildcard tools/plugin/*.c)
PLUGIN_OBJ := $(PLUGIN_SRC:%.c=$(OBJ)/%.o)
$(LIB)/libplugin.a: $(PLUGIN_OBJ)

$(BIN)/cc-plugin: $(OBJ)/tools/cc-plugin.o $(LIB)/libplugin.a $(LIB)/libcommon.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB)/libplugin.a $(LIB)/libcommon.a $(PKG_LIBS)

$(BIN)/cc-%: $(OBJ)/tools/cc-%.o $(TOOLS_LIBS) $(LIB)/libcommon.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(TOOLS_LIBS) $(LIB)/libcommon.a $(PKG_LIBS)
