"""Amazon API Gateway REST API method -> function, through the stock ``LambdaIntegration``.

A method without an authorizer is refused unless the function declares why it is public
(``public_reason``, or the ``public`` map of the app-wide policy). The origin id is the REST
API id (``requestContext.apiId``), with its deployment stage when its name is known at synth.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jsii
from aws_cdk import Token
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_

from ._base import Trigger


@jsii.implements(lambda_.IEventSource)
class RestApi(Trigger):
    """``method`` requests on ``resource`` invoke the function (Lambda proxy integration).

    :param authorizer: a Cognito, token or request authorizer; default none (then
        ``authorization_type`` or the function's ``public_reason`` must say how callers are
        authorized).
    :param authorization_type: e.g. ``AuthorizationType.IAM``; default the authorizer's type,
        else the resource's default method options, else none.
    :param authorization_scopes: OAuth scopes a Cognito authorizer requires; default none.
    :param request_validator_options: request validation; default none.
    """

    SOURCE = "api-rest"

    def __init__(
        self,
        resource: apigateway.IResource,
        method: str = "ANY",
        *,
        authorizer: apigateway.IAuthorizer | None = None,
        authorization_type: apigateway.AuthorizationType | None = None,
        authorization_scopes: Sequence[str] | None = None,
        request_validator_options: apigateway.RequestValidatorOptions | None = None,
    ) -> None:
        self.resource = resource
        self.http_method = method.upper()
        self.authorizer = authorizer
        self.authorization_type = authorization_type
        self.authorization_scopes = authorization_scopes
        self.request_validator_options = request_validator_options
        self.method: apigateway.Method | None = None

    def _authorized(self) -> bool:
        if self.authorizer is not None:
            return True
        kind = self.authorization_type
        defaults = self.resource.default_method_options
        if kind is None and defaults is not None:
            if defaults.authorizer is not None:
                return True
            kind = defaults.authorization_type
        return kind is not None and kind != apigateway.AuthorizationType.NONE

    def _attach(self, target: lambda_.IFunction) -> tuple[str, dict[str, Any]]:
        if not self._authorized() and not getattr(target, "public_reason", None):
            raise ValueError(
                f"{target.node.path}: {self.http_method} {self.resource.path} has no authorizer; "
                "pass authorizer=... or authorization_type=AuthorizationType.IAM, or declare the "
                "entry point public with public_reason='...' (or the 'public' map in cdk.json)"
            )
        self.method = self.resource.add_method(
            self.http_method,
            apigateway.LambdaIntegration(target),
            authorizer=self.authorizer,
            authorization_type=self.authorization_type,
            authorization_scopes=list(self.authorization_scopes or ()) or None,
            request_validator_options=self.request_validator_options,
        )
        api = self.resource.api
        stage = _stage_name(api)
        return api.rest_api_id, {"stage": stage} if stage else {}


def _stage_name(api: apigateway.IRestApi) -> str:
    """The literal name of the API's deployment stage, or "" when it is not known at synth.

    ``Stage.stage_name`` is a ``Ref`` to the stage, and the stage depends on the deployment,
    which depends on this method, which depends on the function: putting that ``Ref`` in the
    function's environment would be a dependency cycle. The stage's L1 holds the literal name.
    """
    try:
        stage = api.deployment_stage
    except RuntimeError:  # an API without deployment (deploy=False) raises in jsii
        return ""
    cfn = stage.node.default_child if stage is not None else None
    name = getattr(cfn, "stage_name", None)
    if isinstance(name, str) and not Token.is_unresolved(name):
        return name
    return ""
