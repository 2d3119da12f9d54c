#include "runtime/common/error.h"

#include <ostream>

namespace sluice {

std::string_view to_string(errc code) {
  switch (code) {
    case errc::not_found:
      return "not_found";
    case errc::already_exists:
      return "already_exists";
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::missing_argument:
      return "missing_argument";
    case errc::too_large:
      return "too_large";
    case errc::limit_exceeded:
      return "limit_exceeded";
    case errc::state_conflict:
      return "state_conflict";
    case errc::throttled:
      return "throttled";
    case errc::expired:
      return "expired";
    case errc::unsupported:
      return "unsupported";
    case errc::storage_failure:
      return "storage_failure";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, errc code) { return out << to_string(code); }

}  // namespace sluice
