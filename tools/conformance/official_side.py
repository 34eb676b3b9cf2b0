"""The official Huawei Cloud SDK's side of the conformance judge, run in its own virtualenv.

    .bench/official/bin/python tools/conformance/official_side.py    (started by the judge)

Standard library and the pinned official SDK only (bench/official-sdk.txt). The SDK's `requests`
transport adapter is replaced by one that records the request and answers a canned response, as
bench/official_peer.py does: the SDK still builds, signs and sends every request through its
requests.Session and deserialises every response into its models; only the network is gone.

Commands, one JSON object per stdin line, each answered by one JSON line on stdout:

    {"credentials": {ak, sk, project_id}} the AK/SK every client signs with (first)
    {"routes": true}                     every method of the three clients: HTTP method and path
    {"describe": [[sdk, method], ...]}   what the SDK declares for those methods: each request
                                         parameter's location and wire name, the response type,
                                         and every model class reachable (wire key and type)
    {"run": [case, ...]}                 each case sent through the SDK: the wire request it
                                         produced and its reading of the canned response
"""

from __future__ import annotations

import base64
import datetime
import decimal
import importlib
import inspect
import json
import re
import sys
import warnings
from typing import Any

import requests
from adapter import CannedAdapter, mount
from exchange import answer_content, sent
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import SdkException, ServiceResponseException
from huaweicloudsdkcore.sdk_stream_response import SdkStreamResponse
from huaweicloudsdkcore.utils.http_utils import sanitize_for_serialization

# sdk key -> (client module, client class, region class module, region class)
SDKS = {
    "cdm": (
        "huaweicloudsdkcdm.v1",
        "CdmClient",
        "huaweicloudsdkcdm.v1.region.cdm_region",
        "CdmRegion",
    ),
    "dlf": (
        "huaweicloudsdkdlf.v1",
        "DlfClient",
        "huaweicloudsdkdlf.v1.region.dlf_region",
        "DlfRegion",
    ),
    "dataartsstudio": (
        "huaweicloudsdkdataartsstudio.v1",
        "DataArtsStudioClient",
        "huaweicloudsdkdataartsstudio.v1.region.dataartsstudio_region",
        "DataArtsStudioRegion",
    ),
}
PRIMITIVES = {"str", "int", "float", "bool", "object", "date", "datetime", "file"}


class Sdk:
    """One official client, built once per (sdk, region), with the adapter mounted."""

    def __init__(self, key: str, region: str, ak: str, sk: str, project_id: str) -> None:
        module_name, client_name, region_module, region_name = SDKS[key]
        self.module = importlib.import_module(module_name)
        client_class = getattr(self.module, client_name)
        region_class = getattr(importlib.import_module(region_module), region_name)
        credentials = BasicCredentials(ak, sk, project_id)
        self.client = (
            client_class.new_builder()
            .with_credentials(credentials)
            .with_region(region_class.value_of(region))
            .build()
        )
        self.answer: dict[str, Any] = {}
        self.adapter = CannedAdapter(
            lambda request: (
                self.answer["status"],
                self.answer.get("headers") or {},
                answer_content(self.answer),
            )
        )
        mount(self.client.get_http_client()._session, self.adapter)  # the SDK's requests.Session


def request_class_name(sdk: Any, method: str) -> str:
    doc = getattr(type(sdk.client), method).__doc__ or ""
    found = re.search(r":type request: :class:`[\w.]+\.(\w+)`", doc)
    if not found:
        raise SystemExit(f"official_side: no request class in the docstring of {method}")
    return found.group(1)


def http_info(sdk: Any, method: str, request: Any) -> dict[str, Any]:
    return getattr(type(sdk.client), f"_{method}_http_info")(request)  # type: ignore[no-any-return]


# -- routes and describe ---------------------------------------------------------------------------------------


def routes() -> list[dict[str, str]]:
    """Every method of the three clients with the HTTP method and path its `_http_info` declares."""
    found = []
    for key, (module_name, client_name, _, _) in SDKS.items():
        client_class = getattr(importlib.import_module(module_name), client_name)
        source = inspect.getsource(client_class)
        for method, http_method, path in re.findall(
            r'def _(\w+)_http_info\(cls, request\):\s+http_info = \{\s+"method": "(\w+)",'
            r'\s+"resource_path": "([^"]+)"',
            source,
        ):
            found.append({"sdk": key, "method": method, "http_method": http_method, "path": path})
    return found


def describe(pairs: list[list[str]]) -> dict[str, Any]:
    """Per method: where each request attribute travels, the response type, its header fields;
    and every model class reachable from them: {class: {wire key: type}}."""
    methods: dict[str, Any] = {}
    models: dict[str, dict[str, str]] = {}
    for key, method in pairs:
        sdk = _sdk(key, "ap-southeast-1")
        request_name = request_class_name(sdk, method)
        request_class = getattr(sdk.module, request_name)
        probe = request_class()
        for attr in request_class.openapi_types:
            setattr(probe, attr, f"@{attr}")
        info = http_info(sdk, method, probe)
        locations: dict[str, list[str]] = {}
        for attr, wire in request_class.attribute_map.items():
            marker = f"@{attr}"
            if info["path_params"].get(wire) == marker:
                where = "path"
            elif any(v == marker for _, v in info["query_params"]):
                where = "query"
            elif info["header_params"].get(wire) == marker:
                where = "header"
            elif wire == "body":
                where = "body"
            else:
                where = "unsent"
            locations[attr] = [where, wire, request_class.openapi_types[attr]]
        response_name = info["response_type"]
        methods[f"{key}.{method}"] = {
            "http_method": info["method"],
            "resource_path": info["resource_path"],
            "request": request_name,
            "parameters": locations,
            "content_type": info["header_params"].get("Content-Type"),
            "response": response_name,
            "response_headers": list(info["response_headers"]),
            "stream": issubclass(getattr(sdk.module, response_name), SdkStreamResponse),
        }
        for type_name in [t for _, _, t in locations.values()] + [response_name]:
            _collect(sdk.module, type_name, models, key)
    return {"methods": methods, "models": models}


