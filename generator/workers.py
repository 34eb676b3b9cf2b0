"""Worker processes for black and the validator: forked when work appears, black imported in each."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

P = ParamSpec("P")
T = TypeVar("T")


class LazyPool(Executor):
    """A ProcessPoolExecutor made by `start` or by the first `submit`.

    Each worker imports black as it starts (`_import_black`), so the parent never waits for it:
    a run that starts the pool as soon as it knows black will be needed (a step cache miss) has
    the import done in the worker while it parses, builds and renders.
    """

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    def start(self, workers: int | None = None) -> None:
        """Fork the workers now (no-op once started): `workers` of them, by default one per core
        (at least two). An edit's few pieces need one; a cold run, every core."""
        if self._pool is not None:
            return
        import multiprocessing  # here: a run served from the caches starts no process
        from concurrent.futures import ProcessPoolExecutor

        count = workers or max(2, multiprocessing.cpu_count())
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(count, mp_context=context, initializer=_import_black)
        self._pool.submit(int)  # forks the workers (the fork context starts them all at once)

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        self.start()
        assert self._pool is not None
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class workers:
    """A `LazyPool` for a `with` block, shut down at its end; None where fork is unavailable.
    A run served from the caches starts no process."""

    def __enter__(self) -> LazyPool | None:
        self._pool = LazyPool() if hasattr(os, "fork") else None
        return self._pool

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _import_black() -> None:
    import black  # noqa: F401 - the worker's first piece then formats at once
