"""Why a pushed event cannot be read: each answered `rejected` with its reason and detail."""

from __future__ import annotations


class UnreadableEventError(Exception):
    """A pushed event the server cannot read: answered `rejected` with `reason`."""

    def __init__(self, reason: str, **detail: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


class UnknownKindError(UnreadableEventError):
    def __init__(self) -> None:
        super().__init__("unknown_kind")


class UnsupportedSchemaError(UnreadableEventError):
    def __init__(self, version: int) -> None:
        super().__init__(f"schema_version_{version}")


class UnknownFieldError(UnreadableEventError):
    """The payload carries a field its kind does not declare (the first one, by name)."""

    def __init__(self, field_name: str) -> None:
        super().__init__("unknown_field", field=field_name[:64])
        self.field = field_name


class MalformedEventError(UnreadableEventError):
    """One field is missing or of the wrong type or size (the first one found is named)."""

    def __init__(self, field_name: str) -> None:
        super().__init__("malformed", field=field_name)
        self.field = field_name
