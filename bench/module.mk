# bench/: the pacing simulator (bench/pacing_sim.c: the outbound pacing on
# simulated time, run by `make bench` as the part "pacing" and by the lint
# test t_pacing) and the ACD's micro-benchmark (bench/acd_bench.c: the part
# "acd" and the lint test t_acd_bench); the rest of bench/ is scripts.
$(BIN)/pacing-sim: $(OBJ)/bench/pacing_sim.o $(LIB)/libcommon.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB)/libcommon.a -lm
PROGRAMS += $(BIN)/pacing-sim

$(BIN)/acd-bench: $(OBJ)/bench/acd_bench.o $(LIB)/libb2bua.a $(LIB)/libcommon.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
PROGRAMS += $(BIN)/acd-bench

# bench/fuzz/sipfuzz.c: the SIP mutator of the part "fuzz" (bench/fuzz/run.sh).
$(BIN)/sipfuzz: $(OBJ)/bench/fuzz/sipfuzz.o
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK  $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $<
PROGRAMS += $(BIN)/sipfuzz
