# b2bua/: the B2BUA, one folder per responsibility (see b2bua/README.md).
B2BUA_SRC  := $(shell find b2bua -name '*.c' ! -name main.c 2>/dev/null)
B2BUA_OBJ  := $(B2BUA_SRC:%.c=$(OBJ)/%.o)
PROGRAMS   += $(BIN)/cc-b2bua
TOOLS_LIBS += $(LIB)/libb2bua.a

$(LIB)/libb2bua.a: $(B2BUA_OBJ)

$(BIN)/cc-b2bua: $(OBJ)/b2bua/main.o $(LIB)/libb2bua.a $(LIB)/libcommon.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
