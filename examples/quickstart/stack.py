from aws_cdk import App, Aspects, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs

from eventguard.aspects import EntryPointAudit
from eventguard.constructs import SecureFunction, triggers


class OrdersStack(Stack):
    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        dlq = sqs.Queue(self, "OrdersDlq", enforce_ssl=True)
        queue = sqs.Queue(
            self,
            "Orders",
            enforce_ssl=True,
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=3, queue=dlq),
        )
        SecureFunction(
            self,
            "Work",
            code=lambda_.Code.from_asset("examples/quickstart/src"),
            handler="work.handler",
            triggers=[triggers.Sqs(queue)],
        )


app = App()
OrdersStack(app, "Quickstart")
Aspects.of(app).add(EntryPointAudit())  # `cdk synth` fails if an entry point is unguarded
