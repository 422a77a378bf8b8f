# common/: code both programs link (logging, config, database, phone numbers,
# randomness, the plugin manifest, the control-socket client).
COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(OBJ)/%.o)
$(LIB)/libcommon.a: $(COMMON_OBJ)
