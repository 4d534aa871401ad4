"""Domain errors, in one place. The API maps them to HTTP status codes; the CLI to messages."""


class MsmeKgError(Exception):
    """Base of every error msme-kg raises on purpose."""


class UnreadableDocument(MsmeKgError):
    """A file that cannot be turned into text: unsupported, empty, binary or corrupted."""


class LimitExceeded(UnreadableDocument):
    """A file past one of the reading limits (:class:`graph.read.limits.ReadLimits`), found while reading it."""


class DocumentTooLarge(LimitExceeded):
    """A file longer than the configured limit (``max_document_chars``); refused, not cut."""


class StoreError(MsmeKgError):
    """The store cannot be opened or written (locked, missing, wrong path)."""


class QueryError(MsmeKgError):
    """A SPARQL query that does not parse or cannot run."""


class QueryTimeout(MsmeKgError):
    """A query that ran past its time limit and was stopped."""


class UnknownQuery(MsmeKgError):
    """A named query that is not in queries/."""


class NotFound(MsmeKgError):
    """An entity, event or document id that the graph does not hold."""


class NotAcceptable(MsmeKgError):
    """No serialisation of the result matches what the client accepts."""


class UpdateRefused(MsmeKgError):
    """A SPARQL update without the server's update token (or on a server started without one)."""


class Unauthorized(UpdateRefused):
    """A write with a missing or wrong token on a server that takes writes (401 + WWW-Authenticate)."""


class FeatureDisabled(MsmeKgError):
    """A query or update using SERVICE federation or LOAD while those are not enabled."""


class ServerBusy(MsmeKgError):
    """Every query worker stayed busy for the whole time limit."""


class BackupError(MsmeKgError):
    """A dump that cannot be written, or a backup that cannot (or must not) be loaded."""


class ExportError(MsmeKgError):
    """An export that cannot be written (unknown format, Graphviz missing, a layout that failed)."""


class CurationError(MsmeKgError):
    """A curation file that is malformed or names ids the store does not hold."""


class QueryTooLarge(MsmeKgError):
    """A request that needed more memory than a query worker may use (or nested too deep for it)."""


class QueryCancelled(MsmeKgError):
    """A request whose client went away before the answer; its worker was stopped."""


class UnsupportedMediaType(MsmeKgError):
    """A request body in a media type or charset the server does not read (415)."""
