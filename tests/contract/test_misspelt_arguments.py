"""A misspelt keyword names the method the user called and the nearest parameter (issue 21 item
4), sync and async, for plain, page-iterating and download methods; nothing is sent, and a
TypeError raised anywhere else passes through untouched."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dataarts import AsyncCdmClient, CdmClient, DlfClient
from dataarts.cdm._client import AsyncClustersResource, ClustersResource

CLUSTER = "6ec9a0a4-76be-4262-8697-e7af1fac7920"


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


@pytest.fixture
def cdm(sent: list[httpx.Request]) -> Iterator[CdmClient]:
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json={}))
    with CdmClient(base_url="https://cdm.test", project_id="p", token="t",
                   http_client=httpx.Client(transport=transport)) as client:
        yield client


def test_a_misspelt_keyword_names_the_method_and_the_nearest_parameter(
    cdm: CdmClient, sent: list[httpx.Request]
) -> None:
    with pytest.raises(TypeError) as info:
        cdm.clusters.get(cluster_id=CLUSTER, clusterid=CLUSTER)  # type: ignore[call-arg]
    assert str(info.value) == ("cdm.clusters.get() got an unexpected keyword argument "
                               "'clusterid'; did you mean 'cluster_id'?")
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert sent == []


@pytest.mark.parametrize(("keyword", "meant"), [
    ("pagesize", "page_size"), ("pageSize", "page_size"), ("jobname", "job_name"),
    ("timout", "timeout"), ("extra_header", "extra_headers"),
])
def test_the_nearest_of_its_own_parameters_and_the_request_options(
    cdm: CdmClient, keyword: str, meant: str
) -> None:
    with pytest.raises(TypeError, match=rf"^cdm\.jobs\.get\(\) got an unexpected keyword "
                                        rf"argument '{keyword}'; did you mean '{meant}'\?$"):
        cdm.jobs.get(cluster_id=CLUSTER, job_name="all", **{keyword: 1})  # type: ignore[arg-type]


def test_a_keyword_like_none_lists_what_the_method_takes(cdm: CdmClient) -> None:
    with pytest.raises(TypeError) as info:
        cdm.clusters.get(cluster_id=CLUSTER, zzz=1)  # type: ignore[call-arg]
    assert str(info.value) == (
        "cdm.clusters.get() got an unexpected keyword argument 'zzz'; it takes cluster_id, "
        "timeout, extra_headers, extra_query, max_retries, retry_non_idempotent")


def test_a_misspelt_required_keyword_names_the_method_as_called(cdm: CdmClient) -> None:
    with pytest.raises(TypeError, match=r"^cdm\.clusters\.get\(\) missing 1 required "
                                        r"keyword-only argument: 'cluster_id'$"):
        cdm.clusters.get(clusterid=CLUSTER)  # type: ignore[call-arg]
    assert ClustersResource.get.__qualname__ == AsyncClustersResource.get.__qualname__ == (
        "cdm.clusters.get")


def test_page_iterators_refuse_before_sending(cdm: CdmClient, sent: list[httpx.Request]) -> None:
    with pytest.raises(TypeError) as info:
        cdm.jobs.iter_get(cluster_id=CLUSTER, job_name="all", pageSize=3)  # type: ignore[call-arg]
    assert str(info.value) == ("cdm.jobs.iter_get() got an unexpected keyword argument "
                               "'pageSize'; did you mean 'page_size'?")
    assert sent == []


def test_download_methods(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, content=b"x"))
    dlf = DlfClient(base_url="https://dlf.test", project_id="p", token="t", workspace="w",
                    http_client=httpx.Client(transport=transport))
    with pytest.raises(TypeError) as info:
        dlf.jobs.export_to_file(tmp_path / "job.zip", job_name="j", jobname="j")  # type: ignore[call-arg]
    assert str(info.value) == ("dlf.jobs.export_to_file() got an unexpected keyword argument "
                               "'jobname'; did you mean 'job_name'?")
    assert sent == [] and not (tmp_path / "job.zip").exists()


def test_the_async_methods_say_the_same() -> None:
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json={}))

    async def call() -> None:
        async with AsyncCdmClient(base_url="https://cdm.test", project_id="p", token="t",
                                  http_client=httpx.AsyncClient(transport=transport)) as cdm:
            await cdm.jobs.get(cluster_id=CLUSTER, job_name="all", pagesize=10)  # type: ignore[call-arg]

    with pytest.raises(TypeError, match=r"^cdm\.jobs\.get\(\) got an unexpected keyword "
                                        r"argument 'pagesize'; did you mean 'page_size'\?$"):
        asyncio.run(call())
    assert sent == []


def test_a_type_error_from_elsewhere_passes_through_untouched() -> None:
    problem = TypeError("something() got an unexpected keyword argument 'timeout'")

    class Failing(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
            raise problem

    # its message names a keyword the call passed (a request option): still not the user's slip
    client = CdmClient(base_url="https://cdm.test", project_id="p", auth=Failing(),
                       http_client=httpx.Client(transport=httpx.MockTransport(
                           lambda r: httpx.Response(200, json={}))))
    with pytest.raises(TypeError) as raised:
        client.clusters.get(cluster_id=CLUSTER, timeout=5)
    assert raised.value is problem
