# tools/: small command-line programs for operators and tests, one file each
# (cc-ctl: control socket; cc-ngctl: rtpengine ng; cc-sipping: SIP OPTIONS).
TOOLS := $(patsubst tools/%.c,$(BIN)/%,$(wildcard tools/cc-*.c))
PROGRAMS += $(TOOLS)

$(BIN)/cc-%: $(OBJ)/tools/cc-%.o $(TOOLS_LIBS) $(LIB)/libcommon.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(TOOLS_LIBS) $(LIB)/libcommon.a $(PKG_LIBS)
