# gongwen: `make run` converts the samples, `make test` runs the tests.  Both set up what is
# missing first (Debian packages, a virtualenv with the package) and are quick the second time.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out
SAMPLES := samples/scans

# Debian packages: the tesseract engine with Chinese, fonts for the sample scans and the
# searchable PDF's text layer, poppler's pdftotext (and poppler-data: its Chinese CMaps, which
# read the text layer's standard font) for checking searchable PDFs, and chromium for the
# published site's browser test (Playwright drives /usr/bin/chromium headless; it downloads no
# browser of its own).
APT_PACKAGES := tesseract-ocr tesseract-ocr-chi-sim fonts-arphic-ukai fonts-arphic-uming \
                fonts-wqy-zenhei fonts-noto-cjk poppler-utils poppler-data chromium

.PHONY: run test setup sysdeps samples bench clean

run: setup samples
	@$(BIN)/gongwen convert $(SAMPLES) --out $(OUT) || [ $$? -eq 1 ]
	@echo
	@echo "Done. Look at:"
	@echo "  $(OUT)/documents.csv        one row per item (件)"
	@echo "  $(OUT)/pages.csv            one row per page"
	@echo "  $(OUT)/items/<id>/          document.json, text.txt, document.html, searchable.pdf"

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: sysdeps $(STAMP)

sysdeps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@# rapidocr pulls in the GUI build of OpenCV, which needs libGL; the headless build's
	@# files must be the ones that stay
	$(BIN)/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
	  "opencv-python-headless==$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("opencv-python-headless"))')"
	@touch $@

samples: setup
	@$(BIN)/python samples/make_samples.py --out $(SAMPLES)

bench: setup
	$(BIN)/python bench/accuracy.py

clean:
	rm -rf $(OUT) $(SAMPLES) bench/out
