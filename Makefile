# The two commands of the README. Each installs what it needs first.
#   make book   builds the HTML book into _build/html (DATASET=mnist for full MNIST)
#   make test   runs the unit tests, executes every chapter notebook with nbval, and runs the
#               demo's JavaScript tests; the book build then reuses those executed chapters
# For maintainers:
#   make site-test  opens every page of the built book in headless Chromium (after make book)
#   make lint       ruff and the .md/.ipynb pairing, through pre-commit (as a commit would)
#   make bench      speed and accuracy benchmarks, as ratios measured in one run
DATASET ?= mnist-5k
PYTHON ?= python3
# jupyter-book of this Python, whichever folder its command landed in.
JUPYTER_BOOK = $(PYTHON) -c 'import sys; from jupyter_book.cli.main import main; sys.exit(main())'
# Quiet builds: no progress bars, no TensorFlow start-up chatter in the pages.
export TQDM_DISABLE = 1
export TF_CPP_MIN_LOG_LEVEL = 2

.PHONY: install book test site-test lint bench

install:
	bash .ci/install-system
	$(PYTHON) -m pip install -q -r requirements-dev.txt

book: install
	@echo "Building the book with data set '$(DATASET)' (set DATASET=mnist for full MNIST)."
	RNNLIB_DATASET=$(DATASET) $(PYTHON) tests/executed_notebooks.py
	RNNLIB_DATASET=$(DATASET) $(JUPYTER_BOOK) build . -W -n --keep-going

test: install
	@echo "Testing with data set '$(DATASET)'."
	RNNLIB_DATASET=$(DATASET) $(PYTHON) -m pytest
	node --test demo/test/*.test.mjs

# Every page of _build/html in a real browser; screenshots land in _build/screenshots/.
site-test: install
	bash .ci/install-system chromium chromium-driver
	$(PYTHON) -m pytest tests/site tests/test_book_sources.py -m site

lint: install
	$(PYTHON) -m pre_commit run --all-files --show-diff-on-failure

# Benchmarks, not tests: speed ratios (rnnlib.train vs model.fit, with and without XLA), then
# the accuracy floors of the recommended recipe against the classic one (mnist-5k, then full
# Fashion-MNIST: the latter takes an hour on 2 cores).
bench: install
	RNNLIB_DATASET=$(DATASET) $(PYTHON) bench/speed.py
	$(PYTHON) bench/accuracy.py
