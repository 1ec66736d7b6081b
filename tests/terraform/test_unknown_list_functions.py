"""Functions that must see every element of a list stay unknown while any element is unknown."""

from __future__ import annotations

import pytest

from vpclint.evaluate.terraform.functions import build_functions
from vpclint.evaluate.terraform.values import EvaluationError, SetValue, UnknownValue

FUNCTIONS = build_functions(max_subnet_bits=32, max_expansion=1000)


@pytest.mark.parametrize("name", ["toset", "compact", "distinct", "sort"])
def test_an_unknown_list_or_element_makes_the_result_unknown(name: str) -> None:
    pending = UnknownValue.make("aws_subnet.a.id is only known after apply")
    assert FUNCTIONS[name](pending) is pending
    assert FUNCTIONS[name](["b", pending, "a"]) is pending
    assert FUNCTIONS[name](["b", ["nested", pending]]) is pending
    with pytest.raises(EvaluationError, match=rf"{name}\(\) .* must be a list, not a string"):
        FUNCTIONS[name]("10.0.0.0/16")


def test_known_lists_are_computed() -> None:
    assert FUNCTIONS["sort"](["b", "a"]) == ["a", "b"]
    assert FUNCTIONS["compact"](["a", "", None, "b"]) == ["a", "b"]
    assert FUNCTIONS["distinct"](["a", "b", "a"]) == ["a", "b"]
    assert FUNCTIONS["toset"](["b", "a", "b"]) == SetValue.of(["a", "b"])
