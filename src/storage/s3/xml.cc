// S3 XML over pugixml (the only file that includes it). pugixml throws nothing by default.
#include "storage/s3/xml.h"

#include <pugixml.hpp>

#include "storage/s3/sigv4.h"

namespace ch::s3 {
namespace {

// Parses `body`; a malformed document is Corruption (the server's fault, not the caller's).
Result<pugi::xml_document*> Load(pugi::xml_document& doc, std::string_view body,
                                 std::string_view what) {
  pugi::xml_parse_result parsed = doc.load_buffer(body.data(), body.size());
  if (!parsed) {
    return Status::Corruption(std::string(what) + ": malformed XML from server at offset " +
                              std::to_string(parsed.offset) + ": " + parsed.description());
  }
  return &doc;
}

std::string Text(const pugi::xml_node& node, const char* child) {
  return node.child(child).text().as_string();
}

std::string Unquote(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

TimePoint Time(const pugi::xml_node& node, const char* child) {
  Result<TimePoint> t = ParseIso8601(Text(node, child));
  return t.ok() ? *t : TimePoint{};
}

ObjectInfo ObjectFromXml(const pugi::xml_node& node) {
  ObjectInfo info;
  info.key = Text(node, "Key");
  info.size = node.child("Size").text().as_ullong();
  info.etag = Unquote(Text(node, "ETag"));
  info.last_modified = Time(node, "LastModified");
  info.version_id = Text(node, "VersionId");
  if (info.version_id == "null") info.version_id.clear();
  return info;
}

Status ErrorUnderOk(const pugi::xml_document& doc, std::string_view what) {
  pugi::xml_node err = doc.child("Error");
  if (!err) return Status::Ok();
  std::string code = Text(err, "Code");
  std::string msg = std::string(what) + ": server answered 200 with error " + code + ": " +
                    Text(err, "Message") + " (request id " + Text(err, "RequestId") + ")";
  if (code == "InternalError" || code == "SlowDown" || code == "ServiceUnavailable") {
    return Status::Unavailable(msg);
  }
  return Status::IOError(msg);
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
        out += "&#10;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::optional<S3Error> ParseError(std::string_view body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return std::nullopt;
  pugi::xml_node err = doc.child("Error");
  if (!err) return std::nullopt;
  return S3Error{Text(err, "Code"), Text(err, "Message"), Text(err, "RequestId"),
                 Text(err, "Resource")};
}

Result<ListPage> ParseListObjectsV2(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "list objects").status());
  pugi::xml_node root = doc.child("ListBucketResult");
  if (!root) return Status::Corruption("list objects: answer has no ListBucketResult");
  ListPage page;
  for (pugi::xml_node c : root.children("Contents")) page.objects.push_back(ObjectFromXml(c));
  for (pugi::xml_node p : root.children("CommonPrefixes")) {
    page.common_prefixes.push_back(Text(p, "Prefix"));
  }
  if (std::string(root.child("IsTruncated").text().as_string()) == "true") {
    page.next_token = Text(root, "NextContinuationToken");
    if (page.next_token.empty()) {
      return Status::Corruption("list objects: truncated answer without NextContinuationToken");
    }
  }
  return page;
}

std::string EncodeVersionToken(std::string_view key_marker, std::string_view version_marker) {
  return "v1:" + UriEncode(key_marker, true) + ":" + UriEncode(version_marker, true);
}

Result<std::pair<std::string, std::string>> DecodeVersionToken(std::string_view token) {
  size_t sep = token.find(':', 3);
  if (!token.starts_with("v1:") || sep == std::string_view::npos) {
    return Status::InvalidArgument("list versions: '" + std::string(token) +
                                   "' is not a version listing token");
  }
  ASSIGN_OR_RETURN(std::string key, UriDecode(token.substr(3, sep - 3)));
  ASSIGN_OR_RETURN(std::string version, UriDecode(token.substr(sep + 1)));
  return std::make_pair(key, version);
}

Result<VersionPage> ParseListObjectVersions(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "list versions").status());
  pugi::xml_node root = doc.child("ListVersionsResult");
  if (!root) return Status::Corruption("list versions: answer has no ListVersionsResult");
  VersionPage page;
  // Versions and DeleteMarkers interleave in document order, which is the listing order.
  for (pugi::xml_node n : root.children()) {
    std::string name = n.name();
    if (name != "Version" && name != "DeleteMarker") continue;
    ObjectVersion v;
    v.info = ObjectFromXml(n);
    v.is_latest = std::string(n.child("IsLatest").text().as_string()) == "true";
    v.is_delete_marker = name == "DeleteMarker";
    page.versions.push_back(std::move(v));
  }
  if (std::string(root.child("IsTruncated").text().as_string()) == "true") {
    page.next_token =
        EncodeVersionToken(Text(root, "NextKeyMarker"), Text(root, "NextVersionIdMarker"));
  }
  return page;
}

