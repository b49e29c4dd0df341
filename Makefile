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

.PHONY: help setup build test test-short bench run models eval-reference clean fmt vet

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
