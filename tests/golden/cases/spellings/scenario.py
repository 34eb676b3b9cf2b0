"""Golden case `spellings`: both spellings read, former names deprecated, a default body, a
download that answers JSON when asked to store."""

from __future__ import annotations

import json
import os
import warnings

import httpx

import dataarts
from dataarts.parcels import ParcelsClient
from dataarts.parcels.models import Parcel, StoredLabel

assert dataarts.__file__.startswith(os.environ["GOLDEN_OUT"]), dataarts.__file__

sent: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    if request.method == "GET":
        return httpx.Response(200, json={"parcels": [{"weightkg": 1.5, "isStoppedInTransit": True},
                                                     {"weightKg": 2.5, "isStopedInTransit": False}]})
    if request.method == "DELETE":
        return httpx.Response(204)
    if request.content:
        return httpx.Response(200, json={"storePath": "s3://labels/1.pdf"})
    return httpx.Response(200, content=b"%PDF", headers={"Content-Type": "application/pdf"})


client = ParcelsClient(project_id="p", token="t",
                       http_client=httpx.Client(transport=httpx.MockTransport(handler)))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    listed = client.parcels.list(min_ship_time=1, parcel_name="a")
    assert not caught
    assert [(p.weight_kg, p.is_stopped_in_transit) for p in listed.parcels or []] == [
        (1.5, True), (2.5, False)]
    assert listed.parcels and listed.parcels[1].model_dump(by_alias=True, exclude_none=True) == {
        "weightKg": 2.5, "isStopedInTransit": False}
    client.parcels.list(min_ship_tme=1, pname="a")  # type: ignore[call-arg]
    assert sent[-1].url.params == sent[0].url.params
    assert str(sent[0].url.params) == "min_ship_time=1&pname=a"
    assert listed.parcels[0].weightkg == 1.5  # type: ignore[deprecated]
    assert Parcel(weightkg=3).weight_kg == 3  # type: ignore[call-arg]
    assert [str(w.message) for w in caught] == [
        "parcels.parcels.list(): keyword 'min_ship_tme' is deprecated, use 'min_ship_time'",
        "parcels.parcels.list(): keyword 'pname' is deprecated, use 'parcel_name'",
        "Parcel.weightkg is deprecated: use weight_kg (the wire spells it weightKg)",
        "Parcel(): keyword 'weightkg' is deprecated, use 'weight_kg'",
    ]

client.parcels.purge()
assert json.loads(sent[-1].content) == {"keep_days": 0}
client.parcels.purge(body={"keep_days": 3})
assert json.loads(sent[-1].content) == {"keep_days": 3}

assert client.parcels.print_label(parcel_id="1") == b"%PDF"
stored = client.parcels.print_label(parcel_id="1", body={"storePath": "s3://labels/"})
assert isinstance(stored, StoredLabel) and stored.store_path == "s3://labels/1.pdf"
print("ok")
