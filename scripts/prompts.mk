# System prompts, made at build time (see scripts/make-prompts.sh).
PROMPTS := $(BUILD)/prompts/welcome.wav $(BUILD)/prompts/noagent.wav $(BUILD)/prompts/moh.wav
.PHONY: prompts
prompts: $(BUILD)/prompts/.done

$(BUILD)/prompts/.done: scripts/make-prompts.sh
	@echo "  GEN   prompts"
	$(Q)scripts/make-prompts.sh $(BUILD)/prompts && touch $@
