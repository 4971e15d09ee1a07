// Object helpers: streaming CSV and JSON codecs wired to ObjectStore get/put.
#include "codecs/object_io.h"

#include "codecs/compression.h"
#include "codecs/csv_writer.h"
#include "codecs/json_codec.h"

namespace ch {
namespace {

// Remembers the first error a sink returned, so it is reported as is even if
// the store wraps or replaces it.
class RecordingSink : public ByteSink {
 public:
  explicit RecordingSink(ByteSink& inner) : inner_(inner) {}
  Status Write(std::string_view bytes) override {
    Status s = inner_.Write(bytes);
    if (!s.ok() && error_.ok()) error_ = s;
    return s;
  }
  const Status& error() const { return error_; }

 private:
  ByteSink& inner_;
  Status error_;
};

class ParserSink : public ByteSink {
 public:
  explicit ParserSink(CsvStreamParser& parser) : parser_(parser) {}
  Status Write(std::string_view bytes) override { return parser_.Feed(bytes); }

 private:
  CsvStreamParser& parser_;
};

// Streams the object's plain bytes (decompressed by key suffix) into `target`.
Status StreamObject(ObjectStore& store, const ObjectRef& ref, ByteSink& target) {
  DecompressingSink plain(target, CompressionFromPath(ref.key), "read " + ref.key);
  RecordingSink recording(plain);
  Result<ObjectInfo> info = store.GetStream(ref, recording);
  if (!recording.error().ok()) return recording.error();
  if (!info.ok()) return info.status();
  return plain.Close();
}

std::string_view ContentType(Compression compression, std::string_view plain) {
  switch (compression) {
    case Compression::kGzip:
      return "application/gzip";
    case Compression::kZstd:
      return "application/zstd";
    case Compression::kNone:
      break;
  }
  return plain;
}

CsvReadOptions WithSource(const CsvReadOptions& options, const ObjectRef& ref) {
  CsvReadOptions out = options;
  if (out.source_name.empty()) out.source_name = ref.key;
  return out;
}

}  // namespace

Result<ObjectInfo> SaveCsv(ObjectStore& store, const ObjectRef& ref, const Table& table,
                           const CsvWriteOptions& options, PutOptions put_options) {
  Compression compression = CompressionFromPath(ref.key);
  if (put_options.content_type.empty()) {
    put_options.content_type = std::string(ContentType(compression, "text/csv"));
  }
  CsvTableSource source(table, options);
  if (compression == Compression::kNone) return store.PutStream(ref, source, put_options);
  CompressingSource compressed(source, compression);
  return store.PutStream(ref, compressed, put_options);
}

Result<Table> LoadCsv(ObjectStore& store, const ObjectRef& ref, const CsvReadOptions& options,
                      CsvReport* report) {
  uint64_t expected = 0;
  if (CompressionFromPath(ref.key) == Compression::kNone) {
    ASSIGN_OR_RETURN(ObjectInfo info, store.Head(ref));
    expected = info.size;
  }
  CsvTableBuilder builder(WithSource(options, ref), expected);
  RETURN_IF_ERROR(StreamObject(store, ref, builder));
  return builder.Finish(report);
}

Status ForEachCsvChunk(ObjectStore& store, const ObjectRef& ref, const CsvReadOptions& options,
                       const CsvStreamParser::ChunkHandler& on_chunk, CsvReport* report) {
  CsvStreamParser parser(WithSource(options, ref), on_chunk);
  ParserSink sink(parser);
  RETURN_IF_ERROR(StreamObject(store, ref, sink));
  RETURN_IF_ERROR(parser.Finish());
  if (report != nullptr) *report = parser.report();
  return Status::Ok();
}

Result<ObjectInfo> SaveJson(ObjectStore& store, const ObjectRef& ref, const Json& doc, int indent) {
  Result<std::string> text = FormatJson(doc, indent);
  if (!text.ok()) return text.status().WithContext("save json " + ref.key);
  Compression compression = CompressionFromPath(ref.key);
  PutOptions put;
  put.content_type = std::string(ContentType(compression, "application/json"));
  if (compression == Compression::kNone) return store.Put(ref, *text, put);
  ASSIGN_OR_RETURN(std::string packed, CompressBytes(*text, compression));
  return store.Put(ref, packed, put);
}

Result<Json> LoadJson(ObjectStore& store, const ObjectRef& ref) {
  ASSIGN_OR_RETURN(std::string bytes, store.Get(ref));
  Compression compression = CompressionFromPath(ref.key);
  if (compression != Compression::kNone) {
    Result<std::string> plain = DecompressBytes(bytes, compression);
    if (!plain.ok()) return plain.status().WithContext("read " + ref.key);
    bytes = std::move(plain).value();
  }
  return ParseJson(bytes, ref.key);
}

Result<ObjectInfo> SaveBlob(ObjectStore& store, const ObjectRef& ref, std::string_view bytes,
                            const PutOptions& options) {
  return store.Put(ref, bytes, options);
}

Result<std::string> LoadBlob(ObjectStore& store, const ObjectRef& ref) { return store.Get(ref); }

Result<ObjectInfo> UploadFile(ObjectStore& store, const std::filesystem::path& path,
                              const ObjectRef& ref, const PutOptions& options) {
  return store.PutFile(ref, path, options);
}

Result<ObjectInfo> DownloadFile(ObjectStore& store, const ObjectRef& ref,
                                const std::filesystem::path& path) {
  return store.GetFile(ref, path);
}

}  // namespace ch
