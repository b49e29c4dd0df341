# yogamirror — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GOARCH_HOST := $(shell go env GOARCH)
TFLITE_DIR  := $(CURDIR)/build/tflite
TFLITE_LIB  := $(TFLITE_DIR)/linux_$(GOARCH_HOST)
TAGS        := opencv tflite
SHARED      ?= $(abspath $(CURDIR)/../shared)
MODELS      ?= $(CURDIR)/build/models
# Where `make models` copies from instead of downloading: ../shared/models
# when it is there (no network needed), else the official URLs.
YOGAMIRROR_MODELS ?= $(if $(wildcard $(SHARED)/models/SHA256SUMS),$(SHARED)/models)
export YOGAMIRROR_MODELS
export YOGAMIRROR_SHARED := $(SHARED)

# cgo settings shared by every target so Go's build cache stays warm.
export CGO_ENABLED := 1
export CGO_CFLAGS  := -O2 -I$(TFLITE_DIR)/include -I$(CURDIR)/inference/tflite/include
export CGO_LDFLAGS := -L$(TFLITE_LIB) -Wl,-rpath,$$ORIGIN/../lib -Wl,-rpath,$(TFLITE_LIB)

GO_BUILD := go build -tags '$(TAGS)' -trimpath

.PHONY: help setup build test test-short bench run models eval-reference clean fmt vet screenshots

help: ## list the targets
	@grep -hE '^[a-z][a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

setup: ## install Debian packages and TensorFlow Lite (idempotent)
	@cross/setup.sh all

build: setup ## build bin/yogamirror and bin/yogamirrord
	@mkdir -p bin
	$(GO_BUILD) -o bin/ ./cmd/...

models: build ## fetch MoveNet and the yoga classifier into build/models (checksums verified)
	bin/yogamirror models fetch --dir $(MODELS)

test: setup ## run every test (needs ../shared; starts its own mosquitto)
	@go mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy (keep gocv at v0.31.0)" >&2; exit 1; }
	@bad=$$(gofmt -l cmd device inference display telemetry systemd cross); test -z "$$bad" || { echo "gofmt would change: $$bad" >&2; exit 1; }
	go vet -tags '$(TAGS)' ./...
	go test -tags '$(TAGS)' -count=1 -timeout 25m ./...
	CGO_ENABLED=0 go test -count=1 -short ./...

test-short: setup ## unit tests only; skips tests that need ../shared
	go test -tags '$(TAGS)' -short ./...

bench: setup ## run the benchmarks (MoveNet invoke vs the whole frame path, …)
	go test -tags '$(TAGS)' -run '^$$' -bench . -benchmem ./...

# SOURCE=camera (or a device, video, folder, rtsp:// URL) runs on a real
# source; by default a 45 s demo session of real photos is replayed.
SOURCE  ?= demo
DISPLAY_DRIVER ?= text

run: models ## run the daemon: a replayed demo session (or SOURCE=camera / a video / a folder) on a text display
	@mkdir -p build/run
	@src="$(SOURCE)"; if [ "$$src" = demo ]; then src=$$(cross/demo.sh $(SHARED) build/run/demo); fi; \
	bin/yogamirrord --source "$$src" --models $(MODELS) --state-dir build/run/state \
		--events build/run/events.jsonl --display $(DISPLAY_DRIVER) --hold-target 15 --log-level warn
	@echo "session log: build/run/events.jsonl"

screenshots: ## re-render display/screens/*.png: every screen on every display driver (go test fails when they are stale)
	CGO_ENABLED=0 go test ./display/screens -run TestScreenshots -count=1 -update
	@echo "display/screens: $$(find display/screens -name '*.png' | wc -l) PNGs"

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

vet: setup ## go vet with and without the cgo tags
	go vet -tags '$(TAGS)' ./...
	CGO_ENABLED=0 go vet ./...

clean: ## remove build outputs (keeps the TFLite download)
	rm -rf bin dist

