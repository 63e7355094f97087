# Convenience wrapper: every target just calls dev.py (the README does not need make).
PYTHON ?= python3

.PHONY: demo test bench lint

demo:
	$(PYTHON) dev.py demo

test:
	$(PYTHON) dev.py test $(ARGS)

bench:
	$(PYTHON) dev.py bench

lint:
	$(PYTHON) dev.py lint