def _collect(module: Any, type_name: str, models: dict[str, dict[str, str]], key: str) -> None:
    inner = re.fullmatch(r"list\[(.*)\]|dict\([^,]*, (.*)\)", type_name)
    if inner:
        _collect(module, inner.group(1) or inner.group(2), models, key)
        return
    if type_name in PRIMITIVES:
        return
    qualified = f"{key}.{type_name}"
    if qualified in models:
        return
    klass = getattr(module, type_name)
    models[qualified] = {klass.attribute_map[a]: t for a, t in klass.openapi_types.items()}
    for attr_type in klass.openapi_types.values():
        _collect(module, attr_type, models, key)


# -- run --------------------------------------------------------------------------------------------

_CLIENTS: dict[tuple[str, str, str], Sdk] = {}
_CREDENTIALS: dict[str, str] = {"ak": "", "sk": "", "project_id": ""}


def _sdk(key: str, region: str, project_id: str | None = None) -> Sdk:
    """The client of `key` for a region and project (the SDK fills `{project_id}` from its
    credentials, so each project of the fixtures gets its own client)."""
    project = project_id or _CREDENTIALS["project_id"]
    if (key, region, project) not in _CLIENTS:
        credentials = {**_CREDENTIALS, "project_id": project}
        _CLIENTS[key, region, project] = Sdk(key, region, **credentials)
    return _CLIENTS[key, region, project]


def run(case: dict[str, Any]) -> dict[str, Any]:
    """One case: build the request model from the wire values, call, report what happened."""
    sdk = _sdk(case["sdk"], case["region"], case["project_id"])
    sdk.adapter.last = None
    sdk.answer = case["response"]
    result: dict[str, Any] = {"id": case["id"]}
    try:
        request = sdk.client._deserialize(
            case["parameters"], request_class_name(sdk, case["method"])
        )
    except Exception as error:  # noqa: BLE001 - reported, the judge decides
        result["build_error"] = f"{type(error).__name__}: {error}"
        return result
    if "body" not in case["parameters"] and "body" in request.attribute_map:
        request.body = None  # the deserialiser reads a body out of the parameters themselves
    info = http_info(sdk, case["method"], request)
    try:
        response = getattr(sdk.client, case["method"])(request)
    except ServiceResponseException as error:
        result["error"] = {
            "status": error.status_code,
            "error_code": error.error_code,
            "error_message": error.error_msg,
            "request_id": error.request_id,
        }
    except SdkException as error:
        result["error"] = {"exception": f"{type(error).__name__}: {error}"}
    except Exception as error:  # noqa: BLE001 - a reading the SDK cannot make is a finding
        result["error"] = {"exception": f"{type(error).__name__}: {error}"}
    else:
        result["reading"] = reading(response, info["response_headers"])
    if sdk.adapter.last is not None:
        result["request"] = wire(sdk.adapter.last)
    return result


def reading(response: Any, header_fields: list[str]) -> Any:
    """The parsed response as wire JSON: attributes mapped back through `attribute_map`."""
    if isinstance(response, SdkStreamResponse):
        chunks: list[bytes] = []
        response.consume_download_stream(lambda stream: chunks.append(stream.raw.read()))
        return {"binary_b64": base64.b64encode(b"".join(chunks)).decode()}
    fields = {
        response.attribute_map[attr]: getattr(response, attr)
        for attr in response.openapi_types
        if response.attribute_map[attr] not in header_fields and getattr(response, attr) is not None
    }
    if set(fields) == {"body"} or "body" in response.attribute_map.values() and len(fields) == 1:
        return plain(sanitize_for_serialization(fields.get("body")))
    return plain(sanitize_for_serialization(fields))


def plain(value: Any) -> Any:
    """Decimals and dates as JSON has them, anything else the SDK made as its repr."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and "." not in str(value)
            else float(value)
        )
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return {"unreadable": repr(value)}


def wire(request: requests.PreparedRequest) -> dict[str, Any]:
    body = request.body.encode() if isinstance(request.body, str) else request.body
    return sent(request.method or "", request.url or "", request.headers, body)


def main() -> None:
    warnings.simplefilter("ignore")  # its type-conversion warnings: the readings show what it did
    for line in sys.stdin:
        command = json.loads(line)
        if "credentials" in command:
            _CREDENTIALS.update(command["credentials"])
            print(json.dumps({"ok": True}), flush=True)
        elif "routes" in command:
            print(json.dumps(routes()), flush=True)
        elif "describe" in command:
            print(json.dumps(describe(command["describe"])), flush=True)
        elif "run" in command:
            print(
                json.dumps([run(case) for case in command["run"]], ensure_ascii=False), flush=True
            )
        else:
            raise SystemExit(f"official_side: unknown command {line[:80]!r}")


if __name__ == "__main__":
    main()
