"""The clients' data loader answers botocore's questions as boto3's own loader does, while
listing only the folder of the service asked about."""

import boto3
import botocore.exceptions
import botocore.loaders
import pytest

from sender_accounts.adapters import aws_clients


@pytest.fixture
def loaders(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[botocore.loaders.Loader, botocore.loaders.Loader]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    session = aws_clients._new_session()
    lean = session._session.get_component("data_loader")
    # boto3's own session: botocore's loader with boto3's data folder added
    full = boto3.session.Session()._session.get_component("data_loader")
    return full, lean


@pytest.mark.parametrize("type_name", ["service-2", "endpoint-rule-set-1", "resources-1"])
def test_known_services_are_botocores(loaders, type_name: str) -> None:
    full, lean = loaders
    services = full.list_available_services(type_name)
    answered = lean.list_available_services(type_name)
    assert list(answered) == services
    for name in ("dynamodb", "kms", "events", "sqs", "sesv2", "cloudwatch", "no-such-service"):
        assert (name in answered) is (name in services), name


def test_search_paths_are_botocores_and_boto3s(loaders) -> None:
    full, lean = loaders
    assert lean.search_paths == full.search_paths


def test_an_unknown_service_is_refused_as_botocore_refuses_it(loaders) -> None:
    _, lean = loaders
    with pytest.raises(botocore.exceptions.UnknownServiceError):
        lean.load_service_model("no-such-service", "service-2")
    assert lean.load_service_model("dynamodb", "service-2")["metadata"]["serviceId"] == "DynamoDB"