# ---- linux/arm64 cross build (Raspberry Pi OS 64-bit, bookworm); see cross/README.md ----
# The cross settings live in cross/env.sh and are sourced per recipe, so the
# host's CGO_* above (and its warm build cache) stay untouched.
SYSROOT    ?= $(CURDIR)/build/sysroot-arm64
CROSS_OUT  := $(CURDIR)/build/linux_arm64
CROSS_CMDS := ./cmd/yogamirror $(if $(wildcard cmd/yogamirrord/*.go),./cmd/yogamirrord)

.PHONY: sysroot cross cross-test

sysroot: ## arm64 sysroot (Debian bookworm OpenCV) + cross gcc/qemu; a no-op when up to date
	@SYSROOT=$(SYSROOT) cross/sysroot.sh

$(SYSROOT)/.yogamirror-sysroot: cross/sysroot.sh
	@SYSROOT=$(SYSROOT) cross/sysroot.sh

cross: $(SYSROOT)/.yogamirror-sysroot ## build linux/arm64 into build/linux_arm64/{bin,lib}; bin/ finds lib/ by rpath
	@cross/setup.sh tflite
	@mkdir -p $(CROSS_OUT)/bin $(CROSS_OUT)/lib
	cp $(TFLITE_DIR)/linux_arm64/libtensorflowlite_c.so $(CROSS_OUT)/lib/
	export SYSROOT=$(SYSROOT) && source cross/env.sh && \
		go build -tags "$$YM_CROSS_TAGS" -trimpath -o $(CROSS_OUT)/bin/ $(CROSS_CMDS)

cross-test: build cross ## run the arm64 detector under qemu and compare with the host's (CROSS_GOTEST=1: arm64 go tests too)
	SYSROOT=$(SYSROOT) cross/cross-test.sh

# ---- install and Debian packages; see systemd/README.md ----
# Release binaries are version-stamped, stripped and carry only the RUNPATH
# $ORIGIN/../lib (bin/ also points at build/tflite, which must not ship), so
# the host's build has its own CGO_LDFLAGS: one cold cgo build, then cached.
# Layout: PREFIX/lib/yogamirror/{bin,lib}, PREFIX/bin/* symlinks into it.
# Evaluated once, so both packages of one `make deb` carry the same version.
ifeq ($(origin VERSION),undefined)
VERSION     := $(shell cross/deb.sh version 2>/dev/null)
endif
PREFIX      ?= /usr/local
SYSCONFDIR  ?= /etc
UNITDIR     ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
PKG_ARCH    ?= $(GOARCH_HOST)
PKG_OUT      = $(CURDIR)/build/pkg/linux_$(PKG_ARCH)
PKG_LDFLAGS  = -s -w -X main.version=$(VERSION) -extldflags=-Wl,-z,relro,-z,now
PKG_CMDS    := ./cmd/yogamirror ./cmd/yogamirrord
YM_LIBDIR    = $(PREFIX)/lib/yogamirror
DEB_ARCHES  ?= amd64 arm64

.PHONY: release install uninstall deb $(addprefix deb-,$(DEB_ARCHES))

release: setup $(if $(filter-out $(GOARCH_HOST),$(PKG_ARCH)),$(SYSROOT)/.yogamirror-sysroot) ## release build for PKG_ARCH (host; or arm64) into build/pkg/linux_ARCH/{bin,lib}
	@install -d $(PKG_OUT)/bin $(PKG_OUT)/lib
	install -m 0644 $(TFLITE_DIR)/linux_$(PKG_ARCH)/libtensorflowlite_c.so $(PKG_OUT)/lib/
ifeq ($(PKG_ARCH),$(GOARCH_HOST))
	CGO_LDFLAGS='-L$(TFLITE_LIB) -Wl,-rpath,$$ORIGIN/../lib' \
		$(GO_BUILD) -buildmode=pie -ldflags '$(PKG_LDFLAGS)' -o $(PKG_OUT)/bin/ $(PKG_CMDS)
else ifeq ($(PKG_ARCH)-$(GOARCH_HOST),arm64-amd64)
	export SYSROOT=$(SYSROOT) && source cross/env.sh && \
		go build -tags "$$YM_CROSS_TAGS" -trimpath -buildmode=pie -ldflags '$(PKG_LDFLAGS)' -o $(PKG_OUT)/bin/ $(PKG_CMDS)
else
	@echo "release: cannot build $(PKG_ARCH) on $(GOARCH_HOST)" >&2; exit 1
endif

install: release ## install to DESTDIR/PREFIX (default /usr/local): binaries, TFLite, unit, sysusers/tmpfiles, docs; SYSCONFDIR/yogamirror/{config.yaml,routines/} unless present
	install -d $(DESTDIR)$(YM_LIBDIR)/bin $(DESTDIR)$(YM_LIBDIR)/lib $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(PKG_OUT)/bin/yogamirror $(PKG_OUT)/bin/yogamirrord $(DESTDIR)$(YM_LIBDIR)/bin/
	install -m 0644 $(PKG_OUT)/lib/libtensorflowlite_c.so $(DESTDIR)$(YM_LIBDIR)/lib/
	ln -sfn ../lib/yogamirror/bin/yogamirror $(DESTDIR)$(PREFIX)/bin/yogamirror
	ln -sfn ../lib/yogamirror/bin/yogamirrord $(DESTDIR)$(PREFIX)/bin/yogamirrord
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(PREFIX)/share/doc/yogamirror/examples
	sed -e 's#/usr/bin/yogamirrord#$(PREFIX)/bin/yogamirrord#' -e 's#/usr/share/doc/yogamirror#$(PREFIX)/share/doc/yogamirror#' \
		systemd/yogamirrord.service > $(DESTDIR)$(UNITDIR)/yogamirrord.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/yogamirrord.service
	install -D -m 0644 systemd/sysusers.conf $(DESTDIR)$(PREFIX)/lib/sysusers.d/yogamirror.conf
	install -D -m 0644 systemd/tmpfiles.conf $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/yogamirror.conf
	install -m 0644 systemd/README.md $(DESTDIR)$(PREFIX)/share/doc/yogamirror/README.md
	install -m 0644 systemd/config.example.yaml $(DESTDIR)$(PREFIX)/share/doc/yogamirror/examples/config.yaml
	install -d $(DESTDIR)$(PREFIX)/share/doc/yogamirror/examples/routines
	install -m 0644 systemd/routines/*.yaml $(DESTDIR)$(PREFIX)/share/doc/yogamirror/examples/routines/
	install -d $(DESTDIR)$(SYSCONFDIR)/yogamirror $(DESTDIR)$(SYSCONFDIR)/yogamirror/routines
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/yogamirror/config.yaml ]; then \
		echo "install: keeping $(DESTDIR)$(SYSCONFDIR)/yogamirror/config.yaml"; \
	else install -m 0644 systemd/config.example.yaml $(DESTDIR)$(SYSCONFDIR)/yogamirror/config.yaml; fi
	@for r in systemd/routines/*.yaml; do t=$(DESTDIR)$(SYSCONFDIR)/yogamirror/routines/$$(basename $$r); \
		if [ -e $$t ]; then echo "install: keeping $$t"; else install -m 0644 $$r $$t; fi; done
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		systemd-sysusers $(PREFIX)/lib/sysusers.d/yogamirror.conf && \
		systemd-tmpfiles --create $(PREFIX)/lib/tmpfiles.d/yogamirror.conf && \
		systemctl daemon-reload && \
		echo "install: edit $(SYSCONFDIR)/yogamirror/config.yaml, then: systemctl enable --now yogamirrord"; fi

uninstall: ## remove what install put in DESTDIR/PREFIX (keeps the config and /var/lib/yogamirror)
	rm -f $(DESTDIR)$(PREFIX)/bin/yogamirror $(DESTDIR)$(PREFIX)/bin/yogamirrord $(DESTDIR)$(UNITDIR)/yogamirrord.service \
		$(DESTDIR)$(PREFIX)/lib/sysusers.d/yogamirror.conf $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/yogamirror.conf
	rm -rf $(DESTDIR)$(YM_LIBDIR) $(DESTDIR)$(PREFIX)/share/doc/yogamirror

deb: $(addprefix deb-,$(DEB_ARCHES)) ## dist/yogamirror_VERSION_{amd64,arm64}.deb (arm64 builds the sysroot when missing)

$(addprefix deb-,$(DEB_ARCHES)): deb-%:
	rm -rf build/deb/$*
	$(MAKE) --no-print-directory install PKG_ARCH=$* PREFIX=/usr SYSCONFDIR=/etc DESTDIR=$(CURDIR)/build/deb/$* VERSION=$(VERSION)
	cross/deb.sh build $* $(VERSION) $(CURDIR)/build/deb/$* $(CURDIR)/dist

# ---- accuracy: the numbers in the README, reproducible ----------------------
ACC_OUT ?= build/accuracy
ACC_MAP := chair=chair,cobra=cobra,dog=downdog,tree=tree,warrior=warrior2,Downdog=downdog,Goddess=goddess,Plank=plank,Tree=tree,Warrior2=warrior2
DATA    := $(SHARED)/data

.PHONY: accuracy
accuracy: models ## train on yoga_cg/train + the yoga5 train split, then eval on both test sets (minutes)
	bin/yogamirror train --models $(MODELS) --out $(ACC_OUT) --map '$(ACC_MAP)' \
		$(DATA)/yoga_cg/train $(DATA)/yoga5_photos=$(DATA)/yoga5_photos/split_train.txt
	bin/yogamirror eval --models $(MODELS) --classifier $(ACC_OUT)/classifier.tflite --json $(ACC_OUT)/eval_yoga_cg.json \
		--map chair=chair,cobra=cobra,dog=downdog,tree=tree,warrior=warrior2 $(DATA)/yoga_cg/test
	bin/yogamirror eval --models $(MODELS) --classifier $(ACC_OUT)/classifier.tflite --json $(ACC_OUT)/eval_yoga5.json \
		--split $(DATA)/yoga5_photos/split_test.txt \
		--map Downdog=downdog,Goddess=goddess,Plank=plank,Tree=tree,Warrior2=warrior2 $(DATA)/yoga5_photos
	bin/yogamirror eval --models $(MODELS) --json $(ACC_OUT)/eval_google_yoga5.json \
		--map Downdog=dog,Tree=tree,Warrior2=warrior $(DATA)/yoga5_photos

Y82_CFG ?= --hidden 512,256 --dropout 0.5 --ensemble 3
Y82_KP  := $(DATA)/keypoints/yoga82_test_thunder_yx
Y82_H   := $(DATA)/yoga82/yoga82_class_hierarchy.csv

.PHONY: yoga82-cv
yoga82-cv: build ## 3-fold stratified CV on the Yoga-82 keypoint CSVs at 82 (with roll-ups), 20 and 6 classes (about an hour)
	for l in 82 20 6; do bin/yogamirror train --cv 3 --order yx --hierarchy $(Y82_H) --level $$l $(Y82_CFG) $(Y82_KP)/Test$$l.csv; done
