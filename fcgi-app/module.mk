# fcgi-app/: the FastCGI web app (see fcgi-app/README.md).
WEB_SRC  := $(shell find fcgi-app -name '*.c' ! -name main.c 2>/dev/null)
WEB_OBJ  := $(WEB_SRC:%.c=$(OBJ)/%.o)
PROGRAMS += $(BIN)/cc-web

$(LIB)/libweb.a: $(WEB_OBJ)

$(BIN)/cc-web: $(OBJ)/fcgi-app/main.o $(LIB)/libweb.a $(LIB)/libcommon.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
