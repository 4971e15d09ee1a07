// Loads raw/climate_data.csv from a local store into a Table and prints one
// JSON line (seconds, rows, peak RSS), for bench/run.sh to compare with peers.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "codecs/object_io.h"
#include "storage/local_store.h"

namespace {

// The climate columns of DATA.md, typed as the batch job reads them.
ch::Schema ClimateSchema() {
  using ch::DataType;
  return ch::Schema({{"date", DataType::kDate},
                     {"location_code", DataType::kString},
                     {"temp_max_c", DataType::kFloat64},
                     {"temp_min_c", DataType::kFloat64},
                     {"temp_mean_c", DataType::kFloat64},
                     {"humidity_pct", DataType::kFloat64},
                     {"rainfall_mm", DataType::kFloat64},
                     {"wind_speed_kmh", DataType::kFloat64},
                     {"pm25_ugm3", DataType::kFloat64}});
}

double PeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: csv_load STORE_ROOT BUCKET KEY [THREADS]\n");
    return 2;
  }
  ch::LocalStoreOptions store_options;
  store_options.root = argv[1];
  store_options.create_root = false;
  auto store = ch::LocalStore::Make(store_options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  ch::CsvReadOptions options;
  options.schema = ClimateSchema();
  options.num_threads = argc > 4 ? std::atoi(argv[4]) : 2;
  double baseline = PeakRssMib();
  auto start = std::chrono::steady_clock::now();
  ch::Result<ch::Table> table = ch::LoadCsv(**store, ch::ObjectRef{argv[2], argv[3], {}}, options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!table.ok()) {
    std::fprintf(stderr, "%s\n", table.status().ToString().c_str());
    return 1;
  }
  int decimal_columns = 0;
  for (int c = 0; c < table->num_columns(); ++c) {
    decimal_columns += table->column(c).decimal_encoded() ? 1 : 0;
  }
  std::printf(
      "{\"peer\": \"climahealth\", \"seconds\": %.4f, \"rows\": %lld, \"peak_rss_mib\": %.1f, "
      "\"baseline_rss_mib\": %.1f, \"decimal_columns\": %d}\n",
      seconds, static_cast<long long>(table->num_rows()), PeakRssMib(), baseline, decimal_columns);
  return 0;
}
