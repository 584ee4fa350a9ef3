"""Value classes written out by hand: what ``@dataclass(slots=True)`` (and ``frozen=True``)
generates for them, without importing ``dataclasses``.

``dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``) and builds every
class with ``exec``: together about a third of what importing the Lambda wrapper cost. A class
here lists its fields, in order, in ``__slots__`` and writes its own ``__init__``; ``Value``
adds the ``__repr__`` and ``__eq__`` a dataclass has (over the fields, only between instances
of the same class), ``Frozen`` also refuses assignment and is hashable, like a frozen one.
"""

from __future__ import annotations

from typing import Any, NoReturn


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen value (as ``dataclasses.FrozenInstanceError``)."""


class Value:
    """``__repr__`` and ``__eq__`` over the fields named in the subclass's ``__slots__``;
    unhashable, as a mutable dataclass."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__slots__])

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__qualname__}({fields})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Value)
        return self._fields() == other._fields()

    # defining __eq__ without __hash__ leaves __hash__ None: unhashable


class Frozen(Value):
    """A ``Value`` whose fields cannot be assigned or deleted once ``__init__`` set them (with
    ``object.__setattr__``); hashable by its fields. Copies and pickles as a frozen dataclass."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._fields())

    def __getstate__(self) -> tuple[Any, ...]:
        return self._fields()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        names: tuple[str, ...] = self.__slots__
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)
