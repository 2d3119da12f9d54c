#pragma once
// A service module as the AWS front end sees it: its wire model, its actions and
// its one map from engine errors to AWS errors. The endpoint (endpoint.h) routes
// each request to a Service by the model's signing name, target prefix or API
// version, decodes it in the model's protocol, and hands the Call to run(); the
// service never sees the protocol. A service is added as a folder beside
// sidecar/sqs/ and one row in sidecar/modules.cc (docs/adding-an-engine.md).

#include <optional>
#include <span>
#include <string_view>

#include "runtime/common/error.h"
#include "sidecar/aws/call.h"
#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"

namespace sluice::aws {

class Service {
 public:
  virtual ~Service() = default;

  virtual const protocol::ServiceModel& model() const = 0;
  // Whether the operation has a handler (an operation of the model without one is
  // answered as unknown).
  virtual bool implements(std::string_view operation) const = 0;
  // Runs the call's handler. It answers through the call, now or later, from any thread.
  virtual void run(const CallPtr& call) = 0;
  // The one place this service's engine errors become AWS errors.
  virtual protocol::AwsError to_aws_error(const Error& error) const = 0;
  // Query requests only: input the service takes from the request path (SQS: a
  // request posted to a queue URL names that queue). Called before required
  // members are checked.
  virtual void complete_from_path(std::string_view path, const RequestContext& context, const protocol::Operation& op,
                                  nlohmann::json& input) const {
    (void)path, (void)context, (void)op, (void)input;
  }
  // A plain GET without an Action, by path (SNS: the signing certificate at the
  // messages' SigningCertURL). nullopt: not this service's; the endpoint goes on.
  virtual std::optional<server::HttpResponse> serve_path(const server::HttpRequest& request) const {
    (void)request;
    return std::nullopt;
  }
};

// A service whose handlers are one table: `{"SendMessage", send_message}` rows,
// each `void handler(Env&, const CallPtr&)` in a file of its own.
template <class Env>
struct Action {
  std::string_view name;
  void (*handler)(Env& env, const CallPtr& call);
};

template <class Env>
class TableService : public Service {
 public:
  TableService(const protocol::ServiceModel& model, std::span<const Action<Env>> actions, Env env)
      : model_(model), actions_(actions), env_(std::move(env)) {}

  const protocol::ServiceModel& model() const override { return model_; }
  bool implements(std::string_view operation) const override { return find(operation) != nullptr; }
  void run(const CallPtr& call) override { find(call->operation().name)->handler(env_, call); }
  std::span<const Action<Env>> actions() const { return actions_; }

 protected:
  Env& env() { return env_; }

 private:
  const Action<Env>* find(std::string_view name) const {
    for (const auto& a : actions_)
      if (a.name == name) return &a;
    return nullptr;
  }

  const protocol::ServiceModel& model_;
  std::span<const Action<Env>> actions_;
  Env env_;
};

}  // namespace sluice::aws
