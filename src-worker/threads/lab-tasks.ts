/**
 * The lab tasks of the worker pool, bundled on their own
 * (dist/worker/lab-tasks.js) and loaded by the pool worker on the first lab
 * task: they bring h5wasm and the image decoders (~40 MB and ~150 ms per
 * thread), which the workers of the live pipeline do not need.
 */
export { runShapeSignals, runSignalTraces } from '../lab/spectroscopy/shape-signals-task.js';
export { runStackImage } from '../lab/image-stack/stack-image-task.js';
export { runSpectrumTask } from '../lab/spectroscopy/spectrum-task.js';
export { runImageChannels } from '../lab/image-stack/image-channels-task.js';