std::string BuildDeleteObjects(const std::vector<std::string>& keys) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>true</Quiet>";
  for (const std::string& key : keys) out += "<Object><Key>" + Escape(key) + "</Key></Object>";
  return out + "</Delete>";
}

Result<std::vector<DeleteError>> ParseDeleteResult(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "delete objects").status());
  RETURN_IF_ERROR(ErrorUnderOk(doc, "delete objects"));
  pugi::xml_node root = doc.child("DeleteResult");
  if (!root) return Status::Corruption("delete objects: answer has no DeleteResult");
  std::vector<DeleteError> errors;
  for (pugi::xml_node e : root.children("Error")) {
    errors.push_back(DeleteError{Text(e, "Key"), Text(e, "Code"), Text(e, "Message")});
  }
  return errors;
}

Result<std::string> ParseInitiateMultipart(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "create multipart upload").status());
  RETURN_IF_ERROR(ErrorUnderOk(doc, "create multipart upload"));
  std::string id = Text(doc.child("InitiateMultipartUploadResult"), "UploadId");
  if (id.empty()) return Status::Corruption("create multipart upload: answer has no UploadId");
  return id;
}

std::string BuildCompleteMultipart(const std::vector<std::string>& etags) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    out += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>\"" +
           Escape(etags[i]) + "\"</ETag></Part>";
  }
  return out + "</CompleteMultipartUpload>";
}

Result<std::string> ParseCompleteMultipart(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "complete multipart upload").status());
  RETURN_IF_ERROR(ErrorUnderOk(doc, "complete multipart upload"));
  pugi::xml_node root = doc.child("CompleteMultipartUploadResult");
  if (!root) return Status::Corruption("complete multipart upload: unexpected answer");
  return Unquote(Text(root, "ETag"));
}

Result<std::vector<std::string>> ParseListUploads(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "list multipart uploads").status());
  pugi::xml_node root = doc.child("ListMultipartUploadsResult");
  if (!root) return Status::Corruption("list multipart uploads: unexpected answer");
  std::vector<std::string> keys;
  for (pugi::xml_node u : root.children("Upload")) keys.push_back(Text(u, "Key"));
  return keys;
}

Result<std::vector<OpenUpload>> ParseOpenUploads(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "list multipart uploads").status());
  pugi::xml_node root = doc.child("ListMultipartUploadsResult");
  if (!root) return Status::Corruption("list multipart uploads: unexpected answer");
  std::vector<OpenUpload> uploads;
  for (pugi::xml_node u : root.children("Upload")) {
    uploads.push_back(OpenUpload{Text(u, "Key"), Text(u, "UploadId"), Time(u, "Initiated")});
  }
  return uploads;
}

Result<ObjectInfo> ParseCopyResult(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "copy").status());
  RETURN_IF_ERROR(ErrorUnderOk(doc, "copy"));
  pugi::xml_node root = doc.child("CopyObjectResult");
  if (!root) return Status::Corruption("copy: answer has no CopyObjectResult");
  ObjectInfo info;
  info.etag = Unquote(Text(root, "ETag"));
  info.last_modified = Time(root, "LastModified");
  return info;
}

Result<bool> ParseVersioning(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "get versioning").status());
  pugi::xml_node root = doc.child("VersioningConfiguration");
  if (!root) return Status::Corruption("get versioning: answer has no VersioningConfiguration");
  return Text(root, "Status") == "Enabled";
}

std::string BuildVersioning(bool enabled) {
  return std::string(
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><VersioningConfiguration "
             "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>") +
         (enabled ? "Enabled" : "Suspended") + "</Status></VersioningConfiguration>";
}

