// The query protocol against the real SQS model: requests as the AWS CLI v2 and
// boto3 (query) serialize them, and responses as botocore's XML parser reads them.

#include "sidecar/protocol/query_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

namespace sluice::protocol {
namespace {

using json = nlohmann::json;

// The SQS model read from its source (SLUICE_SQS_MODEL_PATH, from
// sluice::sqs_model_path): the codec's tests need the model, not the SQS front-end.
std::string sqs_model_json() {
  std::ifstream in(SLUICE_SQS_MODEL_PATH, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class QueryCodecTest : public ::testing::Test {
 protected:
  std::unique_ptr<ServiceModel> model = ServiceModel::parse(sqs_model_json());
  json decode(const std::string& op, const std::string& form) {
    json out;
    FormParams params;
    auto e = parse_form(form, params);
    if (!e) e = decode_query(*model->operation(op)->input, params, out);
    EXPECT_FALSE(e) << (e ? e->message : "");
    return out;
  }
  // The error parsing and decoding `form` for `op`, which the test expects.
  AwsError refusal(const std::string& op, const std::string& form) {
    json out;
    FormParams params;
    auto e = parse_form(form, params);
    if (!e) e = decode_query(*model->operation(op)->input, params, out);
    EXPECT_TRUE(e) << "accepted: " << form;
    return e.value_or(AwsError{});
  }
};

// "MessageAttribute.N.*" for N in [1, n], as boto3 sends them: 3 parameters each.
std::string send_message_with_attributes(int n) {
  std::string form = "Action=SendMessage&QueueUrl=http%3A%2F%2Fh%2F000000000000%2Fq&MessageBody=hi";
  for (int i = 1; i <= n; ++i) {
    const std::string head = "&MessageAttribute." + std::to_string(i);
    form += head + ".Name=attribute" + std::to_string(i) + head + ".Value.DataType=String" + head +
            ".Value.StringValue=value";
  }
  return form;
}

TEST_F(QueryCodecTest, FormDecodingHandlesEscapes) {
  FormParams p;
  ASSERT_FALSE(parse_form("Action=SendMessage&MessageBody=a+b%26c%3D%F0%9F%98%80&Empty=&Flag&&", p));
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
  auto batch =
      decode("DeleteMessageBatch",
             "QueueUrl=u&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=r1"
             "&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=r2");
  ASSERT_EQ(batch["Entries"].size(), 2u);
  EXPECT_EQ(batch["Entries"][1]["ReceiptHandle"], "r2");
  auto create = decode("CreateQueue",
                       "QueueName=q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40"
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
  std::string xml =
      encode_query_response(*model, *model->operation("ListQueueTags"), {{"Tags", {{"env", "dev"}}}}, "r");
  EXPECT_NE(xml.find("<Tag><Key>env</Key><Value>dev</Value></Tag>"), std::string::npos) << xml;
}

TEST_F(QueryCodecTest, MalformedPercentEscapesAreKeptAsTheyAre) {
  EXPECT_EQ(url_decode("a%ZZb%4"), "a%ZZb%4");
  EXPECT_EQ(url_decode("100%"), "100%");
}

TEST_F(QueryCodecTest, RejectsNumbersThatAreNotNumbers) {
  auto e = refusal("ReceiveMessage", "QueueUrl=u&MaxNumberOfMessages=ten");
  EXPECT_EQ(e.code, "InvalidParameterValue");
}

// A probe once sent two Actions and the queue was deleted: the last one won.
TEST_F(QueryCodecTest, RefusesARepeatedParameterInsteadOfKeepingTheLast) {
  FormParams p;
  auto e = parse_form("Action=SendMessage&Action=DeleteQueue&QueueUrl=u&MessageBody=a", p);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "InvalidParameterValue");
  EXPECT_EQ(e->status, 400);
  EXPECT_TRUE(e->sender);
  EXPECT_EQ(e->message, "The parameter Action was given more than once.");
  // Keys are compared once decoded.
  p.clear();
  e = parse_form("Action=SendMessage&Act%69on=DeleteQueue", p);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, "The parameter Action was given more than once.");
  // Even with the same value.
  p.clear();
  EXPECT_TRUE(parse_form("QueueUrl=u&QueueUrl=u", p));
}

TEST_F(QueryCodecTest, RefusesARepeatedListElementOrMapEntryField) {
  EXPECT_EQ(refusal("ReceiveMessage", "QueueUrl=u&AttributeName.1=All&AttributeName.1=SenderId").message,
            "The parameter AttributeName.1 was given more than once.");
  EXPECT_EQ(refusal("SendMessage",
                    "QueueUrl=u&MessageBody=b&MessageAttribute.1.Name=a&MessageAttribute.1.Name=b"
                    "&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=v")
                .message,
            "The parameter MessageAttribute.1.Name was given more than once.");
}

TEST_F(QueryCodecTest, AParameterInBothTheUrlAndTheBodyIsARepeat) {
  // Parsing the query and then the body into one FormParams merges them.
  FormParams params;
  ASSERT_FALSE(parse_form("Action=SendMessage&QueueUrl=u", params));
  auto e = parse_form("Action=DeleteQueue&MessageBody=b", params);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, "The parameter Action was given more than once.");

  // So does merge_form, for forms parsed apart.
  FormParams query, body;
  ASSERT_FALSE(parse_form("Action=SendMessage&QueueUrl=u", query));
  ASSERT_FALSE(parse_form("MessageBody=b&DelaySeconds=1", body));
  ASSERT_FALSE(merge_form(query, std::move(body)));
  EXPECT_EQ(query,
            (FormParams{{"Action", "SendMessage"}, {"QueueUrl", "u"}, {"MessageBody", "b"}, {"DelaySeconds", "1"}}));
  FormParams again;
  ASSERT_FALSE(parse_form("QueueUrl=v", again));
  e = merge_form(query, std::move(again));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "InvalidParameterValue");
  EXPECT_EQ(e->message, "The parameter QueueUrl was given more than once.");
}

// Indices used to go through from_chars into an int, and those it did not like
// were dropped with their values: the request went on without them.
TEST_F(QueryCodecTest, RefusesMalformedOrOutOfRangeIndicesNamingTheParameter) {
  for (const std::string index : {"0", "-1", "+1", "01", "00", "1x", "0x1", "1e3", " 1", "", "10001", "4294967297",
                                  "18446744073709551617", "99999999999999999999999999"}) {
    SCOPED_TRACE("index '" + index + "'");
    std::string wire;  // the index as sent: '+' would be a space
    for (char c : index) wire += c == '+' ? "%2B" : std::string(1, c);
    const std::string list_key = "AttributeName." + index;
    auto e = refusal("ReceiveMessage", "QueueUrl=u&AttributeName." + wire + "=All");
    EXPECT_EQ(e.code, "InvalidParameterValue");
    EXPECT_EQ(e.status, 400);
    EXPECT_NE(e.message.find("parameter " + list_key + " is invalid"), std::string::npos) << e.message;

    const std::string map_key = "MessageAttribute." + index + ".Name";
    e = refusal("SendMessage",
                "QueueUrl=u&MessageBody=b&MessageAttribute." + wire +
                    ".Name=a&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=v");
    EXPECT_NE(e.message.find("parameter " + map_key + " is invalid"), std::string::npos) << e.message;

    const std::string nested_key = "SendMessageBatchRequestEntry.1.MessageAttribute." + index + ".Name";
    e = refusal("SendMessageBatch",
                "QueueUrl=u&SendMessageBatchRequestEntry.1.Id=a"
                "&SendMessageBatchRequestEntry.1.MessageBody=b"
                "&SendMessageBatchRequestEntry.1.MessageAttribute." +
                    wire + ".Name=x");
    EXPECT_NE(e.message.find("parameter " + nested_key + " is invalid"), std::string::npos) << e.message;
  }
}

TEST_F(QueryCodecTest, IndicesOrderNumericallyAndMayHaveGaps) {
  std::string form = "QueueUrl=u";
  for (int i = 12; i >= 1; --i) form += "&AttributeName." + std::to_string(i) + "=a" + std::to_string(i);
  form += "&MessageAttributeName.10000=last&MessageAttributeName.3=first";
  auto in = decode("ReceiveMessage", form);
  json names = json::array();
  for (int i = 1; i <= 12; ++i) names.push_back("a" + std::to_string(i));
  EXPECT_EQ(in["AttributeNames"], names);
  EXPECT_EQ(in["MessageAttributeNames"], json({"first", "last"}));
}

TEST_F(QueryCodecTest, RefusesTooManyParametersBeforeDecodingAny) {
  std::string form = "Action=ListQueues";
  for (size_t i = 1; i < kMaxFormParameters; ++i) form += "&p" + std::to_string(i) + "=";
  FormParams p;
  ASSERT_FALSE(parse_form(form, p));  // exactly at the limit
  EXPECT_EQ(p.size(), kMaxFormParameters);
  p.clear();
  auto e = parse_form(form + "&one=more", p);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "InvalidParameterValue");
  EXPECT_EQ(e->message, "The request has more than 10000 parameters.");
  EXPECT_TRUE(p.empty());
  // The limit is on the query and the body together.
  FormParams query;
  ASSERT_FALSE(parse_form("a=1&b=2", query));
  p.clear();
  ASSERT_FALSE(parse_form(form.substr(0, form.rfind('&')), p));
  EXPECT_TRUE(merge_form(p, std::move(query)));
  // Empty pairs ("&&") are not parameters.
  p.clear();
  EXPECT_FALSE(parse_form(std::string(3 * kMaxFormParameters, '&') + "Action=ListQueues", p));
}

