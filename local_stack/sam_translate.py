"""Expand template.yaml as a deploy does, with the SAM CLI's own translator.

Runs under the SAM CLI's interpreter (its translator pins a pydantic the layer does not use):
reads `{"template": ..., "parameters": ...}` as JSON on stdin, writes the CloudFormation
template SAM would deploy as JSON on stdout. Only the standard library and samtranslator here.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from samtranslator.translator.transform import transform

# `sam validate` puts a placeholder in place of local code paths: the translator wants S3 URIs.
_LOCAL_CODE = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
}


class _BundledPoliciesOnly:
    """Managed policies named by short name are looked up in the translator's bundled list; a
    deployment would ask IAM, which is not reachable here and not needed by this template."""

    def load(self) -> dict[str, str]:
        return {}


def main() -> int:
    request = json.load(sys.stdin)
    # The translator takes the region for its pseudo parameters from the environment.
    os.environ.setdefault("AWS_DEFAULT_REGION", request["parameters"]["AWS::Region"])
    template: dict[str, Any] = request["template"]
    for resource in template.get("Resources", {}).values():
        code_property = _LOCAL_CODE.get(resource.get("Type", ""))
        if code_property and code_property in resource.get("Properties", {}):
            resource["Properties"][code_property] = "s3://local-placeholder/code.zip"
    translated = transform(template, request["parameters"], _BundledPoliciesOnly())
    json.dump(translated, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
