// Child process of bench/data.ts: read one parquet file with `mode` (`stream`: rmr1 readParquet, one
// row group at a time; `whole`: hyparquet parquetReadObjects of the whole file) and print the row
// count and the peak resident memory sampled while reading. (getrusage's maxRSS is not used: on
// Linux a spawned child inherits the parent's high-water mark.)
import {asyncBufferFromFile, parquetReadObjects} from "hyparquet";
import {compressors} from "hyparquet-compressors";
import {readParquet} from "../src/data/parquet.js";

const [mode, file] = process.argv.slice(2);
let peak = 0;
const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
};
const timer = setInterval(sample, 5);
let rows = 0;
if (mode === "stream") {
    for await (const row of readParquet(file)) {
        if ((row.messages as unknown[]).length > 0) rows++;
        if (rows % 500 === 0) sample();
    }
} else {
    rows = (await parquetReadObjects({file: await asyncBufferFromFile(file), compressors})).length;
}
sample();
clearInterval(timer);
process.stdout.write(JSON.stringify({rows, maxRssMb: peak / 2 ** 20}) + "\n");
