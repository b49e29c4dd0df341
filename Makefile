# yogamirror — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GOARCH_HOST := $(shell go env GOARCH)
TFLITE_DIR  := $(CURDIR)/build/tflite
TFLITE_LIB  := $(TFLITE_DIR)/linux_$(GOARCH_HOST)
TAGS        := opencv tflite
SHARED      ?= $(abspath $(CURDIR)/../shared)
MODELS      ?= $(CURDIR)/build/models
# Where `make models` copies from instead of downloading (CI sets ../shared/models).
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

run: models ## run the detector on the shared test images
	bin/yogamirror detect --models $(MODELS) $(SHARED)/data/tf_pose_test_images

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

vet: setup ## go vet with and without the cgo tags
	go vet -tags '$(TAGS)' ./...
	CGO_ENABLED=0 go vet ./...

clean: ## remove build outputs (keeps the TFLite download)
	rm -rf bin dist