// CPU time rather than wall time: on a busy machine the test is preempted, not
// billed for it, and the server's cost is its CPU.
double cpu_ms_since(std::clock_t start) { return 1000.0 * double(std::clock() - start) / CLOCKS_PER_SEC; }

// A 1.3 MiB SendMessage with 10,000 attributes took 20 s of CPU on the server's
// event loop when each map rescanned every parameter for each of its entries.
TEST_F(QueryCodecTest, TenThousandAttributesAreCheap) {
  const std::string form = send_message_with_attributes(10000);
  FormParams params;
  std::clock_t start = std::clock();
  auto e = parse_form(form, params);
  const double refused_ms = cpu_ms_since(start);
  ASSERT_TRUE(e);  // 30,003 parameters: over the limit
  std::cout << "refusing " << form.size() << " bytes with 10,000 attributes: " << refused_ms << " ms of CPU\n";
  EXPECT_LT(refused_ms, 200);

  // And decoding them all, with the limit lifted, is linear too.
  params.clear();
  start = std::clock();
  e = parse_form(form, params, SIZE_MAX);
  json out;
  if (!e) e = decode_query(*model->operation("SendMessage")->input, params, out);
  const double decoded_ms = cpu_ms_since(start);
  ASSERT_FALSE(e) << e->message;
  EXPECT_EQ(out["MessageAttributes"].size(), 10000u);
  EXPECT_EQ(out["MessageAttributes"]["attribute9999"]["StringValue"], "value");
  std::cout << "parsing and decoding 10,000 attributes: " << decoded_ms << " ms of CPU\n";
  EXPECT_LT(decoded_ms, 200);
}

