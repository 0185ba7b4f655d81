"""`make bench`: build city-scale data, then run every tests/bench/bench_*.py module's run(bench)."""

import importlib
import pkgutil

from tests.bench import common


def main():
    common.setup_django()
    common.ensure_city_data()
    bench = common.Bench()
    package = importlib.import_module("tests.bench")
    for module in sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("bench_")
    ):
        print(f"== {module}")
        importlib.import_module(f"tests.bench.{module}").run(bench)
    bench.write()


if __name__ == "__main__":
    main()
