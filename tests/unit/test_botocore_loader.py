"""The clients' botocore data: the loader answers as botocore's own loader does while listing
only the folder of the service asked about; the endpoints cut resolves every endpoint as the
whole file does."""

import json
import re
from pathlib import Path

import botocore.exceptions
import botocore.loaders
import botocore.session
import pytest

from sender_accounts.adapters import aws_clients, endpoint_data

LAYER = Path(aws_clients.__file__).parents[1]


@pytest.fixture
def loaders(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[botocore.loaders.Loader, botocore.loaders.Loader]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    session = aws_clients._new_session()
    lean = session.get_component("data_loader")
    full = botocore.session.get_session().get_component("data_loader")
    return full, lean


@pytest.mark.parametrize("type_name", ["service-2", "endpoint-rule-set-1", "resources-1"])
def test_known_services_are_botocores(loaders, type_name: str) -> None:
    full, lean = loaders
    services = full.list_available_services(type_name)
    answered = lean.list_available_services(type_name)
    assert list(answered) == services
    for name in ("dynamodb", "kms", "events", "sqs", "sesv2", "cloudwatch", "no-such-service"):
        assert (name in answered) is (name in services), name


def test_search_paths_are_botocores(loaders) -> None:
    full, lean = loaders
    assert lean.search_paths == full.search_paths


def test_an_unknown_service_is_refused_as_botocore_refuses_it(loaders) -> None:
    _, lean = loaders
    with pytest.raises(botocore.exceptions.UnknownServiceError):
        lean.load_service_model("no-such-service", "service-2")
    assert lean.load_service_model("dynamodb", "service-2")["metadata"]["serviceId"] == "DynamoDB"


def test_the_checked_in_cut_is_of_the_installed_botocore() -> None:
    stored = json.loads(endpoint_data.CUT.read_text())
    whole, _ = botocore.loaders.Loader().load_data_with_path("endpoints")
    hint = "run `python -m sender_accounts.adapters.endpoint_data` after a botocore upgrade"
    assert stored["botocore"] == botocore.__version__, hint
    assert stored["endpoints"] == endpoint_data.cut(whole), hint


def test_the_cut_holds_every_service_the_layer_makes_a_client_for() -> None:
    named = {
        name
        for module in LAYER.rglob("*.py")
        for name in re.findall(r'client\("([a-z0-9-]+)"\)', module.read_text())
    }
    assert {"dynamodb", "sqs", "kms", "events"} <= named
    loader = botocore.loaders.Loader()
    for name in named:
        prefix = loader.load_service_model(name, "service-2")["metadata"]["endpointPrefix"]
        assert prefix in endpoint_data.SERVICES, name


@pytest.mark.parametrize(
    "region", ["us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"]
)
@pytest.mark.parametrize("service", ["dynamodb", "sqs", "kms", "events", "ses", "sts", "s3", "iam"])
def test_endpoints_resolve_as_with_the_whole_file(
    monkeypatch: pytest.MonkeyPatch, region: str, service: str
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    ours = aws_clients._new_session()
    assert isinstance(
        ours._get_internal_component("endpoint_resolver"),
        endpoint_data.CutEndpointResolver,
    )
    theirs = botocore.session.get_session()
    made = [s.create_client(service, region_name=region) for s in (ours, theirs)]
    assert made[0].meta.endpoint_url == made[1].meta.endpoint_url
    assert made[0].meta.region_name == made[1].meta.region_name
    assert made[0].meta.partition == made[1].meta.partition
