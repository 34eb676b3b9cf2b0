"""The parse floor peer: plain pydantic models that datamodel-code-generator makes from spec/cdm.yaml.

What a user of a general-purpose generator gets for the same response schema: pydantic v2
`BaseModel` classes with the generator's defaults (no lenient fallback, no masking, no renames),
validating the same bytes with `model_validate_json`, the collector left as the program has it.
Built in process when the benchmark starts (a few seconds), never written to disk.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

SPEC = Path(__file__).resolve().parent.parent / "spec" / "cdm.yaml"


def plain_models(spec: Path = SPEC) -> types.ModuleType:
    """A module of datamodel-code-generator's plain pydantic models for every schema of `spec`."""
    from datamodel_code_generator import (
        DataModelType,
        InputFileType,
        PythonVersion,
        generate,
    )

    code = generate(
        spec.read_text(encoding="utf-8"),
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        formatters=[],  # the text is executed, never read: formatting it would only cost time
    )
    if not isinstance(code, str):
        raise SystemExit("bench: datamodel-code-generator returned no single module")
    module = types.ModuleType(f"plain_{spec.stem}")
    sys.modules[module.__name__] = module  # pydantic resolves forward references through it
    # the code is datamodel-code-generator's output for our own spec, made a moment ago
    exec(compile(code, f"<datamodel-code-generator: {spec.name}>", "exec"), module.__dict__)  # noqa: S102
    return module


def plain_response(name: str, spec: Path = SPEC) -> Any:
    """The plain model class named `name` (a response schema of `spec`)."""
    return getattr(plain_models(spec), name)
