// Names for status codes and the enums of types.h, as stored in the database.
#include "core/status.h"

#include "core/types.h"

namespace newsclaim {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kDataLoss:
      return "data_loss";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

const char* SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kFile:
      return "file";
    case SourceKind::kHttp:
      return "http";
    case SourceKind::kFeed:
      return "feed";
    case SourceKind::kWarc:
      return "warc";
  }
  return "file";
}

const char* DocFormatName(DocFormat format) {
  switch (format) {
    case DocFormat::kUnknown:
      return "unknown";
    case DocFormat::kHtml:
      return "html";
    case DocFormat::kMarkdown:
      return "markdown";
    case DocFormat::kText:
      return "text";
  }
  return "unknown";
}

const char* QualifierName(Qualifier q) {
  switch (q) {
    case Qualifier::kNone:
      return "";
    case Qualifier::kApprox:
      return "approx";
    case Qualifier::kOver:
      return "over";
    case Qualifier::kUnder:
      return "under";
    case Qualifier::kRange:
      return "range";
    case Qualifier::kVague:
      return "vague";
  }
  return "";
}

const char* EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kPerson:
      return "person";
    case EntityKind::kOrganisation:
      return "organisation";
    case EntityKind::kOutlet:
      return "outlet";
    case EntityKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace newsclaim
