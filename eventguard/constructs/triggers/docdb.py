"""Amazon DocumentDB change stream -> function: an event source mapping with
``DocumentDBEventSourceConfig``.

aws-cdk-lib has no DocumentDB event source, so the trigger builds the stock ``EventSourceMapping``
(``fn.add_event_source_mapping``) and sets ``DocumentDBEventSourceConfig`` on its L1 resource. The
event source is the cluster ARN, Lambda signs in with the cluster's Secrets Manager secret
(``SourceAccessConfigurations`` ``BASIC_AUTH``), and the role gets what the Lambda developer guide
lists for DocumentDB event sources, scoped as far as IAM allows:

- ``rds:DescribeDBClusters`` on the cluster; ``rds:DescribeDBClusterParameters`` and
  ``rds:DescribeDBSubnetGroups`` on the account's cluster parameter groups and subnet groups of the
  cluster's region (an ``IDatabaseCluster`` does not name its own);
- ``ec2:CreateNetworkInterface`` and ``ec2:DeleteNetworkInterface`` on the network interfaces,
  subnets and security groups of that account and region; ``ec2:DescribeNetworkInterfaces``,
  ``ec2:DescribeVpcs``, ``ec2:DescribeSubnets`` and ``ec2:DescribeSecurityGroups`` on ``*`` (no
  resource scope: named in ``_iam.WILDCARD_EXCEPTIONS``);
- ``secretsmanager:GetSecretValue`` on the secret, and ``kms:Decrypt`` on its key when it has one.

Lambda has no partial batch response for DocumentDB: the runtime quarantines blocked changes and
removes them from the batch, and fails the whole batch (retried) when one could not be
quarantined. The origin id is the cluster ARN (``eventSourceArn``).
"""

from __future__ import annotations

from typing import Any, cast

import jsii
from aws_cdk import ArnFormat, Duration, Names, Stack, Token
from aws_cdk import aws_docdb as docdb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager

from .. import _iam
from ._base import Trigger

FULL_DOCUMENT = ("Default", "UpdateLookup")
MAX_BATCH_SIZE = 10_000
MAX_BATCHING_WINDOW_SECONDS = 300
MAX_TIMEOUT_MINUTES = 14  # Lambda's limit for functions behind a DocumentDB event source mapping
# cdk-nag finding ids of the grants on every resource of a type in the account and region
_SCOPE = r"arn:(<AWS::Partition>|[\w-]+):{service}:(<AWS::Region>|[\w-]+):(<AWS::AccountId>|\d+)"
_NAMED_WILDCARDS = (
    _SCOPE.format(service="rds") + r":(cluster-pg|subgrp):\*",
    _SCOPE.format(service="ec2") + r":(network-interface|subnet|security-group)/\*",
)
_WILDCARDS_REASON = (
    "eventguard DocumentDb trigger: Lambda reads the cluster's parameter group and subnet group "
    "and creates network interfaces in its subnets and security groups, which an "
    "IDatabaseCluster does not name; granted on those resource types in this account and region"
)
_EC2_DESCRIBE = (
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
)


