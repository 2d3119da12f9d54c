"""boto3 test modules, run together by ../test_sqs_boto3.py against one server."""
