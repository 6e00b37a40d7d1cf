"""The Text field tells OpenAPI that NUL is not valid, without hiding a stricter pattern."""

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, validate

from roleplay_api.schemas.common import Text


class Sample(Schema):
    plain = Text()
    strict = Text(validate=validate.Regexp(r"^[a-z]+$"))
    described = Text(metadata={"description": "kept"})


def test_text_exports_a_no_nul_pattern_unless_it_has_its_own():
    spec = APISpec("t", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("Sample", schema=Sample)
    props = spec.to_dict()["components"]["schemas"]["Sample"]["properties"]
    assert props["plain"]["pattern"] == Text.NO_NUL
    assert props["strict"]["pattern"] == "^[a-z]+$"
    assert props["described"] == {"type": "string", "pattern": Text.NO_NUL, "description": "kept"}
