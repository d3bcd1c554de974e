"""A small JSON Schema checker for the subset openapi.json uses (jsonschema is not a dependency)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def _type_ok(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, TYPES[name])


def check(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    """Every way `value` breaks `schema` (empty when it conforms)."""
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return check(value, target, root, path)
    errors: list[str] = []
    for sub in schema.get("allOf", []):
        errors += check(value, sub, root, path)
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_type_ok(value, n) for n in names):
            return [*errors, f"{path}: {value!r} is not {names}"]
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{path}: missing {name}")
        props = schema.get("properties", {})
        for name, item in value.items():
            if name in props:
                errors += check(item, props[name], root, f"{path}.{name}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += check(item, schema["additionalProperties"], root, f"{path}.{name}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected {name}")
            names = schema.get("propertyNames", {}).get("enum")
            if names is not None and name not in names:
                errors.append(f"{path}: property {name} not allowed")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += check(item, schema["items"], root, f"{path}[{i}]")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: {value} > {schema['maximum']}")
    if isinstance(value, str):
        errors += _format(value, schema.get("format"), path)
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{path}: longer than {schema['maxLength']}")
    return errors


def _format(value: str, fmt: str | None, path: str) -> list[str]:
    try:
        if fmt == "date":
            date.fromisoformat(value)
        elif fmt == "date-time":
            datetime.fromisoformat(value)
        elif fmt == "uri" and not value.startswith(("http://", "https://")):
            return [f"{path}: {value!r} is not an absolute URI"]
    except ValueError:
        return [f"{path}: {value!r} is not a {fmt}"]
    return []


def conforms(value: Any, spec: dict[str, Any], path: str, status: int = 200) -> list[str]:
    """Check a response body against the spec's schema for (GET path, status)."""
    response = spec["paths"][path]["get"]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    errors = check(value, schema, spec)
    try:
        import jsonschema
        from referencing import Registry, Resource
    except ImportError:
        return errors
    resource = Resource.from_contents(
        {**spec, "$schema": "https://json-schema.org/draft/2020-12/schema"}
    )
    registry = Registry().with_resource("urn:spec", resource)
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"urn:spec#{schema['$ref'][1:]}"}, registry=registry
    )
    return errors + [e.message for e in validator.iter_errors(value)]
