// Loads a CSV into a DuckDB in-memory table and prints one JSON line: seconds, rows, peak RSS.
import { DuckDBInstance } from '@duckdb/node-api';

const [path, threads = '2'] = process.argv.slice(2);
const baseKib = process.resourceUsage().maxRSS;
const instance = await DuckDBInstance.create(':memory:', { threads });
const con = await instance.connect();
const version = (await con.runAndReadAll('select version()')).getRows()[0][0];
const start = performance.now();
await con.run(`create table climate as select * from read_csv('${path.replaceAll("'", "''")}', header = true)`);
const seconds = (performance.now() - start) / 1000;
const rows = (await con.runAndReadAll('select count(*) from climate')).getRows()[0][0];
console.log(JSON.stringify({
  peer: `duckdb ${version}`, seconds, rows: Number(rows),
  peak_rss_mib: process.resourceUsage().maxRSS / 1024, baseline_rss_mib: baseKib / 1024,
}));
