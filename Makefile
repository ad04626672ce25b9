# Developer commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian puts mkfs.*, sfdisk and debugfs in /usr/sbin, not on every user's PATH.
export PATH := $(PATH):/usr/sbin:/sbin
# Debian packages the build and tests need, as command:package (pdqhash compiles
# with g++; the disk-image and video tests build real evidence with the rest, and
# store it as VMDK/VHD/QCOW2/sparse images with qemu-img and img2simg; the
# browser tests drive Debian's Chromium: Playwright never downloads a browser).
APT_NEEDS := g++:g++ mkfs.vfat:dosfstools mcopy:mtools mkfs.ext4:e2fsprogs debugfs:e2fsprogs \
  sfdisk:fdisk sgdisk:gdisk ewfacquire:ewf-tools fls:sleuthkit ffmpeg:ffmpeg \
  mkntfs:ntfs-3g pg_dump:postgresql-client pdftotext:poppler-utils \
  qemu-img:qemu-utils img2simg:android-sdk-libsparse-utils mkfs.xfs:xfsprogs \
  chromium:chromium

.PHONY: install system-packages demo test test-fast check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

system-packages:
	@missing=""; for need in $(APT_NEEDS); do \
	  command -v $${need%%:*} >/dev/null 2>&1 || missing="$$missing $${need#*:}"; done; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "please install as root:$$missing"; exit 1; fi; \
	fi

install: system-packages $(BIN)/python
	$(BIN)/pip install --quiet -e ".[all,dev]"

demo: install
	$(BIN)/kavach demo --workdir build/demo --serve

test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow" -x -q

bench: install
	@command -v hashdeep >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hashdeep; }
	$(BIN)/pip install --quiet -e ".[all,dev,bench]"
	bench/run

check: install
	scripts/check

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
