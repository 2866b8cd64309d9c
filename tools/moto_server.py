"""Runs moto's AWS stand-in on 127.0.0.1 for the tests, and stops it when the
process that started it exits (so a test run never leaves it behind).

Three patches, where moto 5.2.5's CloudFormation lacks what AWS documents and
nested stacks need; nothing else changes:
- `Fn::GetAtt [Child, Outputs.X]` (the value of nested stack Child's output
  X, how a root passes values between children) answers HTTP 500: moto's
  nested stack gets that attribute.
- `AWS::ApiGatewayV2::Api` is skipped, so `Ref` of it is empty and a nested
  stack taking the API's id as a parameter fails with "Missing parameter":
  the API is created in moto's API Gateway V2 backend, and `Ref` is its id.
- Executing a change set creates the new resources in template order,
  ignoring `DependsOn` (a nested stack reading a sibling's queue by name
  before the sibling exists): they are created in `DependsOn` order.

Usage: moto_server.py PORT   -- prints "ready PORT" once it answers.
"""
import json
import os
import sys
import time
import urllib.request

from moto.apigatewayv2.models import apigatewayv2_backends
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.cloudformation.models import Stack
from moto.cloudformation.parsing import ResourceMap
from moto.core.common_models import CloudFormationModel
from moto.server import ThreadedMotoServer


def nested_stack_output(stack, attribute):
    if attribute.startswith("Outputs."):
        output = stack.output_map[attribute[len("Outputs."):]]
        if output is not None:
            return output.value
    raise UnformattedGetAttTemplateException()


Stack.get_cfn_attribute = nested_stack_output


def in_dependency_order(build_resource_diff):
    def diff(resource_map, template, parameters=None):
        actions = build_resource_diff(resource_map, template, parameters)
        resources = template["Resources"]
        ordered = []

        def visit(name):
            if name in ordered or name not in actions["Add"]:
                return
            depends = resources[name].get("DependsOn", [])
            for dependency in [depends] if isinstance(depends, str) else depends:
                visit(dependency)
            ordered.append(name)

        for name in actions["Add"]:
            visit(name)
        actions["Add"] = ordered
        return actions

    return diff


ResourceMap.build_resource_diff = in_dependency_order(ResourceMap.build_resource_diff)


class HttpApi(CloudFormationModel):
    # moto files each model under the service its module names.
    __module__ = "moto.apigatewayv2.models"

    def __init__(self, api, account_id, region_name):
        self.api = api
        self.backend = apigatewayv2_backends[account_id][region_name]

    @staticmethod
    def cloudformation_type():
        return "AWS::ApiGatewayV2::Api"

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @classmethod
    def has_cfn_attr(cls, attribute):
        return attribute in ("ApiId", "ApiEndpoint")

    def get_cfn_attribute(self, attribute):
        return self.api.api_id if attribute == "ApiId" else self.api.api_endpoint

    @property
    def physical_resource_id(self):
        return self.api.api_id

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        api = apigatewayv2_backends[account_id][region_name].create_api(
            api_key_selection_expression=None,
            cors_configuration=None,
            description=None,
            disable_schema_validation=None,
            disable_execute_api_endpoint=None,
            name=properties.get("Name", resource_name),
            protocol_type=properties.get("ProtocolType", "HTTP"),
            route_selection_expression=None,
            tags={},
            version=None,
        )
        return cls(api, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        pass

    def delete(self, account_id, region_name):
        self.backend.delete_api(self.api.api_id)

port = int(sys.argv[1])
parent = os.getppid()
server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
        break
    except Exception:
        time.sleep(0.05)
else:
    sys.exit(f"moto did not answer on port {port}")
# Docker does not run here, so Lambda invocations use moto's backend that
# answers without running code (it echoes the payload, or a queued result).
config = json.dumps({"lambda": {"use_docker": False}}).encode()
urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/config", data=config, method="POST"))
print(f"ready {port}", flush=True)
while os.getppid() == parent:
    time.sleep(0.2)
server.stop()
