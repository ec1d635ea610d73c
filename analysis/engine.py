"""Executors for per-partition work: in-process (``pandas``) or on a Dask cluster (``dask``).

The stages whose work grows with the corpus split it into partitions and hand one
function and a list of partitions to :func:`executor`. Both engines call the same
function on the same partitions and return the results in partition order, so the
outputs do not depend on the engine; only where the work runs does.

With ``dask``, the cluster is the scheduler named by the ``ANALYSIS_DASK_SCHEDULER``
environment variable, else ``engine.scheduler`` in ``params.yaml``, else a local
cluster of ``engine.n_workers`` single-threaded worker processes (the cleaning and
prediction functions are pure Python and hold the GIL, so processes, not threads).
Workers of a remote cluster need this package installed (same version) and the project
folder at the same absolute path as the client, on a shared file system: tasks pass
absolute paths to the intermediate partitions and to the model.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from tqdm.auto import tqdm

from analysis.errors import EngineError
from analysis.params import EngineParams

log = logging.getLogger(__name__)

SCHEDULER_ENV = "ANALYSIS_DASK_SCHEDULER"


class Executor(Protocol):
    """Runs ``fn`` on each partition and returns the results in order."""

    name: str

    def map(self, fn: Callable[..., Any], items: Sequence[Any], **kwargs: Any) -> list[Any]: ...  # noqa: D102


class SerialExecutor:
    """The ``pandas`` engine: partitions one after another in this process."""

    name = "pandas"

    def map(self, fn: Callable[..., Any], items: Sequence[Any], **kwargs: Any) -> list[Any]:
        """Return ``[fn(item, **kwargs) for item in items]``, with a progress bar over the items."""
        return [fn(item, **kwargs) for item in tqdm(items, desc=fn.__name__, unit="part", leave=False, disable=None)]


class DaskExecutor:
    """The ``dask`` engine: partitions as tasks on a ``dask.distributed`` client."""

    name = "dask"

    def __init__(self, client: Any) -> None:
        self.client = client

    def map(self, fn: Callable[..., Any], items: Sequence[Any], **kwargs: Any) -> list[Any]:
        """Submit one task per item and gather the results in item order."""
        if not items:
            return []
        shared = {k: self.client.scatter(v, broadcast=True) for k, v in kwargs.items()}
        futures = self.client.map(fn, list(items), pure=False, **shared)
        from dask.distributed import as_completed

        bar = tqdm(total=len(futures), desc=fn.__name__, unit="part", leave=False, disable=None)
        for _ in as_completed(futures):  # progress as tasks finish, in any order
            bar.update(1)
        bar.close()
        return self.client.gather(futures)


def scheduler_address(params: EngineParams) -> str | None:
    """Return the Dask scheduler to use: ``$ANALYSIS_DASK_SCHEDULER``, else ``engine.scheduler``, else None."""
    address = os.environ.get(SCHEDULER_ENV)
    if address and not address.startswith(("tcp://", "tls://", "inproc://")):
        raise EngineError(f"${SCHEDULER_ENV}: expected a scheduler address like tcp://host:8786, got {address!r}")
    return address or params.scheduler


@contextlib.contextmanager
def executor(params: EngineParams) -> Iterator[Executor]:
    """Yield the executor ``params.name`` asks for; a local Dask cluster is shut down on exit."""
    if params.name == "pandas":
        yield SerialExecutor()
        return
    from dask.distributed import Client, LocalCluster

    address = scheduler_address(params)
    if address:
        log.info("dask: connecting to the scheduler at %s", address)
        try:
            client = Client(address, timeout="30s")
            client.get_versions(check=True)  # workers without this package's dependencies fail here
        except (OSError, TimeoutError, ValueError) as exc:
            raise EngineError(f"dask scheduler {address}: {' '.join(str(exc).split())}") from None
        with client:
            yield DaskExecutor(client)
        return
    log.info("dask: local cluster of %d worker processes", params.n_workers)
    with (
        LocalCluster(
            n_workers=params.n_workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield DaskExecutor(client)
