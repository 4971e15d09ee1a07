// The platform's object helpers: tables, JSON documents, blobs and files in an ObjectStore.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "codecs/csv_options.h"
#include "codecs/csv_reader.h"
#include "codecs/json.h"
#include "core/status.h"
#include "storage/object_store.h"
#include "table/table.h"

namespace ch {

// Compression follows the key's suffix everywhere below: ".gz" is gzip,
// ".zst"/".zstd" is zstd, anything else is stored as is. A corrupt or
// truncated compressed object is Corruption naming the key. Missing objects
// are NotFound from the store. All functions are safe to call from many
// threads at once (given a thread-safe store).

// Writes `table` as CSV, streamed (memory about one batch, not the whole text).
// Content type "text/csv" unless `put_options` sets one. Replaces the object.
Result<ObjectInfo> SaveCsv(ObjectStore& store, const ObjectRef& ref, const Table& table,
                           const CsvWriteOptions& options = {}, PutOptions put_options = {});

// Reads a CSV object into one Table, streaming: the object's bytes are never
// held whole, and the table is reserved once from the object's size.
// `options.num_threads` threads parse; options.source_name defaults to the
// key, so errors read "parse csv raw/x.csv: line 17, column 4 (rainfall_mm): ...".
Result<Table> LoadCsv(ObjectStore& store, const ObjectRef& ref, const CsvReadOptions& options = {},
                      CsvReport* report = nullptr);

// Streams a CSV object to `on_chunk` chunk by chunk (memory about one block),
// for objects larger than memory. See CsvStreamParser::ChunkHandler: move a
// chunk out of its argument to keep it.
Status ForEachCsvChunk(ObjectStore& store, const ObjectRef& ref, const CsvReadOptions& options,
                       const CsvStreamParser::ChunkHandler& on_chunk, CsvReport* report = nullptr);

// Writes `doc` as JSON text (see FormatJson), content type "application/json".
Result<ObjectInfo> SaveJson(ObjectStore& store, const ObjectRef& ref, const Json& doc,
                            int indent = 2);
// Reads and parses a JSON object; errors read "parse json <key>: line L, column C: ...".
Result<Json> LoadJson(ObjectStore& store, const ObjectRef& ref);

// Raw bytes, no compression or transformation.
Result<ObjectInfo> SaveBlob(ObjectStore& store, const ObjectRef& ref, std::string_view bytes,
                            const PutOptions& options = {});
Result<std::string> LoadBlob(ObjectStore& store, const ObjectRef& ref);

// Local files to and from the store (ObjectStore::PutFile / GetFile).
Result<ObjectInfo> UploadFile(ObjectStore& store, const std::filesystem::path& path,
                              const ObjectRef& ref, const PutOptions& options = {});
Result<ObjectInfo> DownloadFile(ObjectStore& store, const ObjectRef& ref,
                                const std::filesystem::path& path);

}  // namespace ch