TEST_F(QueryCodecTest, DecodingTimeGrowsLinearlyWithTheParameters) {
  const Shape& input = *model->operation("SendMessage")->input;
  const std::string small_form = send_message_with_attributes(2000 / 3);
  const std::string large_form = send_message_with_attributes(20000 / 3);
  auto run_ms = [&](const std::string& form) {
    FormParams params;
    json out;
    const std::clock_t start = std::clock();
    EXPECT_FALSE(parse_form(form, params, SIZE_MAX));
    EXPECT_FALSE(decode_query(input, params, out));
    return cpu_ms_since(start);
  };
  // The best of runs taken in turn, so that a busy machine does not decide the ratio.
  double small = 1e9, large = 1e9;
  for (int run = 0; run < 5; ++run) {
    small = std::min(small, run_ms(small_form));
    large = std::min(large, run_ms(large_form));
  }
  std::cout << "2,000 parameters: " << small << " ms of CPU; 20,000 parameters: " << large << " ms; ratio "
            << large / small << "\n";
  EXPECT_LT(large / small, 30);  // ~10; quadratic would be ~100
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
  EXPECT_NE(xml.find("<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<ReceiveMessageResult><Message><"), std::string::npos);
  EXPECT_NE(xml.find("<Body>a&lt;b&#xD;\n</Body>"), std::string::npos);
  EXPECT_NE(xml.find("<Attribute><Name>SenderId</Name><Value>AIDA</Value></Attribute>"), std::string::npos);
  EXPECT_NE(xml.find("<MessageAttribute><Name>city</Name><Value><DataType>String</DataType><StringValue>Paris</"
                     "StringValue></Value></MessageAttribute>"),
            std::string::npos);
  EXPECT_NE(xml.find("<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>"), std::string::npos);
  std::string urls = encode_query_response(*model, *model->operation("ListQueues"), {{"QueueUrls", {"u1", "u2"}}}, "r");
  EXPECT_NE(urls.find("<ListQueuesResult><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl></ListQueuesResult>"),
            std::string::npos);
}

TEST_F(QueryCodecTest, AnEmptyResultIsSelfClosed) {
  for (const json& out : {json::object(), json{{"Messages", json::array()}}}) {
    std::string xml = encode_query_response(*model, *model->operation("ReceiveMessage"), out, "r");
    EXPECT_NE(xml.find("<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
                       "<ReceiveMessageResult/><ResponseMetadata>"),
              std::string::npos)
        << xml;
  }
}

TEST_F(QueryCodecTest, OperationsWithoutOutputHaveOnlyMetadata) {
  std::string xml = encode_query_response(*model, *model->operation("DeleteMessage"), json::object(), "r");
  EXPECT_NE(xml.find("<DeleteMessageResponse xmlns="), std::string::npos);
  EXPECT_EQ(xml.find("DeleteMessageResult"), std::string::npos);
}

TEST_F(QueryCodecTest, EncodesErrors) {
  AwsError e{"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400, true,
             "The specified queue does not exist."};
  std::string xml = encode_query_error(*model, e, "rid");
  EXPECT_NE(xml.find("<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"),
            std::string::npos);
  EXPECT_NE(xml.find("<RequestId>rid</RequestId>"), std::string::npos);
}

}  // namespace
}  // namespace sluice::protocol
