/**
 * Builds a large DL1-layout file for tests by repeating the sample's events:
 * every event table gets the sample's rows `repeats` times (event_id shifted
 * by 1,000,000 per repeat), everything else is copied. Chunked like the
 * source, uncompressed (writing gigabytes through deflate would take
 * minutes); the layout and metadata are those of the sample.
 */
import { H5File } from '../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../../../../src-worker/io/hdf5/table-reader.js';
import { H5Writer } from '../../../../src-worker/io/hdf5/writer/h5-writer.js';
import type { TypeDesc } from '../../../../src-worker/io/hdf5/writer/datatype-encode.js';
import { int64Attr, readAttributeSpecs, setAttr } from '../../../../src-worker/io/export/copy-attributes.js';
import { copyDataset, listTree, type ExportEnv } from '../../../../src-worker/io/export/export-common.js';

export async function makeBigDl1(source: string, output: string, targetBytes: number): Promise<{ repeats: number; events: number; bytes: number }> {
  const file = await H5File.open(source);
  const env: ExportEnv = { progress: () => {}, checkCancel: () => {}, level: 1, command: 'test', software: { name: 'test', version: '0' }, skipped: [] };
  const { groups, datasets } = listTree(file);
  const cache = new ChunkCache();
  const eventTables = datasets.filter((p) => {
    const m = file.metadata(p);
    if (m.type !== 6 || (m.shape ?? []).length !== 1) return false;
    const t = new TableReader(file, p, cache);
    return t.hasField('obs_id') && t.hasField('event_id');
  });
  const perRepeat = eventTables.reduce((s, p) => s + file.metadata(p).shape![0] * file.metadata(p).size, 0);
  const repeats = Math.ceil(targetBytes / perRepeat);
  const w = H5Writer.create(output);
  w.rootAttributes(readAttributeSpecs(file, '/'));
  for (const g of groups) w.group(g, readAttributeSpecs(file, g));
  for (const p of datasets) {
    const attrs = readAttributeSpecs(file, p);
    if (!eventTables.includes(p)) {
      copyDataset(file, w, p, attrs, env);
      continue;
    }
    const meta = file.metadata(p);
    const t = new TableReader(file, p, cache);
    const rows = t.rawRows(0, t.nRows).slice();
    const evOff = t.field('event_id').offset;
    const dw = w.dataset(p, meta as unknown as TypeDesc, [], { chunkRows: meta.chunks?.[0] ?? 64, deflateLevel: null, shuffle: false });
    const view = new DataView(rows.buffer);
    const original = Array.from({ length: t.nRows }, (_, i) => view.getBigInt64(i * t.rowSize + evOff, true));
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < t.nRows; i++) view.setBigInt64(i * t.rowSize + evOff, original[i] + BigInt(r) * 1_000_000n, true);
      dw.appendRows(rows, t.nRows);
    }
    if (attrs.some((a) => a.name === 'NROWS')) setAttr(attrs, int64Attr('NROWS', t.nRows * repeats));
    dw.finish(attrs);
  }
  w.close();
  const events = file.metadata('/dl1/event/subarray/trigger').shape![0] * repeats;
  file.close();
  return { repeats, events, bytes: w.bytesWritten };
}
