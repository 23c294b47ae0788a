# The two commands of the README. Each installs what it needs first.
#   make book   builds the HTML book into _build/html (DATASET=mnist for full MNIST)
#   make test   runs the unit tests and executes every chapter notebook with nbval
#   make site-test  opens every page of the built book in headless Chromium (after make book)
DATASET ?= mnist-5k
PYTHON ?= python3
# Quiet builds: no progress bars, no TensorFlow start-up chatter in the pages.
export TQDM_DISABLE = 1
export TF_CPP_MIN_LOG_LEVEL = 2

.PHONY: install book test site-test sync bench

install:
	bash .ci/install-system
	$(PYTHON) -m pip install -q -r requirements-dev.txt

book: install
	@echo "Building the book with data set '$(DATASET)' (set DATASET=mnist for full MNIST)."
	RNNLIB_DATASET=$(DATASET) jupyter-book build . -W -n --keep-going

test: install
	@echo "Testing with data set '$(DATASET)'."
	RNNLIB_DATASET=$(DATASET) $(PYTHON) -m pytest

# Every page of _build/html in a real browser; screenshots land in _build/screenshots/.
site-test: install
	bash .ci/install-system chromium chromium-driver
	$(PYTHON) -m pytest tests/site -m site

# After editing a chapter's .md, refresh its paired .ipynb (keeping cell ids).
sync:
	jupytext --update --to ipynb chapters/*.md chapters/*/*.md

# Benchmarks, not tests: speed ratios (rnnlib.train vs model.fit vs the scratch LSTM), then the
# accuracy floors of the recommended recipe (mnist-5k, then full Fashion-MNIST: about 15 min).
bench: install
	RNNLIB_DATASET=$(DATASET) $(PYTHON) bench/speed.py
	$(PYTHON) bench/accuracy.py
