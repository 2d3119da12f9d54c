#include "sidecar/sqs/queue_lookup.h"

#include "runtime/common/arn.h"
#include "sidecar/aws/params.h"

namespace sluice::sqs {

std::optional<queue::QueueKey> parse_queue_url(std::string_view url, const aws::RequestContext& context) {
  std::string_view path = url;
  if (auto scheme = path.find("://"); scheme != std::string_view::npos) {
    path.remove_prefix(scheme + 3);
    auto slash = path.find('/');
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return std::nullopt;
  if (path.front() != '/') {  // a bare queue name: the caller's own queue
    if (path.find('/') != std::string_view::npos) return std::nullopt;
    return queue::QueueKey{context.region, context.account, std::string(path)};
  }
  auto last = path.rfind('/');
  auto first = last == 0 ? std::string_view::npos : path.rfind('/', last - 1);
  if (first != 0 || last + 1 >= path.size()) return std::nullopt;
  std::string_view account = path.substr(1, last - 1);
  if (!is_account_id(account)) return std::nullopt;
  return queue::QueueKey{context.region, std::string(account), std::string(path.substr(last + 1))};
}

queue::QueuePtr find_queue(Sqs& sqs, const aws::CallPtr& call) {
  const std::string url = aws::string_or_empty(call->input(), "QueueUrl");
  auto key = parse_queue_url(url, call->context());
  if (!key) {
    call->fail(Error{errc::invalid_argument, "QueueUrl", "The address " + url + " is not valid for this endpoint.",
                     std::nullopt});
    return nullptr;
  }
  auto q = sqs.queues.find(*key);
  if (!q) call->fail(queue::no_such_queue().error);
  return q;
}

std::string queue_url(const aws::RequestContext& context, const queue::Queue& q) {
  return "http://" + context.host + "/" + q.identity().account + "/" + q.name();
}

}  // namespace sluice::sqs