@jsii.implements(lambda_.IEventSource)
class DocumentDb(Trigger):
    """Changes in ``database`` (one ``collection`` of it, or all) of ``cluster`` invoke the
    function.

    :param database: the database whose change stream is read (required).
    :param secret: the Secrets Manager secret with the cluster's user name and password; default
        the cluster's own ``secret`` (a ``docdb.DatabaseCluster`` that generated its password).
    :param collection: the collection; default none (every collection of the database).
    :param full_document: ``"Default"`` (an update carries its changed fields) or
        ``"UpdateLookup"`` (also the whole document); default ``"Default"``.
    :param encryption_key: the KMS key of the secret; default the secret's ``encryption_key``
        (none: the AWS managed key, which needs no grant).
    :param starting_position: ``LATEST``, ``TRIM_HORIZON`` or ``AT_TIMESTAMP``; default
        ``StartingPosition.LATEST``.
    :param starting_position_timestamp: Unix time to start from, with ``AT_TIMESTAMP`` only.
    :param batch_size: changes per invocation, 1 to 10,000; default 100 (Lambda's default).
    :param max_batching_window: how long to gather a batch, at most 5 minutes; default none.
    :param enabled: whether the mapping is enabled; default True.
    """

    SOURCE = "docdb"

    def __init__(
        self,
        cluster: docdb.IDatabaseCluster,
        *,
        database: str,
        secret: secretsmanager.ISecret | None = None,
        collection: str | None = None,
        full_document: str = "Default",
        encryption_key: kms.IKey | None = None,
        starting_position: lambda_.StartingPosition = lambda_.StartingPosition.LATEST,
        starting_position_timestamp: float | None = None,
        batch_size: int | None = None,
        max_batching_window: Duration | None = None,
        enabled: bool | None = None,
    ) -> None:
        where = f"{cluster.node.path}: eventguard DocumentDb trigger"
        if not isinstance(database, str) or not database:
            raise ValueError(f"{where}: database={database!r}; name the database to read")
        if collection is not None and (not isinstance(collection, str) or not collection):
            raise ValueError(
                f"{where}: collection={collection!r}; name a collection, or leave it out to "
                "read every collection of the database"
            )
        if full_document not in FULL_DOCUMENT:
            raise ValueError(
                f"{where}: full_document={full_document!r}; use one of {', '.join(FULL_DOCUMENT)}"
            )
        if (starting_position == lambda_.StartingPosition.AT_TIMESTAMP) != (
            starting_position_timestamp is not None
        ):
            raise ValueError(
                f"{where}: starting_position_timestamp goes with StartingPosition.AT_TIMESTAMP "
                "and only with it; pass both or neither"
            )
        if batch_size is not None and not (
            Token.is_unresolved(batch_size) or 1 <= batch_size <= MAX_BATCH_SIZE
        ):
            raise ValueError(
                f"{where}: batch_size={batch_size}; use 1 to {MAX_BATCH_SIZE:,} changes"
            )
        if (
            max_batching_window is not None
            and not max_batching_window.is_unresolved()
            and max_batching_window.to_seconds() > MAX_BATCHING_WINDOW_SECONDS
        ):
            raise ValueError(
                f"{where}: max_batching_window is {max_batching_window.to_human_string()}; use "
                "at most Duration.minutes(5)"
            )
        self.cluster = cluster
        self.database = database
        self.collection = collection
        self.full_document = full_document
        self.secret = secret
        self.encryption_key = encryption_key
        self._options: dict[str, Any] = {
            "starting_position": starting_position,
            "starting_position_timestamp": starting_position_timestamp,
            "batch_size": batch_size,
            "max_batching_window": max_batching_window,
            "enabled": enabled,
        }

    def cluster_arn(self) -> str:
        """The ARN Lambda reads from and names as the event's ``eventSourceArn``. DocumentDB
        stores a cluster identifier in lower case, so an imported cluster's identifier typed
        with capitals is lower-cased: else no event would match the origin the policy declares
        for it, and the runtime would refuse them all as ``unexpected_source``."""
        identifier = self.cluster.cluster_identifier
        if not Token.is_unresolved(identifier):
            identifier = identifier.lower()
        return Stack.of(self.cluster).format_arn(
            service="rds",
            resource="cluster",
            resource_name=identifier,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )

    def _attach(self, target: lambda_.IFunction) -> tuple[str, dict[str, Any]]:
        path = target.node.path
        secret = self.secret or getattr(self.cluster, "secret", None)
        if secret is None:
            raise ValueError(
                f"{path}: DocumentDB cluster {self.cluster.node.path} has no Secrets Manager "
                "secret the event source mapping can sign in with; pass secret= (the secret "
                "holding the cluster's user name and password)"
            )
        timeout = getattr(target, "timeout", None)
        if (
            isinstance(timeout, Duration)
            and not timeout.is_unresolved()
            and timeout.to_seconds() > MAX_TIMEOUT_MINUTES * 60
        ):
            raise ValueError(
                f"{path}: timeout is {timeout.to_human_string()}, but Lambda allows at most "
                f"{MAX_TIMEOUT_MINUTES} minutes behind a DocumentDB event source mapping; pass "
                f"timeout=Duration.minutes({MAX_TIMEOUT_MINUTES}) or less"
            )
        arn = self.cluster_arn()
        mapping = target.add_event_source_mapping(
            f"DocumentDbEventSource:{Names.node_unique_id(self.cluster.node)}",
            event_source_arn=arn,
            source_access_configurations=[
                lambda_.SourceAccessConfiguration(
                    type=lambda_.SourceAccessConfigurationType.BASIC_AUTH, uri=secret.secret_arn
                )
            ],
            **{k: v for k, v in self._options.items() if v is not None},
        )
        cfn = cast(lambda_.CfnEventSourceMapping, mapping.node.default_child)
        cfn.document_db_event_source_config = (
            lambda_.CfnEventSourceMapping.DocumentDBEventSourceConfigProperty(
                database_name=self.database,
                collection_name=self.collection,
                full_document=self.full_document,
            )
        )
        key = self.encryption_key or secret.encryption_key
        for actions, resources in self._permissions(arn, secret, key):
            grant = iam.Grant.add_to_principal(
                grantee=target, actions=list(actions), resource_arns=list(resources)
            )
            grant.apply_before(mapping)  # Lambda checks the role when it creates the mapping
        if target.role is not None:
            _iam.acknowledge_named_wildcards(target.role, _NAMED_WILDCARDS, _WILDCARDS_REASON)
        return arn, {}

    def _permissions(
        self, arn: str, secret: secretsmanager.ISecret, key: kms.IKey | None
    ) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """(actions, resources) of each statement the mapping needs."""
        stack = Stack.of(self.cluster)

        def rds(resource: str) -> str:
            return stack.format_arn(
                service="rds",
                resource=resource,
                resource_name="*",
                arn_format=ArnFormat.COLON_RESOURCE_NAME,
            )

        def ec2(resource: str) -> str:
            return stack.format_arn(service="ec2", resource=resource, resource_name="*")

        interfaces = ec2("network-interface")
        secret_arn = secret.secret_full_arn or f"{secret.secret_arn}-??????"
        out: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
            (("rds:DescribeDBClusters",), (arn,)),
            (("rds:DescribeDBClusterParameters",), (rds("cluster-pg"),)),
            (("rds:DescribeDBSubnetGroups",), (rds("subgrp"),)),
            (("ec2:CreateNetworkInterface",), (interfaces, ec2("subnet"), ec2("security-group"))),
            (("ec2:DeleteNetworkInterface",), (interfaces,)),
            (_EC2_DESCRIBE, ("*",)),
            (("secretsmanager:GetSecretValue",), (secret_arn,)),
        ]
        if key is not None:
            out.append((("kms:Decrypt",), (key.key_arn,)))
        return out
