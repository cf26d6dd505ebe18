/**
 * The few web-platform globals the pure core uses — present in Node, in
 * browsers and in workers alike — declared for the pure core's type check
 * (tsconfig.core.json), which has neither the DOM's nor Node's types: a use
 * of anything else (fs, process, Buffer, document) fails that check. (Node's
 * types declare these two themselves; WebAssembly: webassembly.d.ts.)
 */
declare const performance: { now(): number };

declare class TextDecoder {
  constructor(label?: string);
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
