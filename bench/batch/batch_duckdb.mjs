// The batch transform in DuckDB SQL: validate, dedupe, join, featurize, COPY to CSV.
// Usage: node batch_duckdb.mjs RAW_DIR OUT_DIR [THREADS]. Same scope as batch_pandas.py.
import { createRequire } from 'node:module';

// The package lives in bench/peers/node_modules (shared with the other peers).
const require = createRequire(new URL('../peers/package.json', import.meta.url));
const { DuckDBInstance } = require('@duckdb/node-api');

const [raw, out, threads = '2'] = process.argv.slice(2);
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:', { threads });
const con = await instance.connect();
await con.run(`create table locations as select * from read_csv(${q(raw + '/locations.csv')}, header = true)`);

const specs = {
  climate: ['temp_max_c', 'temp_min_c', 'temp_mean_c', 'humidity_pct', 'rainfall_mm', 'wind_speed_kmh', 'pm25_ugm3'],
  health: ['dengue_cases', 'malaria_cases', 'heat_illness_cases', 'respiratory_cases', 'diarrhoea_cases'],
  hospital: ['hospitals', 'beds_total', 'beds_occupied', 'icu_beds_total', 'icu_beds_occupied'],
};
const bounds = (c) => c.startsWith('temp_') ? [-60, 60] : ({ humidity_pct: [0, 100], rainfall_mm: [0, 1500], wind_speed_kmh: [0, 400], pm25_ugm3: [0, 2000] })[c] ?? [0, 1e9];
for (const [name, cols] of Object.entries(specs)) {
  const casts = cols.map((c) => `try_cast(${c} as double) as ${c}`).join(', ');
  const valid = cols.map((c) => { const [lo, hi] = bounds(c); return `${c} between ${lo} and ${hi}`; }).join(' and ');
  await con.run(`create table ${name} as
    with typed as (
      select try_strptime(date, '%Y-%m-%d')::date as date, location_code, ${casts}
      from read_csv(${q(`${raw}/${name === 'climate' ? 'climate_data' : name === 'health' ? 'health_data' : 'hospital_data'}.csv`)}, header = true, all_varchar = true)),
    ok as (select distinct * from typed where date is not null and ${valid}
           and location_code in (select location_code from locations))
    select * from ok qualify count(*) over (partition by date, location_code) = 1
    order by location_code, date`);
  await con.run(`copy ${name} to ${q(`${out}/${name}.csv`)} (header)`);
}

const win = (x, w, agg) => `case when count(${x}) over (partition by location_code order by date range between ${w - 1} preceding and current row) = ${w}
  then round(${agg}(${x}) over (partition by location_code order by date range between ${w - 1} preceding and current row), 4) end as ${x}_${agg === 'avg' ? 'mean' : 'sum'}${w}`;
const lag = (x, l) => `max(${x}) over (partition by location_code order by date range between ${l} preceding and ${l} preceding) as ${x}_lag${l}`;
const rolling = ['rainfall_mm', 'temp_mean_c', 'humidity_pct', ...specs.health];
const cols = [];
for (const x of rolling) {
  for (const w of [7, 14, 28]) cols.push(win(x, w, 'avg'));
  if (x !== 'temp_mean_c' && x !== 'humidity_pct') for (const w of [7, 14, 28]) cols.push(win(x, w, 'sum'));
}
for (const x of ['rainfall_mm', 'temp_mean_c', ...specs.health]) for (const l of [7, 14, 21, 28]) cols.push(lag(x, l));
await con.run(`create macro heat_index_f(t, rh) as
  case when (0.5 * (t + 61.0 + (t - 68.0) * 1.2 + rh * 0.094) + t) / 2 < 80
    then 0.5 * (t + 61.0 + (t - 68.0) * 1.2 + rh * 0.094)
    else -42.379 + 2.04901523 * t + 10.14333127 * rh - 0.22475541 * t * rh - 0.00683783 * t * t
      - 0.05481717 * rh * rh + 0.00122874 * t * t * rh + 0.00085282 * t * rh * rh - 0.00000199 * t * t * rh * rh
      - case when rh < 13 and t between 80 and 112 then ((13 - rh) / 4) * sqrt(abs(17 - abs(t - 95)) / 17) else 0 end
      + case when rh > 85 and t between 80 and 87 then ((rh - 85) / 10) * ((87 - t) / 5) else 0 end end`);
await con.run(`copy (
  with j as (select * from climate full outer join health using (date, location_code)
             full outer join hospital using (date, location_code))
  select location_code, date, * exclude (location_code, date), ${cols.join(',\n')},
    round((heat_index_f(temp_max_c * 9 / 5 + 32, humidity_pct) - 32) * 5 / 9, 4) as heat_index_c,
    round(temp_max_c - avg(temp_max_c) over (partition by location_code, dayofyear(date)), 4) as temp_max_anomaly_c,
    round(beds_occupied / nullif(beds_total, 0), 4) as bed_occupancy,
    round(icu_beds_occupied / nullif(icu_beds_total, 0), 4) as icu_occupancy,
    round(sin(2 * pi() * dayofyear(date) / 365.25), 4) as doy_sin,
    round(cos(2 * pi() * dayofyear(date) / 365.25), 4) as doy_cos
  from j order by location_code, date) to ${q(`${out}/features.csv`)} (header)`);
const rows = (await con.runAndReadAll(`select count(*) from read_csv(${q(`${out}/features.csv`)}, header = true)`)).getRows()[0][0];
console.log(Number(rows));
