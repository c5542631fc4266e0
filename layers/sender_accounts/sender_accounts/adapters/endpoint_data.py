"""botocore's endpoint data, cut to the services this product calls.

Making a client resolves its endpoint from botocore's `endpoints.json`: 1.2 MB of every
service in every partition, parsed on a cold start's first client (about 18 ms). The cut keeps
every partition's own data whole and only the services below (54 KB, under a millisecond).
It is checked in beside the botocore version it was cut from: under any other version, or for
a service it does not hold, the whole file answers, as botocore's own resolver would.

`python -m sender_accounts.adapters.endpoint_data` writes the cut again (after a botocore
upgrade; a unit test says when).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import botocore
from botocore.loaders import Loader
from botocore.regions import EndpointResolver

# Endpoint prefixes of the clients the layer makes (`client("...")`); SES's prefix is "email".
SERVICES = ("dynamodb", "email", "events", "kms", "secretsmanager", "sqs", "sts")
CUT = Path(__file__).with_name("endpoints_cut.json")


def cut(endpoints: dict[str, Any]) -> dict[str, Any]:
    partitions = [
        {**partition, "services": {
            name: data for name, data in partition["services"].items() if name in SERVICES
        }}
        for partition in endpoints["partitions"]
    ]  # fmt: skip
    return {**endpoints, "partitions": partitions}


@cache
def _checked_in() -> dict[str, Any] | None:
    try:
        stored = json.loads(CUT.read_text())
    except FileNotFoundError:
        return None
    return stored["endpoints"] if stored.get("botocore") == botocore.__version__ else None


class CutEndpointResolver(EndpointResolver):
    """botocore's resolver over the cut; the whole file, loaded on first need, for any other
    service."""

    def __init__(self, data: dict[str, Any], loader: Loader) -> None:
        super().__init__(data, uses_builtin_data=True)
        self._loader = loader
        self._whole: EndpointResolver | None = None

    def _whole_file(self) -> EndpointResolver:
        if self._whole is None:
            endpoints, path = self._loader.load_data_with_path("endpoints")
            self._whole = EndpointResolver(endpoints, self._loader.is_builtin_path(path))
        return self._whole

    def get_service_endpoints_data(self, service_name: str, partition_name: str = "aws") -> Any:
        if service_name in SERVICES:
            return super().get_service_endpoints_data(service_name, partition_name)
        return self._whole_file().get_service_endpoints_data(service_name, partition_name)

    def get_available_endpoints(self, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if service_name in SERVICES:
            return super().get_available_endpoints(service_name, *args, **kwargs)
        return self._whole_file().get_available_endpoints(service_name, *args, **kwargs)

    def construct_endpoint(self, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if service_name in SERVICES:
            return super().construct_endpoint(service_name, *args, **kwargs)
        return self._whole_file().construct_endpoint(service_name, *args, **kwargs)


def endpoint_resolver(loader: Loader) -> EndpointResolver | None:
    """The resolver over the cut; None when the cut is not of this botocore (or the data path
    points elsewhere): botocore's own resolver then."""
    data = _checked_in()
    if data is None or not _builtin_only(loader):
        return None
    return CutEndpointResolver(data, loader)


def _builtin_only(loader: Loader) -> bool:
    # A user's own endpoints.json (AWS_DATA_PATH, ~/.aws/models) wins over botocore's: the cut
    # is botocore's, so it stands only when no other folder holds the file.
    return not any(
        (Path(folder) / "endpoints.json").exists()
        for folder in loader.search_paths
        if not loader.is_builtin_path(str(Path(folder) / "endpoints.json"))
    )


def main() -> None:
    endpoints, _ = Loader().load_data_with_path("endpoints")
    stored = {"botocore": botocore.__version__, "endpoints": cut(endpoints)}
    CUT.write_text(json.dumps(stored, separators=(",", ":"), sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
