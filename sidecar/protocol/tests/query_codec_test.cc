// The query protocol against the real SQS model: requests as the AWS CLI v2 and
// boto3 (query) serialize them, and responses as botocore's XML parser reads them.

#include "sidecar/protocol/query_codec.h"

#include <gtest/gtest.h>

#include "sidecar/sqs/sqs_api.h"

namespace sluice::protocol {
namespace {

using json = nlohmann::json;

class QueryCodecTest : public ::testing::Test {
 protected:
  std::unique_ptr<ServiceModel> model = ServiceModel::parse(sqs::kSqsModelJson);
  json decode(const std::string& op, const std::string& form) {
    json out;
    auto e = decode_query(*model->operation(op)->input, parse_form(form), out);
    EXPECT_FALSE(e) << (e ? e->message : "");
    return out;
  }
};

TEST_F(QueryCodecTest, FormDecodingHandlesEscapes) {
  auto p = parse_form("Action=SendMessage&MessageBody=a+b%26c%3D%F0%9F%98%80&Empty=&Flag");
  EXPECT_EQ(p["MessageBody"], "a b&c=\xF0\x9F\x98\x80");
  EXPECT_EQ(p["Empty"], "");
  EXPECT_EQ(p["Flag"], "");
}

TEST_F(QueryCodecTest, DecodesFlattenedMapsOfStructures) {
  auto in = decode("SendMessage",
                   "QueueUrl=http%3A%2F%2Fh%2F000000000000%2Fq&MessageBody=hi&DelaySeconds=5"
                   "&MessageAttribute.1.Name=city&MessageAttribute.1.Value.DataType=String"
                   "&MessageAttribute.1.Value.StringValue=Paris"
                   "&MessageAttribute.2.Name=raw&MessageAttribute.2.Value.DataType=Binary"
                   "&MessageAttribute.2.Value.BinaryValue=AAEC"
                   "&MessageSystemAttribute.1.Name=AWSTraceHeader&MessageSystemAttribute.1.Value.DataType=String"
                   "&MessageSystemAttribute.1.Value.StringValue=Root%3D1");
  EXPECT_EQ(in["QueueUrl"], "http://h/000000000000/q");
  EXPECT_EQ(in["DelaySeconds"], 5);
  EXPECT_EQ(in["MessageAttributes"]["city"]["StringValue"], "Paris");
  EXPECT_EQ(in["MessageAttributes"]["raw"]["BinaryValue"], "AAEC");
  EXPECT_EQ(in["MessageSystemAttributes"]["AWSTraceHeader"]["StringValue"], "Root=1");
}

TEST_F(QueryCodecTest, DecodesFlattenedListsWithTheirMemberNames) {
  auto in = decode("ReceiveMessage",
                   "QueueUrl=u&AttributeName.1=All&AttributeName.2=SenderId&MessageAttributeName.1=city"
                   "&MaxNumberOfMessages=10");
  EXPECT_EQ(in["AttributeNames"], json({"All", "SenderId"}));
  EXPECT_EQ(in["MessageAttributeNames"], json({"city"}));
  EXPECT_EQ(in["MaxNumberOfMessages"], 10);
}

TEST_F(QueryCodecTest, DecodesBatchEntriesAndAttributeMaps) {
  auto batch = decode("DeleteMessageBatch",
                      "QueueUrl=u&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=r1"
                      "&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=r2");
  ASSERT_EQ(batch["Entries"].size(), 2u);
  EXPECT_EQ(batch["Entries"][1]["ReceiptHandle"], "r2");
  auto create = decode("CreateQueue", "QueueName=q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40"
                                      "&Tag.1.Key=team&Tag.1.Value=shop");
  EXPECT_EQ(create["Attributes"]["VisibilityTimeout"], "40");
  EXPECT_EQ(create["tags"]["team"], "shop");
  // TagMap names itself "Tag" at the shape level; TagQueue's member does not.
  auto tag = decode("TagQueue", "QueueUrl=u&Tag.1.Key=env&Tag.1.Value=dev&Tag.2.Key=team&Tag.2.Value=ops");
  EXPECT_EQ(tag["Tags"]["env"], "dev");
  EXPECT_EQ(tag["Tags"]["team"], "ops");
  auto untag = decode("UntagQueue", "QueueUrl=u&TagKey.1=env");
  EXPECT_EQ(untag["TagKeys"], json({"env"}));
}

TEST_F(QueryCodecTest, ShapeLevelNamesApplyToResponsesToo) {
  std::string xml = encode_query_response(*model, *model->operation("ListQueueTags"), {{"Tags", {{"env", "dev"}}}}, "r");
  EXPECT_NE(xml.find("<Tag><Key>env</Key><Value>dev</Value></Tag>"), std::string::npos) << xml;
}

TEST_F(QueryCodecTest, RejectsNumbersThatAreNotNumbers) {
  json out;
  auto e = decode_query(*model->operation("ReceiveMessage")->input, parse_form("QueueUrl=u&MaxNumberOfMessages=ten"), out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "InvalidParameterValue");
}

TEST_F(QueryCodecTest, EncodesResponsesTheWayBotocoreParsesThem) {
  json out = {{"Messages",
               {{{"MessageId", "m1"},
                 {"ReceiptHandle", "r1"},
                 {"MD5OfBody", "x"},
                 {"Body", "a<b\r\n"},
                 {"Attributes", {{"SenderId", "AIDA"}}},
                 {"MessageAttributes", {{"city", {{"DataType", "String"}, {"StringValue", "Paris"}}}}}}}}};
  std::string xml = encode_query_response(*model, *model->operation("ReceiveMessage"), out, "rid");
  EXPECT_NE(xml.find("<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"), std::string::npos);
  EXPECT_NE(xml.find("<ReceiveMessageResult><Message><"), std::string::npos);
  EXPECT_NE(xml.find("<Body>a&lt;b&#xD;\n</Body>"), std::string::npos);
  EXPECT_NE(xml.find("<Attribute><Name>SenderId</Name><Value>AIDA</Value></Attribute>"), std::string::npos);
  EXPECT_NE(xml.find("<MessageAttribute><Name>city</Name><Value><DataType>String</DataType><StringValue>Paris</StringValue></Value></MessageAttribute>"),
            std::string::npos);
  EXPECT_NE(xml.find("<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>"), std::string::npos);
  std::string urls = encode_query_response(*model, *model->operation("ListQueues"), {{"QueueUrls", {"u1", "u2"}}}, "r");
  EXPECT_NE(urls.find("<ListQueuesResult><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl></ListQueuesResult>"),
            std::string::npos);
}

TEST_F(QueryCodecTest, OperationsWithoutOutputHaveOnlyMetadata) {
  std::string xml = encode_query_response(*model, *model->operation("DeleteMessage"), json::object(), "r");
  EXPECT_NE(xml.find("<DeleteMessageResponse xmlns="), std::string::npos);
  EXPECT_EQ(xml.find("DeleteMessageResult"), std::string::npos);
}

TEST_F(QueryCodecTest, EncodesErrors) {
  AwsError e{"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400, true, "The specified queue does not exist."};
  std::string xml = encode_query_error(*model, e, "rid");
  EXPECT_NE(xml.find("<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"), std::string::npos);
  EXPECT_NE(xml.find("<RequestId>rid</RequestId>"), std::string::npos);
}

}  // namespace
}  // namespace sluice::protocol
