"""The real app plus a hello-world route, for benchmarks that compare the two on one server."""

from app import create_app

app = create_app()


@app.route("/bench/hello")
def bench_hello() -> str:
    return "Hello, world!"
