"""The errors a user can cause with their inputs; stages report them in one line."""


class DataError(ValueError):
    """An input file cannot be read as the format it should have, or fails a schema check."""


class AcquireError(RuntimeError):
    """A source file could not be brought in intact."""


class ParamsError(ValueError):
    """A value in ``params.yaml`` is missing, unknown or out of range."""


class EngineError(RuntimeError):
    """The execution engine cannot run: e.g. the Dask scheduler cannot be reached."""


EXPECTED_ERRORS = (DataError, AcquireError, ParamsError, EngineError)
