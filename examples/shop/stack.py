"""The shop backend: one stack, six SecureFunctions, one entry point type each.

POST /orders (REST API, Cognito) -> orders -> table + fulfilment queue
fulfilment queue (SQS, with DLQ) -> fulfilment -> order-events topic
order-events topic (SNS)         -> notifications -> SES e-mail
uploads bucket, uploads/*.csv    -> upload import -> table
table stream (DynamoDB)          -> audit trail (JSON log lines)
nightly schedule (EventBridge)   -> nightly report -> order-events topic
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as lambda_sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from eventguard.constructs import SecureFunction, triggers

HANDLERS = Path(__file__).resolve().parent / "handlers"
SENDER_DOMAIN = "shop.example.com"


def code(name: str) -> lambda_.Code:
    """One handler directory as the function's code asset."""
    return lambda_.Code.from_asset(str(HANDLERS / name), exclude=["__pycache__", "*.pyc"])


def secure_queue(scope: Construct, id: str, **props: object) -> sqs.Queue:
    """An SQS queue encrypted at rest that refuses requests without TLS."""
    return sqs.Queue(
        scope, id, encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True, **props
    )


class ShopStack(Stack):
    """The example app: every function is a SecureFunction with its own small handler."""

    def __init__(self, scope: Construct, id: str, **kwargs: object) -> None:
        super().__init__(scope, id, **kwargs)  # type: ignore[arg-type]
        self.table = dynamodb.Table(
            self,
            "Orders",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.events_topic = sns.Topic(self, "OrderEvents", enforce_ssl=True)
        self.fulfilment_dlq = secure_queue(
            self, "FulfilmentDlq", retention_period=Duration.days(14)
        )
        self.fulfilment_queue = secure_queue(
            self,
            "FulfilmentQueue",
            visibility_timeout=Duration.seconds(60),
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=3, queue=self.fulfilment_dlq),
        )
        self._orders_api()
        self._fulfilment()
        self._notifications()
        self._upload_import()
        self._audit_trail()
        self._nightly_report()

    def _failures(self, id: str) -> sqs.Queue:
        """Where Lambda puts an asynchronous event that failed every retry."""
        return secure_queue(self, id, retention_period=Duration.days(14))

    def _orders_api(self) -> None:
        customers = cognito.UserPool(
            self,
            "Customers",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(email=True),
            password_policy=cognito.PasswordPolicy(min_length=12),
            removal_policy=RemovalPolicy.RETAIN,
        )
        api = apigateway.RestApi(
            self,
            "ShopApi",
            cloud_watch_role=False,
            deploy_options=apigateway.StageOptions(stage_name="prod", tracing_enabled=True),
        )
        authorizer = apigateway.CognitoUserPoolsAuthorizer(
            self, "CustomersAuthorizer", cognito_user_pools=[customers]
        )
        self.orders = SecureFunction(
            self,
            "PlaceOrder",
            code=code("orders"),
            handler="orders.handler",
            environment={
                "TABLE_NAME": self.table.table_name,
                "FULFILMENT_QUEUE_URL": self.fulfilment_queue.queue_url,
            },
            triggers=[
                triggers.RestApi(
                    api.root.add_resource("orders"),
                    "POST",
                    authorizer=authorizer,
                    request_validator_options=apigateway.RequestValidatorOptions(
                        validate_request_body=False, validate_request_parameters=True
                    ),
                )
            ],
        )
        self.table.grant(self.orders, "dynamodb:PutItem")
        self.fulfilment_queue.grant_send_messages(self.orders)

    def _fulfilment(self) -> None:
        self.fulfilment = SecureFunction(
            self,
            "Fulfilment",
            code=code("fulfilment"),
            handler="fulfilment.handler",
            environment={"ORDER_EVENTS_TOPIC_ARN": self.events_topic.topic_arn},
            triggers=[triggers.Sqs(self.fulfilment_queue, batch_size=10)],
        )
        self.events_topic.grant_publish(self.fulfilment)

    def _notifications(self) -> None:
        undelivered = secure_queue(self, "NotificationsDlq", retention_period=Duration.days(14))
        self.notifications = SecureFunction(
            self,
            "Notifications",
            code=code("notifications"),
            handler="notifications.handler",
            environment={
                "SENDER": f"orders@{SENDER_DOMAIN}",
                "OPERATIONS_ADDRESS": f"operations@{SENDER_DOMAIN}",
            },
            # SNS keeps what it cannot deliver; the function's own DLQ what failed in it
            dead_letter_queue=self._failures("NotificationsFailures"),
            triggers=[triggers.Sns(self.events_topic, dead_letter_queue=undelivered)],
        )
        self.notifications.add_to_role_policy(
            iam.PolicyStatement(
                actions=["ses:SendEmail"],
                resources=[
                    self.format_arn(service="ses", resource="identity", resource_name=SENDER_DOMAIN)
                ],
            )
        )

    def _upload_import(self) -> None:
        uploads = s3.Bucket(
            self,
            "Uploads",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.upload_import = SecureFunction(
            self,
            "UploadImport",
            code=code("upload_import"),
            handler="upload_import.handler",
            environment={"TABLE_NAME": self.table.table_name},
            dead_letter_queue=self._failures("UploadImportFailures"),
            triggers=[triggers.S3(uploads, prefix="uploads/", suffix=".csv")],
        )
        self.table.grant(self.upload_import, "dynamodb:PutItem")

    def _audit_trail(self) -> None:
        failed = secure_queue(self, "AuditTrailFailures", retention_period=Duration.days(14))
        self.audit_trail = SecureFunction(
            self,
            "AuditTrail",
            code=code("audit_trail"),
            handler="audit_trail.handler",
            triggers=[
                triggers.DynamoDbStream(self.table, on_failure=lambda_sources.SqsDlq(failed))
            ],
        )

    def _nightly_report(self) -> None:
        self.nightly_report = SecureFunction(
            self,
            "NightlyReport",
            code=code("nightly_report"),
            handler="nightly_report.handler",
            timeout=Duration.seconds(60),
            dead_letter_queue=self._failures("NightlyReportFailures"),
            environment={
                "TABLE_NAME": self.table.table_name,
                "ORDER_EVENTS_TOPIC_ARN": self.events_topic.topic_arn,
            },
            triggers=[
                triggers.Schedule(
                    events.Schedule.cron(minute="0", hour="2"),
                    id="Nightly",
                    description="nightly order report, 02:00 UTC",
                )
            ],
        )
        self.table.grant(self.nightly_report, "dynamodb:Scan")
        self.events_topic.grant_publish(self.nightly_report)