std::string BuildLifecycle(const std::vector<LifecycleRule>& rules) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><LifecycleConfiguration>";
  for (const LifecycleRule& r : rules) {
    out += "<Rule><ID>" + Escape(r.id) + "</ID><Filter><Prefix>" + Escape(r.prefix) +
           "</Prefix></Filter><Status>" + (r.enabled ? "Enabled" : "Disabled") + "</Status>";
    if (r.transition_days > 0) {
      out += "<Transition><Days>" + std::to_string(r.transition_days) + "</Days><StorageClass>" +
             Escape(r.transition_storage_class) + "</StorageClass></Transition>";
    }
    if (r.expiration_days > 0) {
      out += "<Expiration><Days>" + std::to_string(r.expiration_days) + "</Days></Expiration>";
    }
    if (r.noncurrent_expiration_days > 0) {
      out += "<NoncurrentVersionExpiration><NoncurrentDays>" +
             std::to_string(r.noncurrent_expiration_days) +
             "</NoncurrentDays></NoncurrentVersionExpiration>";
    }
    if (r.abort_incomplete_multipart_days > 0) {
      out += "<AbortIncompleteMultipartUpload><DaysAfterInitiation>" +
             std::to_string(r.abort_incomplete_multipart_days) +
             "</DaysAfterInitiation></AbortIncompleteMultipartUpload>";
    }
    out += "</Rule>";
  }
  return out + "</LifecycleConfiguration>";
}

Result<std::vector<LifecycleRule>> ParseLifecycle(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "get lifecycle").status());
  pugi::xml_node root = doc.child("LifecycleConfiguration");
  if (!root) return Status::Corruption("get lifecycle: answer has no LifecycleConfiguration");
  std::vector<LifecycleRule> rules;
  for (pugi::xml_node n : root.children("Rule")) {
    LifecycleRule r;
    r.id = Text(n, "ID");
    r.prefix = n.child("Filter") ? Text(n.child("Filter"), "Prefix") : Text(n, "Prefix");
    r.enabled = Text(n, "Status") == "Enabled";
    r.expiration_days = n.child("Expiration").child("Days").text().as_int();
    r.transition_days = n.child("Transition").child("Days").text().as_int();
    r.transition_storage_class = Text(n.child("Transition"), "StorageClass");
    r.noncurrent_expiration_days =
        n.child("NoncurrentVersionExpiration").child("NoncurrentDays").text().as_int();
    r.abort_incomplete_multipart_days =
        n.child("AbortIncompleteMultipartUpload").child("DaysAfterInitiation").text().as_int();
    rules.push_back(std::move(r));
  }
  return rules;
}

std::string BuildEncryption(const BucketEncryption& encryption) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ServerSideEncryptionConfiguration "
      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule>"
      "<ApplyServerSideEncryptionByDefault><SSEAlgorithm>" +
      Escape(encryption.algorithm) + "</SSEAlgorithm>";
  if (!encryption.kms_key_id.empty()) {
    out += "<KMSMasterKeyID>" + Escape(encryption.kms_key_id) + "</KMSMasterKeyID>";
  }
  return out + "</ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>";
}

Result<BucketEncryption> ParseEncryption(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "get bucket encryption").status());
  pugi::xml_node root = doc.child("ServerSideEncryptionConfiguration");
  if (!root) {
    return Status::Corruption(
        "get bucket encryption: answer has no ServerSideEncryptionConfiguration");
  }
  pugi::xml_node by_default = root.child("Rule").child("ApplyServerSideEncryptionByDefault");
  return BucketEncryption{Text(by_default, "SSEAlgorithm"), Text(by_default, "KMSMasterKeyID")};
}

std::string BuildPublicAccessBlock(const PublicAccessBlock& block) {
  auto flag = [](const char* name, bool on) {
    return std::string("<") + name + ">" + (on ? "true" : "false") + "</" + name + ">";
  };
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><PublicAccessBlockConfiguration "
         "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
         flag("BlockPublicAcls", block.block_public_acls) +
         flag("IgnorePublicAcls", block.ignore_public_acls) +
         flag("BlockPublicPolicy", block.block_public_policy) +
         flag("RestrictPublicBuckets", block.restrict_public_buckets) +
         "</PublicAccessBlockConfiguration>";
}

Result<PublicAccessBlock> ParsePublicAccessBlock(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(Load(doc, body, "get public access block").status());
  pugi::xml_node root = doc.child("PublicAccessBlockConfiguration");
  // Ceph RGW 16 names the root element BlockPublicAccessBlockConfiguration.
  if (!root) root = doc.child("BlockPublicAccessBlockConfiguration");
  if (!root) {
    return Status::Corruption(
        "get public access block: answer has no PublicAccessBlockConfiguration");
  }
  auto flag = [&](const char* name) { return Text(root, name) == "true"; };
  return PublicAccessBlock{flag("BlockPublicAcls"), flag("IgnorePublicAcls"),
                           flag("BlockPublicPolicy"), flag("RestrictPublicBuckets")};
}

}  // namespace ch::s3
