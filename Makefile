# atfpb — deux commandes suffisent sur une machine neuve : « make run » puis « make test ».
VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
APT_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui python3-uno hyphen-fr fonts-liberation2 \
                fonts-crosextra-carlito pandoc poppler-utils
SUDO    := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: setup system run test lint bench bench-national check-corpus clean

setup: system $(VENV)/.installed
	@$(BIN)/python -m compileall -q generator  # every command starts without compiling the package (PYTHONDONTWRITEBYTECODE)

# LibreOffice (Writer for documents, Calc for the workbook's print test, its Python bridge for `compare`), French
# hyphenation, fonts and the independent readers of the tests, from Debian, only where missing.
system:
	@missing=""; \
	command -v soffice >/dev/null 2>&1 || missing="yes"; \
	[ -d /usr/lib/libreoffice/program ] && ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1 || missing="yes"; \
	/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || missing="yes"; \
	[ -f /usr/share/hyphen/hyph_fr.dic ] || missing="yes"; \
	command -v pandoc >/dev/null 2>&1 || missing="yes"; \
	command -v pdftotext >/dev/null 2>&1 || missing="yes"; \
	fc-list 2>/dev/null | grep -q "Liberation Sans" || missing="yes"; \
	if [ -n "$$missing" ]; then \
	  echo "Installation de LibreOffice, des polices et des lecteurs (apt-get)…"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

run: setup
	$(BIN)/atfpb validate
	$(BIN)/atfpb build
	$(BIN)/atfpb synthese

test: setup
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check generator tests templates bench
	$(BIN)/mypy generator
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf output $(VENV)

bench: setup
	$(BIN)/python bench/run.py

bench-national: setup
	$(BIN)/python bench/run.py --national

# The corpus of conventions and avenants in other house styles: precision and recall of « atfpb check » per rule.
check-corpus: setup
	$(BIN)/python -m tests.checks.corpus
