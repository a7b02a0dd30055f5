#pragma once

#include <string>

#include "kernel/http/HttpError.h"

namespace ruche::http {

/// RFC 9457 problem JSON for an error: type, title, status, detail, instance,
/// and for invalid input an "errors" list of {pointer, detail}.
std::string problemJson(const HttpError& error, const std::string& instance);

}  // namespace ruche::http
