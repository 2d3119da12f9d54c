#pragma once
// The Kinesis Data Streams front end: the 2013-12-02 API on the generic
// endpoint (sidecar/aws/), in AWS JSON 1.1 and in CBOR (the endpoint's codec
// layer turns both into the same documents), with the action table
// (actions.cc), one file per action, and the error map (error_map.cc).
//
//   POST /  X-Amz-Target: Kinesis_20131202.<Operation>
//           Content-Type: application/x-amz-json-1.1 | application/x-amz-cbor-1.1

#include "runtime/stream/stream_service.h"
#include "sidecar/aws/service.h"

namespace sluice::kinesis {

// What Kinesis handlers work with.
struct Kinesis {
  stream::StreamService& streams;
  Clock& clock;  // for page tokens
};

class KinesisService final : public aws::TableService<Kinesis> {
 public:
  KinesisService(stream::StreamService& streams, Clock& clock);
  protocol::AwsError to_aws_error(const Error& error) const override;
};

// The embedded Kinesis wire model (generated from kinesis.model.json at build time).
const protocol::ServiceModel& kinesis_model();

// Answers a call with an empty success, or the failure.
inline stream::StatusCallback answer(const aws::CallPtr& call) {
  return [call](Status<Error> s) {
    if (!s.ok()) return call->fail(s.error());
    call->succeed();
  };
}

}  // namespace sluice::kinesis
