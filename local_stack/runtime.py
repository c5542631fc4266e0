"""Start the AWS emulation, provision the template on it, and point this process at it."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import partial

from . import identities
from .emulation import Emulation
from .function_roles import (
    FunctionRole,
    assume_roles,
    create_administrator,
    create_roles,
    deployed_template,
    function_roles,
)
from .functions import ensure_layer_on_path
from .gateway import LocalApiGateway
from .identities import AccessKey
from .persistence import Snapshot
from .provision import REGION, ProvisionedStack, provision
from .pump import QueuePump
from .samples import seed_sample_workspace
from .schedules import LocalScheduler
from .state import LocalStackState
from .template import StackTemplate, load_template

LOOPBACK_NETWORKS = "127.0.0.0/8,::1/128"


@dataclass
class LocalRuntime:
    emulation: Emulation
    stack: ProvisionedStack
    gateway: LocalApiGateway
    pump: QueuePump
    administrator: AccessKey
    function_keys: dict[str, AccessKey]
    roles: dict[str, FunctionRole]
    scheduler: LocalScheduler

    def quiesce(self) -> None:
        """No schedule fires and no queue is polled any more (the emulation still answers)."""
        self.scheduler.stop()
        self.pump.stop()

    def stop(self) -> None:
        self.quiesce()
        self.emulation.stop()


def point_boto_at(endpoint_url: str, key: AccessKey | None = None) -> None:
    """boto3 in this process talks to the emulation, as `key` (the administrator) by default."""
    key = key or AccessKey("local", "local")
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint_url,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": key.access_key_id,
            "AWS_SECRET_ACCESS_KEY": key.secret_access_key,
        }
    )
    os.environ.pop("AWS_SESSION_TOKEN", None)


def attach_to_running(state: LocalStackState) -> None:
    """Another process (`make invoke`, `make api-key`) joins a running local stack as it runs:
    boto3 as the administrator, and each function as its own role."""
    administrator = AccessKey(**state.administrator)  # type: ignore[arg-type]
    function_keys = {name: AccessKey(**key) for name, key in state.function_keys.items()}  # type: ignore[arg-type]
    point_boto_at(state.moto_endpoint, administrator)
    identities.install(administrator, function_keys)


def apply_function_environment(stack: ProvisionedStack, overrides: dict[str, str]) -> None:
    """Every function's template environment, as Lambda would set it, plus local overrides."""
    for logical_id in stack.template.functions():
        os.environ.update(stack.function_environment(logical_id))
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    os.environ.update(overrides)


def reset_process_caches() -> None:
    """Forget settings and clients built from an earlier environment."""
    ensure_layer_on_path()
    from sender_accounts import composition

    composition.reset()


def start_local_runtime(
    port: int = 0,
    parameter_overrides: dict[str, str] | None = None,
    environment_overrides: dict[str, str] | None = None,
    template: StackTemplate | None = None,
    kept: Snapshot | None = None,
) -> LocalRuntime:
    """`template` stands in for template.yaml (a test's edited copy); `kept` is the data of an
    earlier run to start with."""
    # Functions without a metric in one request flush nothing; that is normal, not news.
    warnings.filterwarnings("ignore", "No application metrics to publish", UserWarning)
    emulation = Emulation.start(port)
    endpoint = emulation.endpoint
    point_boto_at(endpoint)
    administrator = create_administrator()
    point_boto_at(endpoint, administrator)
    identities.install(administrator, {})
    emulation.call("set_enforcement", True)  # from here every request is signed and checked
    # Locally: loopback mail servers are reachable, and domain ownership is taken as proven
    # at once, as the emulated SES verifies at once.
    overrides = {
        "AllowedPrivateNetworks": LOOPBACK_NETWORKS,
        "DomainOwnershipCheck": "assume",
        **(parameter_overrides or {}),
    }
    template = template or StackTemplate(load_template())
    adopt = partial(kept.adopt, emulation) if kept else None
    stack = provision(endpoint, parameter_overrides=overrides, template=template, adopt=adopt)
    if kept is not None:
        kept.restore_data(stack, emulation)
    deployed = deployed_template(template, stack.resolver.parameters)
    roles = function_roles(
        deployed,
        stack.resolver,
        list(template.functions()),
        stack.resolver.parameters["AWS::StackName"],
    )
    arns = create_roles(roles)
    with emulation.relaxed():  # Lambda, not a caller, assumes each function's role
        function_keys = assume_roles(arns)
    identities.install(administrator, function_keys)
    apply_function_environment(stack, environment_overrides or {})
    reset_process_caches()
    seed_sample_workspace()
    pump = QueuePump(stack)
    pump.start()
    scheduler = LocalScheduler(template, stack.function_environment)
    scheduler.start()
    gateway = LocalApiGateway(template)
    return LocalRuntime(
        emulation, stack, gateway, pump, administrator, function_keys, roles, scheduler
    )
