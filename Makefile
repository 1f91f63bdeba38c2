# Convenience front door; every target is a script you can also run directly.
.PHONY: run test bench fuzz build clean
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
clean:
	rm -rf build build-asan build-release build-fuzz
