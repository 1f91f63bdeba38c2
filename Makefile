# Convenience front door; every target is a script you can also run directly.
.PHONY: run test bench fuzz build clean package
build:
	bash scripts/build.sh build
run:
	bash scripts/run-server.sh
test:
	bash scripts/test.sh
bench:
	bash bench/run_all.sh
fuzz:
	bash scripts/fuzz.sh 60
package:
	bash scripts/package.sh
clean:
	rm -rf build build-asan build-release build-fuzz build-package
